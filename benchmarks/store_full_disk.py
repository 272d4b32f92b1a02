"""Benchmark: ``imuhold demo --headless --fast`` on a tmpfs sized to fill half way through; seconds kept against
seconds recorded.

Run as root (it mounts a tmpfs) with ``.venv/bin/python benchmarks/store_full_disk.py [--seconds 7200]``. The tmpfs
is sized by imuhold's own estimate of what half the session needs, so the disk fills about half way. Printed: the
session time when recording stopped (seconds recorded), what the database keeps, what the recording file keeps
(and whether it reads back without damage), the exit status, the end reason and ``PRAGMA integrity_check``.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from imuhold.recording import read_recording
from imuhold.store import SessionStore
from imuhold.store.space import bytes_needed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=7200.0, help="length of the demo routine")
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("needs root, to mount a tmpfs")
    size = bytes_needed(100.0, args.seconds / 2)
    with tempfile.TemporaryDirectory() as tmp:
        disk = Path(tmp)
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(disk)], check=True)
        try:
            data = disk / "data"
            command = [sys.executable, "-m", "imuhold.cli", "demo", "--headless", "--fast"]
            command += ["--seconds", str(args.seconds), "--data-dir", str(data)]
            done = subprocess.run(command, capture_output=True, text=True)
            stopped = re.search(r"recording stopped at ([\d.]+) s", done.stdout + done.stderr)
            with SessionStore.open(data) as store:
                info = store.resolve("last")
                integrity = store.integrity_check()
            recording = read_recording(data / info.recording)
            packets = recording.packets
            in_file_s = (packets[-1].t_host_ns - packets[0].t_host_ns) / 1e9
        finally:
            subprocess.run(["umount", str(disk)], check=True)
    recorded_s = float(stopped[1]) if stopped else float("nan")
    print(f"tmpfs {size / 1e6:.1f} MB, demo routine {args.seconds:.0f} s at 100 Hz, --fast")
    print(f"recorded (session time when the disk filled): {recorded_s:8.1f} s")
    print(f"kept in the database:                         {info.duration_s:8.1f} s  ({info.holds} holds)")
    warnings = len(recording.warnings)
    print(f"kept in the recording file:                   {in_file_s:8.1f} s  (warnings reading it: {warnings})")
    print(f"lost: {recorded_s - info.duration_s:+.2f} s; exit status {done.returncode}; end reason {info.end_reason};"
          f" integrity {integrity}")  # fmt: skip
    print("last line:", done.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
