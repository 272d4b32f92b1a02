"""Tell a session being recorded from one left by a crash: the recorder holds a lock on its recording file."""

from __future__ import annotations

import os
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: callers fall back to the session's heartbeat
    fcntl = None  # type: ignore[assignment]

LOCKS_AVAILABLE = fcntl is not None


class RecordingLock:
    """An exclusive advisory lock on a recording file for as long as its session records.

    The operating system releases it when the process dies, even on kill -9, so a session whose file is not
    locked and that has no end was interrupted.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        if fcntl is None:  # pragma: no cover
            return
        fd = os.open(path, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)  # closing the descriptor drops the lock


def is_locked(path: Path) -> bool | None:
    """True while a live recorder holds ``path``; False when nobody does; None when it cannot be told."""
    if fcntl is None:  # pragma: no cover
        return None
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)
    return False
