"""Write recordings line by line, flushed often enough that a crash or kill -9 loses at most about a second."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from imuhold.model import Packet
from imuhold.recording.format import Mark, RecordingHeader, check_uuid

FILE_MODE = 0o600
FLUSH_INTERVAL_NS = 1_000_000_000
FLUSH_EVERY_PACKETS = 1000
GZIP_LEVEL = 6


class RecordingWriter:
    """Writes the header, then one line per packet; a ``.gz`` path is gzip-compressed.

    Buffered lines reach the OS when a packet arrives a second (host time) after the last flush, every
    ``flush_every`` packets, on each mark, on ``flush()`` and on ``close()``. A gzip stream is sync-flushed
    each time, so what was flushed can be read back even if the process dies before ``close()``. A live
    session should also call ``flush()`` on a timer, since no packets arrive during a link drop.

    The file is created owner-only (0o600). An existing file is refused unless ``overwrite=True``.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        header: RecordingHeader,
        *,
        overwrite: bool = False,
        flush_interval_ns: int = FLUSH_INTERVAL_NS,
        flush_every: int = FLUSH_EVERY_PACKETS,
    ) -> None:
        self.path = Path(path)
        self.header = header
        self._flush_interval_ns = flush_interval_ns
        self._flush_every = flush_every
        self._aliases: dict[str, str] = {}  # uuid → alias
        for alias, uuid in header.characteristics.items():
            self._aliases.setdefault(uuid, alias)
        self._used = set(header.characteristics)
        self._lines: list[str] = []
        self._unflushed = 0
        self._last_flush_t: int | None = None
        self._closed = False
        header_line = json.dumps(header.to_json_dict(), allow_nan=False) + "\n"  # fails before the file exists
        self._raw, self._out = self._open(overwrite)
        self._lines.append(header_line)
        self.flush()

    def _open(self, overwrite: bool) -> tuple[BinaryIO, BinaryIO | gzip.GzipFile]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_BINARY", 0)
        flags |= os.O_TRUNC if overwrite else os.O_EXCL
        fd = os.open(self.path, flags, FILE_MODE)
        if hasattr(os, "fchmod"):
            os.fchmod(fd, FILE_MODE)  # an overwritten file keeps its old mode otherwise
        raw = os.fdopen(fd, "wb")
        if self.path.name.endswith(".gz"):
            inner = self.path.name.removesuffix(".gz")
            return raw, gzip.GzipFile(filename=inner, mode="wb", fileobj=raw, compresslevel=GZIP_LEVEL)
        return raw, raw

    def write(self, packet: Packet) -> None:
        """Append one notification. Unknown characteristics get a new alias, declared on an ``#alias`` line."""
        if self._closed:
            raise ValueError(f"recording {self.path} is closed")
        t = packet.t_host_ns
        if isinstance(t, bool) or not isinstance(t, int) or t < 0:
            raise ValueError(f"t_host_ns must be a non-negative integer, not {t!r}")
        alias = self._aliases.get(packet.characteristic)
        if alias is None:
            alias = self._declare(packet.characteristic)
        payload = packet.payload.hex() if packet.payload else "-"
        self._lines.append(f"{t} {alias} {payload}\n")
        self._unflushed += 1
        if self._last_flush_t is None:
            self._last_flush_t = t
        if t - self._last_flush_t >= self._flush_interval_ns or self._unflushed >= self._flush_every:
            self.flush()

    def mark(self, mark: Mark) -> None:
        """Append a mark (gap, user mark…) and flush, so marks survive a crash."""
        if self._closed:
            raise ValueError(f"recording {self.path} is closed")
        self._lines.append("#mark " + json.dumps(mark.to_json_dict(), allow_nan=False) + "\n")
        self.flush()

    def comment(self, text: str) -> None:
        """Append a ``#`` comment line (readers ignore it); newlines in ``text`` become spaces."""
        if self._closed:
            raise ValueError(f"recording {self.path} is closed")
        self._lines.append("# " + " ".join(text.splitlines()) + "\n")

    def _declare(self, characteristic: str) -> str:
        try:
            uuid = check_uuid(characteristic)
        except ValueError as exc:
            raise ValueError(f"cannot record packet: {exc}") from None
        alias = self._aliases.get(uuid)
        if alias is None:
            alias = self._new_alias()
            self._lines.append("#alias " + json.dumps({alias: uuid}) + "\n")
            self._aliases[uuid] = alias
            self._used.add(alias)
        self._aliases[characteristic] = alias  # the caller's spelling, for the fast lookup next time
        return alias

    def _new_alias(self) -> str:
        for letter in "abcdefghijklmnopqrstuvwxyz":
            if letter not in self._used:
                return letter
        n = 1
        while f"c{n}" in self._used:
            n += 1
        return f"c{n}"

    def flush(self) -> None:
        """Hand everything written so far to the OS (gzip: a sync flush, readable after a crash)."""
        if self._closed:
            return
        if self._lines:
            self._out.write("".join(self._lines).encode("utf-8"))
            self._lines.clear()
        self._out.flush()  # GzipFile.flush does a Z_SYNC_FLUSH, then flushes the file beneath
        self._raw.flush()
        self._unflushed = 0
        self._last_flush_t = None  # the next packet starts a new one-second window

    def close(self) -> None:
        """Flush, finish the gzip stream, and sync the file to disk. Safe to call twice."""
        if self._closed:
            return
        try:
            self.flush()
            if self._out is not self._raw:
                self._out.close()
            self._raw.flush()
            os.fsync(self._raw.fileno())
        finally:
            self._closed = True
            self._raw.close()

    @property
    def closed(self) -> bool:
        return self._closed

    def __enter__(self) -> RecordingWriter:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
