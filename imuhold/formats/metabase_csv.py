"""MbientLab MetaBase CSV exports: a session's accelerometer (g) and gyroscope (°/s) files, paired, as samples."""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np

from imuhold.errors import RecordingError
from imuhold.formats.base import Imported, ImportOptions, float_table, keep_increasing, nominal_rate_hz
from imuhold.formats.text import csv_rows, head_lines, read_text
from imuhold.units import RAD_PER_DEG, STANDARD_GRAVITY_M_S2

# Columns: ``epoc (ms),timestamp (±hhmm),elapsed (s),x-axis (g),y-axis (g),z-axis (g)`` (``(deg/s)`` for the
# gyroscope; some apps write ``epoch`` and ``time``). The files of one session differ only in the signal's name
# (``…_Accelerometer….csv``, ``…_Gyroscope….csv``), so either may be given and the other is found beside it. The two
# streams have their own clocks (epoch ms): the gyroscope is interpolated onto the accelerometer's sample times, and
# imuhold fuses orientation from them. MetaBase's own fused quaternion is not used: its frame convention is not
# documented well enough to check here.
NAME = "metabase-csv"
FALLBACK_RATE_HZ = 100.0
SIGNALS = {"acc": "Accelerometer", "gyr": "Gyroscope"}
_UNITS = {"(g)": "acc", "(deg/s)": "gyr"}


def _signal(header: str) -> str | None:
    """Which signal a header line belongs to (``acc`` or ``gyr``), or None."""
    columns = [c.strip().lower() for c in header.split(",")]
    if len(columns) < 6 or not columns[0].startswith(("epoc (ms)", "epoch (ms)")) or "elapsed (s)" not in columns:
        return None
    for unit, signal in _UNITS.items():
        if all(f"{axis}-axis {unit}" in columns for axis in "xyz"):
            return signal
    return None


def sniff(head: str) -> bool:
    """An accelerometer or gyroscope MetaBase header: epoch ms, elapsed s, x/y/z-axis in g or °/s."""
    lines = head_lines(head, 1)
    return bool(lines) and _signal(lines[0]) is not None


def sibling(path: Path, signal: str) -> Path | None:
    """The file of ``signal`` from the same session as ``path`` (its name with the signal word swapped)."""
    pattern = re.compile("|".join(SIGNALS.values()), re.IGNORECASE)
    if not pattern.search(path.name):
        return None
    candidate = path.with_name(pattern.sub(SIGNALS[signal], path.name, count=1))
    if candidate.is_file():
        return candidate
    for other in (candidate.with_name(candidate.name + ".gz"), candidate.with_name(candidate.name.removesuffix(".gz"))):
        if other.is_file():
            return other
    return None


def _read(path: Path) -> tuple[str, np.ndarray, list[str]]:
    """(signal, (N, 4) epoch-ms and x, y, z, warnings) of one MetaBase file; rows with bad numbers skipped."""
    name = os.fspath(path)
    text, warnings = read_text(path)
    rows, not_csv = csv_rows(text, name)
    warnings += not_csv
    signal = _signal(",".join(rows[0])) if rows else None
    if signal is None:
        raise RecordingError(name, "not a MetaBase accelerometer or gyroscope CSV")
    data = float_table(rows[1:], [0, 3, 4, 5], width=len(rows[0]))
    good = np.all(np.isfinite(data), axis=1)
    if not good.all():
        warnings.append(f"{name}: skipped {int((~good).sum())} row(s) with missing or malformed values")
    data = data[good]
    keep = keep_increasing(data[:, 0])
    if not keep.all():
        warnings.append(f"{name}: dropped {int((~keep).sum())} sample(s) whose time did not advance")
    return signal, data[keep], warnings


def load(path: str | os.PathLike[str], options: ImportOptions | None = None) -> Imported:
    """Accelerometer and gyroscope of one MetaBase session, given either file."""
    options = options or ImportOptions()
    if options.orientation == "quat":
        raise RecordingError(os.fspath(path), "MetaBase imports use acc + gyro; the fused quaternion is not read")
    path = Path(path)
    signal, first, warnings = _read(path)
    other_signal = "gyr" if signal == "acc" else "acc"
    other_path = sibling(path, other_signal)
    if other_path is None:
        raise RecordingError(
            os.fspath(path), f"the matching {SIGNALS[other_signal]} file of this session was not found beside it"
        )
    _, second, more = _read(other_path)
    acc, gyr = (first, second) if signal == "acc" else (second, first)
    overlap = "the accelerometer and gyroscope files do not overlap in time"
    if len(acc) == 0 or len(gyr) < 2:
        raise RecordingError(os.fspath(path), overlap)
    lo, hi = max(acc[0, 0], gyr[0, 0]), min(acc[-1, 0], gyr[-1, 0])
    acc = acc[(acc[:, 0] >= lo) & (acc[:, 0] <= hi)]
    if len(acc) == 0:
        raise RecordingError(os.fspath(path), overlap)
    gyr_on_acc = np.stack([np.interp(acc[:, 0], gyr[:, 0], gyr[:, k]) for k in (1, 2, 3)], axis=1)
    t_s = (acc[:, 0] - acc[0, 0]) / 1000.0
    acc_path, gyr_path = (path, other_path) if signal == "acc" else (other_path, path)
    return Imported(
        source=NAME,
        original_file=os.fspath(acc_path),
        rate_hz=nominal_rate_hz(t_s, FALLBACK_RATE_HZ),
        t_s=t_s,
        acc_m_s2=acc[:, 1:] * STANDARD_GRAVITY_M_S2,
        gyr_rad_s=gyr_on_acc * RAD_PER_DEG,
        meta={"gyroscope_file": gyr_path.name, "orientation": "acc + gyro (VQF)"},
        warnings=(*warnings, *more),
    )
