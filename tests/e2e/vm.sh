#!/usr/bin/env bash
# Boots the e2e image headless, once: the guest init runs the scenarios from the 9p share and powers off.
# Usage: vm.sh IMAGE_DIR SHARE_DIR   → the console goes to SHARE_DIR/console.log, each line stamped with the seconds
# since qemu started; exit status: the guest's (SHARE_DIR/out/rc), or 124 when the VM did not finish in time.
# KVM is used only when /dev/kvm is writable AND the CPU shows vmx/svm (a kvm-pvm /dev/kvm cannot boot a stock
# kernel); VM_ACCEL=kvm|tcg overrides. VM_TIMEOUT_S bounds the whole boot (default 1800).
set -euo pipefail
image=$1 share=$2
accel=${VM_ACCEL:-auto}
if [ "$accel" = auto ]; then
    if [ -w /dev/kvm ] && grep -qwE 'vmx|svm' /proc/cpuinfo; then accel=kvm; else accel=tcg; fi
fi
case $accel in
    kvm) accel_args=(-accel kvm -cpu host) ;;
    tcg) accel_args=(-accel tcg,thread=multi -cpu max) ;;
    *) echo "vm.sh: VM_ACCEL must be kvm or tcg, not $accel" >&2; exit 2 ;;
esac
echo "$accel" >"$share/accel"
rm -f "$share/out/rc"
status=0
timeout "${VM_TIMEOUT_S:-1800}" qemu-system-x86_64 "${accel_args[@]}" -m 1024 -smp 2 \
    -nodefaults -no-user-config -display none -nic none -no-reboot -serial stdio \
    -kernel "$image/vmlinuz" -initrd "$image/initrd.img" \
    -append "root=/dev/vda rw console=ttyS0 quiet init=/opt/imuhold-e2e/init.sh panic=-1" \
    -drive "file=$image/rootfs.ext4,if=virtio,format=raw,snapshot=on" \
    -virtfs "local,path=$share,mount_tag=share,security_model=none" \
    </dev/null | "${PYTHON:-python3}" -u "$(dirname "$0")/stamp.py" >"$share/console.log" || status=$?
[ "$status" = 124 ] && { echo "vm.sh: the VM did not finish in ${VM_TIMEOUT_S:-1800} s" >&2; exit 124; }
[ -f "$share/out/rc" ] || { echo "vm.sh: the guest wrote no result (see $share/console.log)" >&2; exit 1; }
exit "$(cat "$share/out/rc")"
