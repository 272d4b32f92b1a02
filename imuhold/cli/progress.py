"""A progress line on the terminal for work over many files: files done, samples per second and time left."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

REDRAW_S = 0.2
"""The line is redrawn at most this often (and once more when the last file is done)."""


class ProgressLine:
    """Rewrites one line of ``stream`` (standard error) while files are processed; silent unless ``stream`` is a
    terminal (so nothing when piped, or when the command prints JSON and the caller passes ``enabled=False``).

    ``start(paths)``, then ``done(path, samples)`` per file; ``clear()`` before printing anything else on the
    terminal, and at the end (or use it as a context manager). The time left is estimated from the files' sizes:
    the bytes still to do at the speed of the bytes done so far.
    """

    def __init__(
        self,
        stream: TextIO | None = None,
        *,
        enabled: bool | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = _is_terminal(self.stream) if enabled is None else enabled
        self._clock = clock
        self._sizes: dict[Path, int] = {}
        self.total = 0
        self.files = 0
        self.samples = 0
        self._bytes_done = 0
        self._start = clock()
        self._drawn = -float("inf")
        self._width = 0

    def start(self, paths: Sequence[Path]) -> None:
        self._sizes = {Path(p): _size(p) for p in paths}
        self.total = len(paths)
        self._start = self._clock()

    def done(self, path: Path, samples: int) -> None:
        self.files += 1
        self.samples += samples
        self._bytes_done += self._sizes.get(Path(path), 0)
        now = self._clock()
        if self.enabled and (now - self._drawn >= REDRAW_S or self.files == self.total):
            self._drawn = now
            self._draw(self.line(now))

    def line(self, now: float | None = None) -> str:
        """``12/40 files, 1.3 M samples/s, 0:42 left``."""
        elapsed = max((self._clock() if now is None else now) - self._start, 1e-9)
        parts = [f"{self.files}/{self.total} files", f"{_count(self.samples / elapsed)} samples/s"]
        total_bytes = sum(self._sizes.values())
        if 0 < self._bytes_done < total_bytes:
            parts.append(f"{_clock_time(elapsed * (total_bytes - self._bytes_done) / self._bytes_done)} left")
        elif self.files < self.total and self.files:
            parts.append(f"{_clock_time(elapsed * (self.total - self.files) / self.files)} left")
        return ", ".join(parts)

    def clear(self) -> None:
        """Clear the line, so what the command prints next starts clean (the next ``done`` draws it again)."""
        if self.enabled and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
            self._width = 0

    def _draw(self, text: str) -> None:
        self.stream.write("\r" + text.ljust(self._width))
        self.stream.flush()
        self._width = max(self._width, len(text))

    def __enter__(self) -> ProgressLine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.clear()


def for_command(quiet: bool = False) -> ProgressLine:
    """The progress line of a command: on standard error, shown only when both standard output and standard error
    are terminals (nothing when piped) and the command is not ``quiet`` (``--json``)."""
    stream = sys.stderr
    return ProgressLine(stream, enabled=not quiet and _is_terminal(sys.stdout) and _is_terminal(stream))


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _size(path: Path | str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _count(value: float) -> str:
    for factor, suffix in ((1e6, " M"), (1e3, " k")):
        if value >= factor:
            return f"{value / factor:.1f}{suffix}"
    return f"{value:.0f}"


def _clock_time(seconds: float) -> str:
    seconds = round(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
