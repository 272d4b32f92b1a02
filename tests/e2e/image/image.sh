#!/usr/bin/env bash
# Stage 2 of the e2e image: a copy of the stage-1 root filesystem with an offline venv (imuhold and its wheels) and
# the guest init, made into vmlinuz, initrd.img and rootfs.ext4 (root only; mke2fs -d needs no loop device).
# Usage: image.sh ROOTFS WHEELS IMUHOLD_WHEEL DIR   (DIR must not exist; made atomically, through DIR.partial)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
rootfs=$1 wheels=$2 wheel=$3 out=$4
rm -rf "$out.partial" && mkdir -p "$out.partial"
root=$out.partial/root
cp -a "$rootfs" "$root"
mkdir -p "$root/opt/wheels" "$root/opt/imuhold-e2e" "$root/mnt/share"
cp "$wheels"/*.whl "$wheel" "$root/opt/wheels/"
cp "$here/../guest/init.sh" "$root/opt/imuhold-e2e/init.sh"
chmod 755 "$root/opt/imuhold-e2e/init.sh"
chroot "$root" /usr/bin/python3 -m venv /opt/venv
chroot "$root" /opt/venv/bin/pip install --quiet --disable-pip-version-check --no-index --find-links /opt/wheels \
    "imuhold[emulate]" >"$out.partial/pip.log" 2>&1 || { tail -20 "$out.partial/pip.log" >&2; exit 1; }
rm -rf "$root/opt/wheels" "$root"/root/.cache
cp "$root"/boot/vmlinuz-* "$out.partial/vmlinuz"
cp "$root"/boot/initrd.img-* "$out.partial/initrd.img"
size_mb=$(( $(du -sm "$root" | cut -f1) * 3 / 2 + 256 ))
mke2fs -q -t ext4 -L imuhold-e2e -d "$root" "$out.partial/rootfs.ext4" "${size_mb}M"
rm -rf "$root"
mv "$out.partial" "$out"
