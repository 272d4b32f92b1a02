"""SisFall raw text files (200 Hz, nine integer columns per line ending in ``;``, gzip or plain) as samples."""

from __future__ import annotations

import io
import os
import re
import warnings
from collections.abc import Iterator

import numpy as np

from imuhold.errors import RecordingError
from imuhold.formats.base import Imported, ImportOptions
from imuhold.formats.text import BLOCK_CHARS, head_lines, iter_text, shown_lines
from imuhold.units import RAD_PER_DEG, STANDARD_GRAVITY_M_S2

# SisFall v1.0 (Sucerquia, López, Vargas-Bonilla, Sensors 17(1):198, 2017). Columns 1–3 ADXL345 acceleration
# (±16 g, 13 bit: 32/8192 g per LSB), 4–6 ITG3200 angular rate (±2000 °/s, 16 bit: 4000/65536 °/s per LSB), 7–9
# MMA8451Q acceleration (±8 g, 14 bit: 16/16384 g per LSB). Both accelerometers share the gyro's axes (per-axis
# correlation 0.73–1.0 with no lag on the D16 trials). The ADXL345 and the gyro: the rate of change of the gravity
# direction seen by the ADXL345 matches −ω × g with the gyro as given (R² 0.79 on the D16 first trials; flipping
# any axis is worse, x by far), and a gyro scale fit gives 1.05.
#
# The MMA8451Q is the default: its reading of gravity changes far less with posture, which is what the pelvis drop
# (double-integrated vertical acceleration) is most sensitive to. Between quiet standing and a rest leaned more than
# 30° (273 rests of the D07/D09/D15/D16 trials) the gravity magnitude changes by a median 0.11 m/s² (90th percentile
# 0.36) on the MMA8451Q against 0.32 (1.17) on the ADXL345; its standing noise is about half.
NAME = "sisfall"
RATE_HZ = 200.0
ACCELEROMETERS = {"MMA8451Q": (6, 16.0 / 16384.0), "ADXL345": (0, 32.0 / 8192.0)}
"""Accelerometer name: (first column, g per LSB); the first is the default."""
GYR_DEG_S_PER_LSB = 4000.0 / 65536.0
COLUMNS = 9
MAX_COUNT = 1 << 15
"""Every SisFall column is a reading of at most 16 bits: a count beyond ±2¹⁵ makes the line malformed."""

_LINE = re.compile(r"^\s*-?\d+(\s*,\s*-?\d+){8}\s*;?\s*$")
FILE_NAME = re.compile(r"(?P<activity>[DF]\d\d)_(?P<subject>S[AE]\d\d)_(?P<trial>R\d\d)", re.IGNORECASE)


def sniff(head: str) -> bool:
    """Do the first lines look like SisFall samples (nine integers and a semicolon)?"""
    lines = head_lines(head, 6)[:5]
    return len(lines) >= 2 and all(_LINE.match(line) for line in lines[:-1]) and lines[0].rstrip().endswith(";")


def parse(text: str, name: str) -> tuple[np.ndarray, list[str]]:
    """The (N, 9) integer samples of a SisFall text, skipping malformed lines (reported)."""
    well_formed = _parse_well_formed(text)
    if well_formed is not None:
        return well_formed, []
    rows, bad = _parse_lines(text)
    return rows, _malformed(name, bad)


def _malformed(name: str, bad: list[int]) -> list[str]:
    return [f"{name}: skipped {len(bad)} malformed line(s): {shown_lines(bad)}"] if bad else []


_CANONICAL_BYTES = b"0123456789-,;\r\n \t"
_LF, _CR, _SEMICOLON = (ord(c) for c in "\n\r;")


def _parse_well_formed(text: str) -> np.ndarray | None:
    """The samples of a text whose every line is nine integers (blanks around them allowed) joined by commas, then
    an optional ``;`` and ``\\r`` (SisFall as published), parsed in C by numpy's ``loadtxt``; None for anything
    else, which ``_parse_lines`` then reads line by line, reporting what is malformed.

    ``loadtxt`` itself refuses a field that is not one integer, and a line without nine of them; before it, only
    these characters are allowed, a ``;`` only right before the line's end and a ``\\r`` only before ``\\n``, so
    that removing the semicolons leaves what ``_parse_lines`` reads. Empty lines are skipped by both.
    """
    try:
        data = text.encode("ascii")
    except UnicodeEncodeError:
        return None
    if data.translate(None, _CANONICAL_BYTES):
        return None  # a character no SisFall line has
    if not _ends_lines_only(data):
        return None  # a ";" or "\\r" anywhere but at the end of a line
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # "no data" and the like: the line parse says what is wrong
            values = np.loadtxt(
                io.StringIO(text.replace(";", "")), delimiter=",", dtype=np.int64, comments=None, ndmin=2
            )
    except (ValueError, UserWarning):
        return None  # a field that is no integer, or a line without nine of them
    if values.shape[1] != COLUMNS or values.size == 0 or np.any(np.abs(values) > MAX_COUNT):
        return None  # (a count beyond 16 bits makes its line malformed)
    return values


def _ends_lines_only(data: bytes) -> bool:
    """Is every ``;`` followed by ``\\r`` or ``\\n``, and every ``\\r`` by ``\\n`` (or either by the end)?"""
    text = np.frombuffer(data + b"\n", dtype=np.uint8)
    after = text[np.flatnonzero(text == _SEMICOLON) + 1]
    if not np.all((after == _LF) | (after == _CR)):
        return False
    return bool(np.all(text[np.flatnonzero(text == _CR) + 1] == _LF))


def _parse_lines(text: str, first_line: int = 1) -> tuple[np.ndarray, list[int]]:
    """Line by line: the samples, and the numbers of the malformed lines, which are skipped."""
    rows: list[list[int]] = []
    bad: list[int] = []
    for number, line in enumerate(text.splitlines(), first_line):
        line = line.strip().rstrip(";")
        if not line:
            continue
        fields = line.split(",")
        if len(fields) != COLUMNS:
            bad.append(number)
            continue
        try:
            counts = [int(f) for f in fields]
        except ValueError:
            bad.append(number)
            continue
        if all(-MAX_COUNT <= c <= MAX_COUNT for c in counts):
            rows.append(counts)
        else:
            bad.append(number)
    return np.array(rows, dtype=np.int64).reshape(-1, COLUMNS), bad


def accelerometer(options: ImportOptions | None, name: str) -> str:
    """The accelerometer chosen with ``--sensor`` (case-insensitive), MMA8451Q by default."""
    wanted = options.sensor if options is not None and options.sensor else next(iter(ACCELEROMETERS))
    chosen = next((a for a in ACCELEROMETERS if a.lower() == wanted.strip().lower()), None)
    if chosen is None:
        raise RecordingError(
            name, f"no accelerometer {wanted!r} in SisFall files (they have: {', '.join(ACCELEROMETERS)})"
        )
    return chosen


def load(path: str | os.PathLike[str], options: ImportOptions | None = None) -> Imported:
    """One accelerometer (``--sensor``: MMA8451Q or ADXL345) and the ITG3200 of a SisFall file, at 200 Hz from 0."""
    warnings: list[str] = []
    blocks = list(load_blocks(path, options, warnings))
    first = blocks[0]
    return Imported(
        source=NAME,
        original_file=first.original_file,
        rate_hz=RATE_HZ,
        t_s=np.concatenate([b.t_s for b in blocks]),
        acc_m_s2=np.concatenate([b.acc_m_s2 for b in blocks]),
        gyr_rad_s=np.concatenate([b.gyr_rad_s for b in blocks if b.gyr_rad_s is not None]),
        meta=first.meta,
        warnings=tuple(warnings),
    )


def load_blocks(
    path: str | os.PathLike[str], options: ImportOptions | None, warnings: list[str], block_chars: int = BLOCK_CHARS
) -> Iterator[Imported]:
    """The file as ``load`` reads it, in blocks of whole lines so that memory does not grow with its length: each
    an Imported of its samples, timed from the file's first sample. ``warnings`` gets what was met reading and
    parsing once the last block is out; a file without samples raises RecordingError there."""
    name = os.fspath(path)
    chosen = accelerometer(options, name)
    first, g_per_lsb = ACCELEROMETERS[chosen]
    match = FILE_NAME.search(os.path.basename(name))
    meta = {k: v.upper() for k, v in match.groupdict().items()} if match else {}
    meta = {**meta, "accelerometer": chosen, "gyroscope": "ITG3200"}
    read_warnings: list[str] = []
    bad: list[int] = []
    line = 1
    samples = 0
    for text in iter_text(path, read_warnings, block_chars):
        raw = _parse_well_formed(text)
        if raw is None:
            raw, block_bad = _parse_lines(text, line)
            bad += block_bad
            line += len(text.splitlines())
        else:  # only "\r\n" or "\n" end its lines
            line += text.count("\n") + (not text.endswith("\n"))
        if len(raw) == 0:
            continue
        yield Imported(
            source=NAME,
            original_file=name,
            rate_hz=RATE_HZ,
            t_s=np.arange(samples, samples + len(raw)) / RATE_HZ,
            acc_m_s2=raw[:, first : first + 3] * (g_per_lsb * STANDARD_GRAVITY_M_S2),
            gyr_rad_s=raw[:, 3:6] * (GYR_DEG_S_PER_LSB * RAD_PER_DEG),
            meta=meta,
        )
        samples += len(raw)
    if samples == 0:
        raise RecordingError(name, "no SisFall samples (nine integers per line)")
    warnings += [*read_warnings, *_malformed(name, bad)]
