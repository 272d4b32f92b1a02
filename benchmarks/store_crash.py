"""Benchmark: kill -9 the real ``imuhold demo --headless`` at random moments; seconds of data lost each time.

Run with ``.venv/bin/python benchmarks/store_crash.py [--trials 5] [--speed 1]``. For each trial: the routine
time reached at the kill (wall time since the session started × speed), the last tilt point committed to the
database, the last packet in the recording file, and whether ``PRAGMA integrity_check`` and recovery pass.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from imuhold.recording import read_recording
from imuhold.recovery import recover
from imuhold.store import SessionStore
from imuhold.store.rows import parse_utc


def trial(data_dir: Path, after_s: float, speed: float) -> tuple[float, float, float, str, str]:
    env = {**os.environ, "IMUHOLD_DATA_DIR": str(data_dir)}
    command = [sys.executable, "-m", "imuhold.cli", "demo", "--headless", "--seconds", "600", "--speed", str(speed)]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
    assert proc.stdout is not None
    proc.stdout.readline()
    time.sleep(after_s)
    proc.send_signal(signal.SIGKILL)
    killed = datetime.now(UTC)
    proc.communicate()
    with SessionStore.open(data_dir) as store:
        info = store.resolve("last")
        reached_s = (killed - parse_utc(info.started_utc)).total_seconds() * speed
        committed_s = store.tilt(info.id)[-1].t_s
        integrity = store.integrity_check()
        recording = read_recording(data_dir / info.recording)
        in_file_s = (recording.packets[-1].t_host_ns - recording.packets[0].t_host_ns) / 1e9
        messages = recover(store, data_dir)
        recovered = store.session(info.id).end_reason or "?"
        assert messages, "nothing recovered"
    return reached_s, committed_s, in_file_s, integrity, recovered


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--trials", type=int, default=5)
    parser.add_argument("--speed", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    losses = []
    print("trial  killed at  in database  in file  lost (db)  integrity  after recovery")
    for i in range(args.trials):
        with tempfile.TemporaryDirectory() as tmp:
            after_s = rng.uniform(2.0, 8.0)
            reached, committed, in_file, integrity, recovered = trial(Path(tmp), after_s, args.speed)
            losses.append(reached - committed)
            print(f"{i + 1:5}  {reached:7.2f} s  {committed:9.2f} s  {in_file:5.2f} s  {reached - committed:7.2f} s"
                  f"  {integrity:9}  {recovered}")  # fmt: skip
    print(f"data lost at a kill -9: max {max(losses):.2f} s, mean {sum(losses) / len(losses):.2f} s")


if __name__ == "__main__":
    main()
