#!/usr/bin/env bash
# The end-to-end BLE test: builds the VM image (or takes it from the cache), boots it once and runs every scenario in
# it — imuhold → bleak → D-Bus → BlueZ → kernel HCI → /dev/vhci → bumble → emulated sensor — then prints the results.
# Usage (root): tests/e2e/e2e.sh [OUT_DIR]   default OUT_DIR build/e2e; cache ${IMUHOLD_E2E_CACHE:-~/.cache/imuhold-e2e};
# IMUHOLD_E2E_ONLY="NAME …" runs only those scenarios; VM_ACCEL=kvm|tcg forces the accelerator.
# Exit status: 0 when every scenario passed, else non-zero. See docs/e2e.md.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
here=$repo/tests/e2e
out=$(realpath -m "${1:-$repo/build/e2e}")
cache=${IMUHOLD_E2E_CACHE:-$HOME/.cache/imuhold-e2e}
export PYTHON=${PYTHON:-$repo/.venv/bin/python}
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
digest() { sha256sum | cut -c1-16; }

for tool in debootstrap qemu-system-x86_64 mke2fs chroot; do
    command -v "$tool" >/dev/null || { echo "e2e: $tool is missing (apt-get install debootstrap qemu-system-x86 e2fsprogs)" >&2; exit 2; }
done
[ "$(id -u)" = 0 ] || { echo "e2e: debootstrap and chroot need root" >&2; exit 2; }
rm -rf "$out" && mkdir -p "$out/share/out" "$cache"
timings=$out/timings.txt
: >"$timings"

"$PYTHON" -m pip wheel --quiet --no-deps --disable-pip-version-check -w "$out/dist" "$repo" >"$out/wheel.log" 2>&1 \
    || { tail -20 "$out/wheel.log" >&2; exit 1; }
wheel=$(ls "$out"/dist/imuhold-*.whl)
rootfs_key=$(cat "$here/image/rootfs.sh" | digest)
wheels_key=$(cat "$here/image/wheels.sh" "$here/image/constraints.txt" "$repo/pyproject.toml" | digest)
image_key=$({ echo "$rootfs_key $wheels_key $("$PYTHON" "$here/wheel_digest.py" "$wheel")"
              cat "$here/image/image.sh" "$here/guest/init.sh"; } | digest)

stage() {  # stage NAME KEY COMMAND ARGS…: runs COMMAND ARGS… $cache/NAME-KEY unless it exists; drops older NAME-*
    local name=$1 key=$2 start
    shift 2
    if [ -e "$cache/$name-$key" ]; then
        echo "e2e: $name: cached ($cache/$name-$key)"
        echo "$name cached" >>"$timings"
        return
    fi
    find "$cache" -maxdepth 1 -name "$name-*" -exec rm -rf {} +
    echo "e2e: $name: building $cache/$name-$key …"
    start=$(now)
    "$@" "$cache/$name-$key"
    echo "$name $(since "$start")" >>"$timings"
    echo "e2e: $name: built in $(since "$start") s"
}
build_start=$(now)
stage rootfs "$rootfs_key" "$here/image/rootfs.sh"
stage wheels "$wheels_key" "$here/image/wheels.sh" "$wheel"
stage image "$image_key" "$here/image/image.sh" "$cache/rootfs-$rootfs_key" "$cache/wheels-$wheels_key" "$wheel"
echo "build_total $(since "$build_start")" >>"$timings"

mkdir -p "$out/share/guest"
cp "$here"/guest/*.py "$out/share/guest/"
guest_args=""
[ -n "${IMUHOLD_E2E_ONLY:-}" ] && guest_args="--only $IMUHOLD_E2E_ONLY"  # a subset, e.g. "scan drop-mid-hold"
[ -n "${IMUHOLD_E2E_TRACE:-}" ] && guest_args="$guest_args --trace"  # btmon and dbus-monitor traces to share/out
[ -n "${IMUHOLD_E2E_REPEAT:-}" ] && guest_args="$guest_args --repeat $IMUHOLD_E2E_REPEAT"  # each scenario N times
[ -n "$guest_args" ] && echo "python /mnt/share/guest/scenarios.py --out /mnt/share/out $guest_args" >"$out/share/cmd"
echo "e2e: booting the VM ($(grep -qwE 'vmx|svm' /proc/cpuinfo && [ -w /dev/kvm ] && echo KVM || echo TCG)); the scenarios run inside"
vm_start=$(now)
status=0
"$here/vm.sh" "$cache/image-$image_key" "$out/share" || status=$?
echo "vm $(since "$vm_start")" >>"$timings"
"$PYTHON" "$here/report.py" "$out" || true
echo "e2e: results in $out (results.json, summary.txt, share/out/ logs)"
exit "$status"
