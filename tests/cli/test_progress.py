"""Progress on long work: one line rewritten on a terminal (files done, samples/s, time left), nothing when piped
or with --json."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from imuhold.cli.progress import ProgressLine

SAMPLES = Path(__file__).resolve().parents[2] / "sample_recordings"
RECORDINGS = sorted(SAMPLES.glob("*.imuhold.gz"))[:3]


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_line_counts_files_samples_per_second_and_time_left(tmp_path):
    paths = []
    for name, size in (("a", 1000), ("b", 1000), ("c", 2000)):
        paths.append(tmp_path / name)
        paths[-1].write_bytes(b"x" * size)
    stream, clock = io.StringIO(), Clock()
    progress = ProgressLine(stream, enabled=True, clock=clock)
    progress.start(paths)
    clock.now = 2.0
    progress.done(paths[0], 300_000)
    assert progress.line() == "1/3 files, 150.0 k samples/s, 0:06 left"  # 1000 of 4000 bytes in 2 s: 6 s to go
    clock.now = 4.0
    progress.done(paths[1], 300_000)
    clock.now = 8.0
    progress.done(paths[2], 2_400_000)
    assert progress.line() == "3/3 files, 375.0 k samples/s"
    drawn = stream.getvalue()
    assert "\r1/3 files, 150.0 k samples/s, 0:06 left" in drawn and "\r3/3 files" in drawn
    progress.clear()
    assert stream.getvalue().endswith("\r" + " " * len("1/3 files, 150.0 k samples/s, 0:06 left") + "\r")


def test_it_draws_at_most_five_times_a_second_but_always_the_last_file(tmp_path):
    stream, clock = io.StringIO(), Clock()
    progress = ProgressLine(stream, enabled=True, clock=clock)
    paths = [tmp_path / f"{i}" for i in range(100)]
    progress.start(paths)
    for i, path in enumerate(paths):
        clock.now = i * 0.01
        progress.done(path, 10)
    assert stream.getvalue().count("\r") == 6 and "\r100/100 files" in stream.getvalue()


def test_it_is_silent_when_not_a_terminal():
    stream = io.StringIO()
    progress = ProgressLine(stream)
    progress.start([Path("a")])
    progress.done(Path("a"), 10)
    progress.clear()
    assert not progress.enabled and stream.getvalue() == ""


def _on_a_terminal(*args: str) -> str:
    """``imuhold ARGS`` with its output and error on a pseudo-terminal; what the terminal received."""
    main, side = pty.openpty()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    process = subprocess.Popen([sys.executable, "-m", "imuhold.cli", *args], stdout=side, stderr=side, env=env)
    os.close(side)
    received = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the other side closed
            break
        if not chunk:
            break
        received += chunk
    os.close(main)
    assert process.wait(timeout=120) in (0, 1)
    return received.decode(errors="replace")


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_analyze_of_several_files_shows_progress_on_a_terminal_and_not_with_json():
    shown = _on_a_terminal("analyze", *map(str, RECORDINGS))
    assert f"\r{len(RECORDINGS)}/{len(RECORDINGS)} files, " in shown and " samples/s" in shown
    assert "files, " not in _on_a_terminal("analyze", "--json", *map(str, RECORDINGS))


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_analyze_piped_shows_no_progress(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "imuhold.cli", "analyze", *map(str, RECORDINGS)],
        capture_output=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        timeout=120,
    )
    assert done.returncode == 0 and b"files, " not in done.stderr + done.stdout
