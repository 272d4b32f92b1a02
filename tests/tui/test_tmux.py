"""The real ``imuhold demo`` in a real terminal (tmux): the screen times a hold and the state banner changes."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import uuid

import pytest

TMUX = shutil.which("tmux")
pytestmark = pytest.mark.skipif(
    TMUX is None, reason="tmux is not installed (apt-get install tmux); this test runs the demo in a real terminal"
)
TIMEOUT_S = 30.0


class Tmux:
    """One tmux server of our own (its own socket), so the user's sessions are never touched."""

    def __init__(self) -> None:
        self.socket = f"imuhold-test-{uuid.uuid4().hex[:8]}"

    def __call__(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run([TMUX, "-L", self.socket, *args], capture_output=True, text=True, check=check)

    def screen(self) -> str:
        return self("capture-pane", "-p", "-t", "demo").stdout

    def alive(self) -> bool:
        return self("has-session", "-t", "demo", check=False).returncode == 0


def test_demo_times_a_hold_and_the_banner_changes(tmp_path):
    env = {
        "IMUHOLD_DATA_DIR": str(tmp_path / "data"),
        "IMUHOLD_CONFIG_DIR": str(tmp_path / "config"),
        "TERM": "xterm-256color",
    }
    command = [sys.executable, "-m", "imuhold.cli", "demo", "--seconds", "30", "--seed", "1", "--speed", "4"]
    shell = "env " + " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items()) + " " + shlex.join(command)
    tmux = Tmux()
    tmux("new-session", "-d", "-s", "demo", "-x", "100", "-y", "30", "-c", os.getcwd(), shell)
    seen: list[str] = []
    try:
        deadline = time.monotonic() + TIMEOUT_S
        while time.monotonic() < deadline and tmux.alive():
            screen = tmux.screen()
            seen.append(screen)
            if "last hold" in screen and "standing ·" in screen:
                break
            time.sleep(0.1)  # polling another process's terminal: there is no message to wait on
        banners = [m.group(1) for s in seen for m in [re.search(r"(\w+) · ", s)] if m]
        states = [b for i, b in enumerate(banners) if i == 0 or b != banners[i - 1]]
        timed = [float(m.group(1)) for s in seen for m in [re.search(r"holding (\d+\.\d) s of 30 s", s)] if m]
        last = [m.group(1) for s in seen for m in [re.search(r"last hold (\d+\.\d) s", s)] if m]
        tail = seen[-1] if seen else "(no screen captured)"
        assert states[:4] == ["calibrating", "standing", "descending", "holding"], f"{states}\n{tail}"
        assert "ascending" in states[4:] and states[-1] == "standing", f"{states}\n{tail}"
        assert timed and max(timed) > min(timed) >= 2.0, f"hold timer never ran: {timed}\n{tail}"
        assert last and 4.0 < float(last[-1]) < 7.0, f"{last}\n{tail}"  # the first demo hold lasts about 5.5 s
        assert "simulated sensor (seed 1)" in tail and "100 Hz" in tail

        tmux("send-keys", "-t", "demo", "q")
        deadline = time.monotonic() + 10.0
        while tmux.alive() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not tmux.alive(), "q did not quit the demo"
    finally:
        tmux("kill-server", check=False)
