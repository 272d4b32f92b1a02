"""imuhold's own samples CSV (``imuhold export --format csv``) read back: time, quaternion, acceleration, gyro."""

# The columns are documented in docs/export.md; angle columns (any convention) and the detector's columns are
# ignored: importing re-runs the pipeline on the raw values, so an export round-trips to the same holds.

from __future__ import annotations

import os

import numpy as np

from imuhold.errors import RecordingError
from imuhold.formats.base import Imported, ImportOptions, float_table, keep_increasing, nominal_rate_hz
from imuhold.formats.text import csv_rows, read_text

NAME = "imuhold-csv"
FALLBACK_RATE_HZ = 100.0
SIGNATURE = "t_s,host_t_s,seq,quat_w,quat_x,quat_y,quat_z,acc_x_m_s2"
QUAT = ["quat_w", "quat_x", "quat_y", "quat_z"]
ACC = ["acc_x_m_s2", "acc_y_m_s2", "acc_z_m_s2"]
GYR = ["gyr_x_rad_s", "gyr_y_rad_s", "gyr_z_rad_s"]


def sniff(head: str) -> bool:
    """The header row of an imuhold samples export."""
    return head.lstrip("\ufeff").startswith(SIGNATURE)


def _present(columns: list[str], rows: list[list[str]], names: list[str]) -> np.ndarray | None:
    """The named columns as floats, or None when the file has them empty (e.g. no gyro)."""
    data = float_table(rows, [columns.index(n) for n in names], width=len(columns))
    return None if np.isnan(data).all() else data


def load(path: str | os.PathLike[str], options: ImportOptions | None = None) -> Imported:
    options = options or ImportOptions()
    name = os.fspath(path)
    text, warnings = read_text(path)
    table, not_csv = csv_rows(text, name)
    warnings += not_csv
    columns = table[0] if table else []
    if not sniff(",".join(columns)):
        raise RecordingError(name, f"not an imuhold samples CSV (its header should start with {SIGNATURE})")
    rows = [row for row in table[1:] if row]
    if not rows:
        raise RecordingError(name, "no samples")
    t_s = float_table(rows, [columns.index("t_s")], width=len(columns))[:, 0]
    acc = _present(columns, rows, ACC)
    quat = None if options.orientation == "imu" else _present(columns, rows, QUAT)
    gyr = _present(columns, rows, GYR)
    if acc is None:
        raise RecordingError(name, "this export has no acceleration (acc_*_m_s2), which the pipeline needs")
    if options.orientation == "quat" and quat is None:
        raise RecordingError(name, "this export has no quaternion (quat_*)")
    if quat is None and gyr is None:
        raise RecordingError(name, "this export has neither a quaternion nor a gyroscope")
    needed = [t_s[:, None], acc, *(a for a in (quat, gyr) if a is not None)]
    good = np.isfinite(np.hstack(needed)).all(axis=1)
    good &= keep_increasing(np.where(good, t_s, -np.inf))
    dropped = int(len(t_s) - good.sum())
    if dropped:
        warnings.append(f"{name}: {dropped} rows with missing or non-finite values or repeated times were skipped")
    if not good.any():
        raise RecordingError(name, "no usable samples (every row has missing values)")
    t_s = t_s[good] - t_s[good][0]
    return Imported(
        source=NAME,
        original_file=name,
        rate_hz=nominal_rate_hz(t_s, FALLBACK_RATE_HZ),
        t_s=t_s,
        acc_m_s2=acc[good],
        gyr_rad_s=None if gyr is None else gyr[good],
        quat=None if quat is None else quat[good],
        meta={"orientation": "exported quaternion" if quat is not None else "acc + gyro (VQF)"},
        warnings=tuple(warnings),
    )
