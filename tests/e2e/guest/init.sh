#!/bin/sh
# PID 1 of the e2e VM (no systemd): mounts, kernel modules, the 9p share, D-Bus and BlueZ; then runs the scenarios
# (or share/cmd), writes out/rc and the logs to the share, and powers off. Its lines are stamped on the host console.
export PATH=/opt/venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8
say() { echo "imuhold-e2e: $* (uptime $(cut -d' ' -f1 /proc/uptime) s)"; }
say "init started"
mountpoint -q /proc || mount -t proc proc /proc
mountpoint -q /sys || mount -t sysfs sysfs /sys
mountpoint -q /dev || mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /tmp
modprobe hci_vhci && modprobe 9pnet_virtio
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 share /mnt/share || { say "no share"; echo o >/proc/sysrq-trigger; }
out=/mnt/share/out
mkdir -p "$out"
mkdir -p /run/dbus /var/lib/dbus
dbus-uuidgen --ensure
dbus-daemon --system --fork
/usr/libexec/bluetooth/bluetoothd -n >"$out/bluetoothd.log" 2>&1 &
say "dbus and bluetoothd started"
cmd="python /mnt/share/guest/scenarios.py --out $out"
[ -f /mnt/share/cmd ] && cmd=$(cat /mnt/share/cmd)
# dash has no pipefail: the command's own status goes to out/rc (the pipe through tee would hide it)
{ sh -c "$cmd"; echo $? >"$out/rc"; } 2>&1 | tee "$out/guest.log"
say "scenarios done, rc $(cat "$out/rc")"
sync
echo o >/proc/sysrq-trigger
sleep 30
