#!/usr/bin/env bash
# Stage 1 of the e2e image: a Debian bookworm root filesystem with the kernel, BlueZ, D-Bus and Python (root only).
# Usage: rootfs.sh DIR   (DIR must not exist; it is made atomically, through DIR.partial)
set -euo pipefail
out=$1
mirror=${IMUHOLD_E2E_MIRROR:-http://deb.debian.org/debian}
packages=linux-image-amd64,bluez,dbus,python3,python3-venv,kmod,procps
rm -rf "$out.partial"
debootstrap --variant=minbase --include="$packages" bookworm "$out.partial" "$mirror" >"$out.log" 2>&1 \
    || { tail -20 "$out.log" >&2; exit 1; }
# What the guest never reads: docs, locales, apt lists and caches, and driver trees a virtio VM does not load.
root=$out.partial
rm -rf "$root"/usr/share/{doc,man,info,locale} "$root"/var/cache/apt/* "$root"/var/lib/apt/lists/*
for tree in gpu sound net/wireless net/ethernet media infiniband usb staging scsi iio input/touchscreen; do
    rm -rf "$root"/lib/modules/*/kernel/drivers/"$tree"
done
mv "$root" "$out"
