"""A pseudo-terminal for the TUI benchmarks: runs a command on it, reads (and timestamps) what it draws."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import struct
import subprocess
import termios
import threading
import time
from collections.abc import Callable


class PtyTerminal:
    """Runs ``argv`` on a new pty of ``cols`` x ``rows``; a thread drains the output, handing each chunk and
    its CLOCK_MONOTONIC arrival time (ns, comparable across processes on Linux) to ``on_output``."""

    def __init__(
        self,
        argv: list[str],
        cols: int = 80,
        rows: int = 24,
        env: dict[str, str] | None = None,
        on_output: Callable[[bytes, int], None] | None = None,
    ) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        full_env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(cols), "LINES": str(rows), **(env or {})}
        self.proc = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=full_env, start_new_session=True, close_fds=True
        )
        os.close(slave)
        self._master = master
        self._on_output = on_output
        self.bytes_read = 0
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        while True:
            try:
                data = os.read(self._master, 65536)
            except OSError:  # the child closed the terminal
                return
            if not data:
                return
            self.bytes_read += len(data)
            if self._on_output is not None:
                self._on_output(data, time.monotonic_ns())

    def send(self, keys: bytes) -> None:
        os.write(self._master, keys)

    def wait(self, timeout_s: float) -> int:
        try:
            return self.proc.wait(timeout=timeout_s)
        finally:
            self.close()

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=5)
        self._reader.join(timeout=2)
        with contextlib.suppress(OSError):
            os.close(self._master)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of ``pid`` so far, from /proc/<pid>/stat."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")
