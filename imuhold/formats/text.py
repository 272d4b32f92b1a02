"""Text of a foreign data file, gzip or plain (told apart by the magic bytes, not by the name)."""

from __future__ import annotations

import csv
import os
import zlib

from imuhold.errors import RecordingError
from imuhold.recording.source import open_recording_file

GZIP_MAGIC = b"\x1f\x8b"
HEAD_BYTES = 16384
CHUNK_BYTES = 1 << 16
NOT_CSV = ["(not CSV)"]
"""The row standing for a line that csv cannot parse."""


def _read_bytes(path: str | os.PathLike[str], limit: int | None = None) -> bytes:
    with open_recording_file(path) as file:
        try:
            return file.read() if limit is None else file.read(limit)
        except OSError as exc:
            raise RecordingError(os.fspath(path), f"cannot read the file ({exc.strerror or exc})") from exc


def check_readable(path: str | os.PathLike[str]) -> None:
    """RecordingError unless ``path`` is a file that can be opened (no such file, a directory, no permission)."""
    _read_bytes(path, 0)


def read_text(path: str | os.PathLike[str]) -> tuple[str, list[str]]:
    """The whole file as text (UTF-8, undecodable bytes replaced; gzip decompressed) and any damage found.

    A gzip stream that ends abruptly or turns corrupt yields what was decoded before the damage, with a warning.
    """
    name = os.fspath(path)
    raw = _read_bytes(path)
    warnings: list[str] = []
    if raw.startswith(GZIP_MAGIC):
        raw, damage = _gunzip(raw)
        if damage:
            warnings.append(f"{name}: {damage}; everything before it was read")
    return raw.decode("utf-8", "replace").removeprefix("\ufeff"), warnings


def _gunzip(raw: bytes) -> tuple[bytes, str | None]:
    """Decompressed gzip members one after another, and a description of any damage that ended them early."""
    parts: list[bytes] = []
    rest = raw
    while rest.startswith(GZIP_MAGIC):
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        end = 0
        for start in range(0, len(rest), CHUNK_BYTES):  # in pieces, so data before a corrupt spot is kept
            end = start + CHUNK_BYTES
            try:
                parts.append(inflater.decompress(rest[start:end]))
            except zlib.error:
                return b"".join(parts), "the compressed data is corrupt"
            if inflater.eof:
                break
        if not inflater.eof:
            return b"".join(parts), "the compressed data ends abruptly"
        rest = inflater.unused_data + rest[end:]
    return b"".join(parts), None


def read_head(path: str | os.PathLike[str], size: int = HEAD_BYTES) -> str:
    """About the first ``size`` bytes of the file's text, for recognising its format; "" when unreadable."""
    try:
        raw = _read_bytes(path, size)
    except RecordingError:
        return ""
    if raw.startswith(GZIP_MAGIC):
        try:
            raw = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(raw, size)
        except zlib.error:
            return ""
    return raw.decode("utf-8", "replace").removeprefix("\ufeff")


def head_lines(head: str, count: int) -> list[str]:
    """The first ``count`` non-blank lines of ``head`` (the last one may be cut short)."""
    lines = [line.strip() for line in head.splitlines()]
    return [line for line in lines if line][:count]


def csv_rows(text: str, name: str) -> tuple[list[list[str]], list[str]]:
    """The CSV rows of ``text`` and warnings about lines that are not CSV (a bare CR, a field over csv's limit…).

    Any line ending (LF, CRLF, a lone CR) ends a row, and quotes do not join lines (a stray one would swallow the
    rest of the file): a cell's surrounding quotes are removed, and none of these formats quotes a comma. A line
    that csv cannot parse becomes the row ``NOT_CSV``, whose one cell is no number, so the caller skips and counts
    it with the other malformed rows.
    """
    reader = csv.reader(text.splitlines(), quoting=csv.QUOTE_NONE)
    rows: list[list[str]] = []
    bad: list[int] = []
    while True:
        try:
            row = next(reader)
            if any('"' in cell for cell in row):
                row = [cell.strip().strip('"') for cell in row]
            rows.append(row)
        except StopIteration:
            break
        except csv.Error:
            bad.append(reader.line_num)
            rows.append(NOT_CSV)
    warnings = [f"{name}: {len(bad)} line(s) are not CSV: {shown_lines(bad)}"] if bad else []
    return rows, warnings


def shown_lines(numbers: list[int], most: int = 5) -> str:
    """Line numbers for a message: the first ``most`` of them, then an ellipsis."""
    return ", ".join(str(n) for n in numbers[:most]) + (" …" if len(numbers) > most else "")
