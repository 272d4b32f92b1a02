"""Raw bytes of a recording file in chunks, gzip or plain (detected by magic bytes), noting any damage."""

from __future__ import annotations

import os
import stat
import zlib
from collections.abc import Iterator
from typing import BinaryIO

from imuhold.errors import RecordingError
from imuhold.recording.format import GZIP_MAGIC

CHUNK_BYTES = 1 << 20
_GZIP_WBITS = 16 + zlib.MAX_WBITS


def open_recording_file(path: str | os.PathLike[str]) -> BinaryIO:
    """The file opened for binary reading; RecordingError (line 1) with a plain reason when it cannot be.

    A device (``/dev/zero``, a disk) is refused: it may never end. A pipe is read like a file.
    """
    name = os.fspath(path)
    try:
        file = open(name, "rb")  # noqa: SIM115 (closed by ByteSource.close)
    except FileNotFoundError:
        raise RecordingError(name, "no such file") from None
    except IsADirectoryError:
        raise RecordingError(name, "is a directory, not a file") from None
    except PermissionError:
        raise RecordingError(name, "permission denied") from None
    except OSError as exc:
        raise RecordingError(name, f"cannot open the file ({exc.strerror or exc})") from exc
    mode = os.fstat(file.fileno()).st_mode
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        file.close()
        raise RecordingError(name, "is a device, not a file")
    return file


class ByteSource:
    """Yields the decompressed bytes of one recording file; sets ``damage`` if the data ends badly.

    ``damage`` is None for a complete file, otherwise a sentence such as "the compressed data ends
    abruptly". Bytes decoded before the damage are always yielded first, so nothing readable is lost.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.name = os.fspath(path)
        self._file = open_recording_file(path)
        self.damage: str | None = None
        self.trailing_garbage = 0
        try:
            self._head = self._file.read(CHUNK_BYTES)
        except OSError as exc:
            self._file.close()
            raise RecordingError(self.name, f"cannot read the file ({exc.strerror or exc})", line=1) from exc
        self.gzipped = self._head.startswith(GZIP_MAGIC)

    def close(self) -> None:
        self._file.close()

    def chunks(self) -> Iterator[bytes]:
        """The file's bytes, decompressed if gzipped; a read error mid-file ends the stream as damage."""
        raw = self._raw_chunks()
        yield from (self._gunzip(raw) if self.gzipped else raw)

    def _raw_chunks(self) -> Iterator[bytes]:
        chunk = self._head
        self._head = b""
        while chunk:
            yield chunk
            try:
                chunk = self._file.read(CHUNK_BYTES)
            except OSError as exc:
                self.damage = f"the file could not be read to the end ({exc.strerror or exc})"
                return

    def _gunzip(self, raw: Iterator[bytes]) -> Iterator[bytes]:
        inflater = zlib.decompressobj(_GZIP_WBITS)
        member_started = False
        for chunk in raw:
            data = chunk
            while data:
                if not member_started and not data.startswith(GZIP_MAGIC[: len(data)]):
                    # Bytes after a complete gzip member that are not another member (padding, junk).
                    self.trailing_garbage += len(data)
                    break
                member_started = True
                before = inflater.copy()
                try:
                    out = inflater.decompress(data)
                except zlib.error as exc:
                    self.damage = f"the compressed data is corrupt ({exc})"
                    salvaged = _inflate_until_error(before, data)
                    if salvaged:
                        yield salvaged
                    return
                if out:
                    yield out
                if not inflater.eof:
                    break
                # One gzip member ended; concatenated members (appended files) continue the stream.
                data = inflater.unused_data
                inflater = zlib.decompressobj(_GZIP_WBITS)
                member_started = False
        if member_started and self.damage is None:
            try:
                out = inflater.flush()
            except zlib.error:  # pragma: no cover - flush of a truncated stream returns what it has
                out = b""
            if out:
                yield out
            self.damage = "the compressed data ends abruptly (the file was cut short or never closed)"


def _inflate_until_error(inflater: zlib._Decompress, data: bytes, piece_bytes: int = 512) -> bytes:
    """Everything ``inflater`` can produce from ``data`` before the first corrupt byte.

    zlib raises without returning the output of the good bytes before the damage, so feed the chunk
    again in small pieces, and the failing piece byte by byte, keeping a copy to go back to.
    """
    out: list[bytes] = []
    for start in range(0, len(data), piece_bytes):
        piece = data[start : start + piece_bytes]
        saved = inflater.copy()
        try:
            out.append(inflater.decompress(piece))
            continue
        except zlib.error:
            inflater = saved
        for i in range(len(piece)):
            try:
                out.append(inflater.decompress(piece[i : i + 1]))
            except zlib.error:
                break
        break
    return b"".join(out)
