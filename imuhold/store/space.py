"""Disk space for a session: the estimate of what it needs, the warning before it starts, and the reserve that
lets it end cleanly when the disk fills up."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
from pathlib import Path

RESERVE_BYTES = 1 << 20
"""Set aside while recording and given back when the disk fills: room to end the recording file and the session."""
RECORDING_BYTES_PER_PACKET = 24.0
"""A 20-byte notification as a gzip-compressed recording line (measured: 8.4 MB for the demo's hour at 100 Hz)."""
DATABASE_BYTES_PER_S = 480.0
"""Events, holds and the 10 Hz tilt series in the sessions database (measured: 1.7 MB for the demo's hour)."""
WAL_BYTES = 4 << 20
"""The database's write-ahead log grows to about this (1000 pages) before it is folded back."""
WAL_BYTES_PER_S = 16_000.0
"""How fast the log grows until then: each commit (one a second) appends the few pages it touched, 4 KB each
(measured: 1.8 MB after the demo's first 112 s)."""
FULL_ERRNOS = frozenset({errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG})


def is_disk_full(exc: BaseException) -> bool:
    """Did ``exc`` say the disk (or the user's quota, or the file size limit) has no more room?"""
    if isinstance(exc, OSError) and exc.errno in FULL_ERRNOS:
        return True
    return "disk is full" in str(exc).lower() or "disk full" in str(exc).lower()


def bytes_per_s(rate_hz: float) -> float:
    """About how much disk a second of session takes at ``rate_hz`` notifications per second."""
    return RECORDING_BYTES_PER_PACKET * rate_hz + DATABASE_BYTES_PER_S


def bytes_needed(rate_hz: float, seconds: float) -> int:
    """About how much disk a session of ``seconds`` takes while recording (the log and the reserve included)."""
    return round(bytes_per_s(rate_hz) * seconds + min(WAL_BYTES_PER_S * seconds, WAL_BYTES)) + RESERVE_BYTES


def seconds_of_room(rate_hz: float, free_bytes: float) -> float:
    """About how long a session can record into ``free_bytes`` (the inverse of ``bytes_needed``)."""
    room = max(0.0, free_bytes - RESERVE_BYTES)
    while_log_grows = room / (bytes_per_s(rate_hz) + WAL_BYTES_PER_S)
    if while_log_grows * WAL_BYTES_PER_S <= WAL_BYTES:
        return while_log_grows
    return (room - WAL_BYTES) / bytes_per_s(rate_hz)


def low_space_warning(folder: Path, rate_hz: float, seconds: float) -> str | None:
    """A warning when ``folder``'s disk has less room than a session of ``seconds`` needs; None when it has enough."""
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return None
    needed = bytes_needed(rate_hz, seconds)
    if free >= needed:
        return None
    lasts_s = seconds_of_room(rate_hz, free)
    return (
        f"only {_mb(free)} free on the disk of {folder}; a {_minutes(seconds)} session at {rate_hz:g} Hz needs about"
        f" {_mb(needed)}. Recording stops cleanly when the disk is full, after about {_minutes(lasts_s)}"
    )


def _mb(size: float) -> str:
    return f"{size / 1e6:.1f} MB"


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:.0f} min" if seconds >= 60 else f"{seconds:.0f} s"


class Reserve:
    """A file of ``size`` bytes of real disk space, given back by ``release`` (safe twice)."""

    def __init__(self, path: Path, size: int = RESERVE_BYTES) -> None:
        """OSError (ENOSPC) when the disk cannot spare ``size`` bytes; no file is left then."""
        self.path = path
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            try:
                os.posix_fallocate(fd, 0, size)
            except (AttributeError, OSError) as exc:  # no fallocate here (or on this file system): write it out
                if isinstance(exc, OSError) and exc.errno in FULL_ERRNOS:
                    raise
                block = bytes(1 << 16)
                for offset in range(0, size, len(block)):
                    os.pwrite(fd, block[: size - offset], offset)
                os.fsync(fd)
        except OSError:
            os.close(fd)
            path.unlink(missing_ok=True)
            raise
        os.close(fd)
        self.released = False

    def release(self) -> None:
        if not self.released:
            self.released = True
            with contextlib.suppress(OSError):
                self.path.unlink()
