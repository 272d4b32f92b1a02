"""kill -9 during a real ``imuhold demo --headless``: the database is intact and at most a second is lost."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime

import pytest

from imuhold.recovery import recover
from imuhold.store import SessionStore
from imuhold.store.rows import parse_utc

SPEED = 3.0


def run_and_kill(data_dir, after_s: float) -> float:
    """Start the demo, kill -9 it ``after_s`` s into the routine; returns the routine time reached (s)."""
    env = {**os.environ, "IMUHOLD_DATA_DIR": str(data_dir)}
    command = [sys.executable, "-m", "imuhold.cli", "demo", "--headless", "--seconds", "120", "--speed", str(SPEED)]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().startswith("imuhold demo:")
        time.sleep(after_s)
    finally:
        proc.send_signal(signal.SIGKILL)
        killed = datetime.now(UTC)
        proc.communicate(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    with SessionStore.open(data_dir) as store:
        started = parse_utc(store.resolve("last").started_utc)
    return (killed - started).total_seconds() * SPEED  # pacing never runs ahead of the wall clock


@pytest.mark.slow
def test_kill_9_mid_session_loses_at_most_the_last_second(tmp_path):
    data_dir = tmp_path / "data"
    reached_s = run_and_kill(data_dir, 5.0)
    with SessionStore.open(data_dir) as store:
        assert store.integrity_check() == "ok"
        (info,) = store.unfinished()
        committed_s = store.tilt(info.id)[-1].t_s
        lost_s = reached_s - committed_s
        assert 0.0 <= lost_s <= 1.0 + 0.1 + 0.05 * SPEED, (reached_s, committed_s)  # cadence, 10 Hz grid, start-up
        kinds = [e.kind.value for e in store.events(info.id)]
        assert kinds[:4] == ["calibrated", "squat_entry", "hold_start", "hold_end"]  # the first hold: 7.5–13 s
        (message,) = recover(store, data_dir)
        info = store.session(info.id)
        assert info.end_reason == "interrupted" and "recovered" in message
        assert info.duration_s >= committed_s and info.holds >= 1  # its squat, still open, closed from the file
        assert store.integrity_check() == "ok"
