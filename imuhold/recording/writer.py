"""Write recordings line by line, flushed often enough that a crash or kill -9 loses at most about a second, and
kept whole when the disk fills up."""

from __future__ import annotations

import contextlib
import json
import os
import struct
import zlib
from pathlib import Path
from types import TracebackType

from imuhold.model import Packet
from imuhold.recording.format import Mark, RecordingHeader, check_uuid

FILE_MODE = 0o600
FLUSH_INTERVAL_NS = 1_000_000_000
FLUSH_EVERY_PACKETS = 1000
GZIP_LEVEL = 6
_GZIP_WBITS = 16 + zlib.MAX_WBITS
_EMPTY_FINAL_BLOCK = b"\x03\x00"
"""A deflate stream that stopped at a sync-flush point ends with this: a final, empty, fixed-Huffman block."""


class RecordingWriter:
    """Writes the header, then one line per packet; a ``.gz`` path is gzip-compressed.

    Buffered lines reach the OS when a packet arrives a second (host time) after the last flush, every
    ``flush_every`` packets, on each mark, on ``flush()`` and on ``close()``. A gzip stream is sync-flushed
    each time, so what was flushed can be read back even if the process dies before ``close()``. A live
    session should also call ``flush()`` on a timer, since no packets arrive during a link drop.

    A flush that fails (the disk is full…) raises OSError and leaves the file as it was after the last good flush;
    the writer takes nothing more. ``close()`` then tries the failed flush once more (call it after freeing
    space) and ends the file properly (a gzip stream gets its end and checksum), so it reads back whole, without
    damage, up to the last flush that reached the disk.

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
        self.failed: OSError | None = None
        """Why a flush failed; the writer takes nothing more after one."""
        self._compressor = (
            zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, _GZIP_WBITS) if self.path.name.endswith(".gz") else None
        )
        self._good_bytes = 0  # the file's length after the last flush that reached it whole
        self._crc = 0  # CRC-32 and length of the text in the file so far (a gzip stream's trailer)
        self._text_bytes = 0
        self._pending: tuple[bytes, bytes] | None = None  # (text, its bytes on disk) of a failed flush
        header_line = json.dumps(header.to_json_dict(), allow_nan=False) + "\n"  # fails before the file exists
        self._fd = self._open(overwrite)
        self._lines.append(header_line)
        try:
            self.flush()
        except OSError:
            os.close(self._fd)
            self._closed = True
            self.path.unlink(missing_ok=True)
            raise

    def _open(self, overwrite: bool) -> int:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_BINARY", 0)
        flags |= os.O_TRUNC if overwrite else os.O_EXCL
        fd = os.open(self.path, flags, FILE_MODE)
        if hasattr(os, "fchmod"):
            os.fchmod(fd, FILE_MODE)  # an overwritten file keeps its old mode otherwise
        return fd

    def write(self, packet: Packet) -> None:
        """Append one notification. Unknown characteristics get a new alias, declared on an ``#alias`` line."""
        self._check_open()
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
        self._check_open()
        self._lines.append("#mark " + json.dumps(mark.to_json_dict(), allow_nan=False) + "\n")
        self.flush()

    def comment(self, text: str) -> None:
        """Append a ``#`` comment line (readers ignore it); newlines in ``text`` become spaces."""
        self._check_open()
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
        """Hand everything written so far to the OS (gzip: a sync flush, readable after a crash).

        OSError when the file cannot take it: the file is cut back to its last good flush, and the writer is done.
        """
        if self._closed or self.failed is not None:
            return
        self._unflushed = 0
        self._last_flush_t = None  # the next packet starts a new one-second window
        if not self._lines:
            return
        text = "".join(self._lines).encode("utf-8")
        self._lines.clear()
        data = text
        if self._compressor is not None:
            data = self._compressor.compress(text) + self._compressor.flush(zlib.Z_SYNC_FLUSH)
        try:
            self._append(text, data)
        except OSError as exc:
            self.failed = exc
            self._pending = (text, data)
            raise

    def _append(self, text: bytes, data: bytes) -> None:
        """Write ``data`` (the bytes of ``text``) at the end of the good part; on failure cut the file back."""
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(self._fd, view) :]
        except OSError:
            self._cut_back()
            raise
        self._good_bytes += len(data)
        self._crc = zlib.crc32(text, self._crc)
        self._text_bytes += len(text)

    def _cut_back(self) -> None:
        """The file back to its length after the last good flush (a part-written flush would read as damage)."""
        with contextlib.suppress(OSError):  # a file that cannot even be cut still reads back up to the damage
            os.ftruncate(self._fd, self._good_bytes)
            os.lseek(self._fd, self._good_bytes, os.SEEK_SET)

    def close(self) -> None:
        """Flush, finish the gzip stream, and sync the file to disk. Safe to call twice.

        After a failed flush: one more try of what failed, then the file is ended at its last good flush.
        """
        if self._closed:
            return
        try:
            if self.failed is None:
                self.flush()
            else:
                self._retry_failed()
            self._finish()
        finally:
            self._closed = True
            os.close(self._fd)

    def _retry_failed(self) -> None:
        if self._pending is not None:
            pending, self._pending = self._pending, None
            with contextlib.suppress(OSError):  # still no room: that last flush is lost, the rest is kept
                self._append(*pending)

    def _finish(self) -> None:
        """End the gzip stream (its final block and trailer) and sync; OSError when even that cannot be written."""
        if self._compressor is not None:
            if self.failed is None:
                ending = self._compressor.flush(zlib.Z_FINISH)
            else:  # the compressor ran ahead of the file: end the stream where the file ends
                ending = _EMPTY_FINAL_BLOCK + struct.pack("<II", self._crc, self._text_bytes & 0xFFFFFFFF)
            self._compressor = None
            try:
                self._append(b"", ending)
            except OSError:
                if self.failed is None:
                    raise
                return  # the file ends at its last good flush without its gzip end: readers take it up to there
        os.fsync(self._fd)

    def _check_open(self) -> None:
        if self._closed:
            raise ValueError(f"recording {self.path} is closed")
        if self.failed is not None:
            raise OSError(self.failed.errno, f"recording {self.path} stopped: {self.failed.strerror or self.failed}")

    @property
    def closed(self) -> bool:
        return self._closed

    def __enter__(self) -> RecordingWriter:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
