"""What every importer returns: one sensor's samples as arrays in imuhold's units and frames, and its options."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from imuhold.recording.format import check_rate_hz

ORIENTATIONS = ("auto", "quat", "imu")
"""``auto``: the sensor's own quaternion when the file has one; ``quat``: require it; ``imu``: fuse acc + gyro."""


@dataclass(frozen=True, slots=True)
class ImportOptions:
    """Choices an importer may need: which sensor of a multi-sensor file, which orientation source."""

    sensor: str | None = None
    orientation: str = "auto"

    def __post_init__(self) -> None:
        if self.orientation not in ORIENTATIONS:
            raise ValueError(f"orientation must be one of {', '.join(ORIENTATIONS)}, not {self.orientation!r}")


@dataclass(frozen=True, eq=False)
class Imported:
    """One sensor's samples from a foreign file, in the conventions of ``imuhold.model.Sample``.

    ``t_s`` (N,) seconds from the first sample, strictly increasing. ``acc_m_s2`` (N, 3) specific force in the
    sensor frame, gravity included (about +9.81 on the up axis at rest). ``gyr_rad_s`` (N, 3) in the sensor frame,
    or None. ``quat`` (N, 4) w,x,y,z rotating sensor-frame vectors into the earth frame (z up), or None. At least
    one of ``quat`` and ``gyr_rad_s`` is present; the pipeline uses the quaternion when there is one.
    """

    source: str
    original_file: str
    rate_hz: float
    t_s: np.ndarray
    acc_m_s2: np.ndarray
    gyr_rad_s: np.ndarray | None = None
    quat: np.ndarray | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        n = len(self.t_s)
        if n == 0:
            raise ValueError(f"{self.original_file}: no samples")
        if self.acc_m_s2.shape != (n, 3):
            raise ValueError(f"acc_m_s2 has shape {self.acc_m_s2.shape}, expected ({n}, 3)")
        if self.gyr_rad_s is not None and self.gyr_rad_s.shape != (n, 3):
            raise ValueError(f"gyr_rad_s has shape {self.gyr_rad_s.shape}, expected ({n}, 3)")
        if self.quat is not None and self.quat.shape != (n, 4):
            raise ValueError(f"quat has shape {self.quat.shape}, expected ({n}, 4)")
        if self.quat is None and self.gyr_rad_s is None:
            raise ValueError("an import needs a quaternion or a gyroscope")
        if n > 1 and not np.all(np.diff(self.t_s) > 0):
            raise ValueError("sample times must increase")
        check_rate_hz(self.rate_hz)

    @property
    def samples(self) -> int:
        return len(self.t_s)

    @property
    def duration_s(self) -> float:
        return float(self.t_s[-1] - self.t_s[0])

    @property
    def frame_type(self) -> str:
        """Which imuhold-v1 frame carries it: ``quat_acc`` when it has a quaternion, else ``gyr_acc``."""
        return "quat_acc" if self.quat is not None else "gyr_acc"


def nominal_rate_hz(t_s: np.ndarray, fallback_hz: float) -> float:
    """The sample rate from the median interval of ``t_s`` (rounded to 0.01 Hz), or ``fallback_hz``."""
    if len(t_s) < 2:
        return fallback_hz
    dt = float(np.median(np.diff(t_s)))
    return round(1.0 / dt, 2) if dt > 0 else fallback_hz


def keep_increasing(t_s: np.ndarray) -> np.ndarray:
    """Boolean mask of the samples whose time is later than every earlier kept sample's (drops repeats)."""
    if len(t_s) == 0:
        return np.zeros(0, dtype=bool)
    running = np.maximum.accumulate(t_s)
    keep = np.ones(len(t_s), dtype=bool)
    keep[1:] = t_s[1:] > running[:-1]
    return keep


def normalised_quat(quat: np.ndarray) -> np.ndarray:
    """Unit quaternions (rows), scalar kept non-negative so Q14 encoding never flips sign between samples."""
    norm = np.linalg.norm(quat, axis=1, keepdims=True)
    unit = quat / np.where(norm > 0, norm, 1.0)
    return np.where(unit[:, :1] < 0, -unit, unit)


def float_table(rows: list[list[str]], columns: list[int], width: int = 0) -> np.ndarray:
    """The cells ``columns`` of each row as floats, shape (len(rows), len(columns)); a bad row is all NaN.

    A row whose number of cells is not ``width`` (the header's; 0: any) is bad too: a line broken in two, or with a
    stray separator, would shift its columns.
    """
    data = np.full((len(rows), len(columns)), np.nan)
    for r, row in enumerate(rows):
        if width and len(row) != width:
            continue
        with contextlib.suppress(ValueError, IndexError):  # left as NaN: the caller drops and counts it
            data[r] = [float(row[i]) for i in columns]
    return data


class RunningMedian:
    """The median of values met a block at a time, exactly as ``np.median`` over all of them (per column): it keeps
    how often each distinct value was met, not the values, so memory stays small where they take few distinct values
    (a sensor's LSB steps, a clock's intervals)."""

    def __init__(self, columns: int = 1) -> None:
        self.counts: list[dict[float, int]] = [{} for _ in range(columns)]
        self.n = 0

    def add(self, values: np.ndarray) -> None:
        """More values: shape (N,) for one column, (N, columns) for several."""
        if len(values) == 0:
            return
        table = values.reshape(len(values), -1)
        self.n += len(table)
        for column, seen in enumerate(self.counts):
            distinct, k = np.unique(table[:, column], return_counts=True)
            for value, count in zip(distinct.tolist(), k.tolist(), strict=True):
                seen[value] = seen.get(value, 0) + count

    def median(self) -> np.ndarray:
        """Per column: the middle value, or the mean of the two middle ones for an even count (NaN: none met)."""
        n = self.n
        if n == 0:
            return np.full(len(self.counts), np.nan)
        middle = [(n - 1) // 2, n // 2]
        result = []
        for seen in self.counts:
            values = sorted(seen)
            ranks = np.cumsum([seen[v] for v in values])
            picked = np.array([values[int(np.searchsorted(ranks, r, side="right"))] for r in middle])
            result.append(np.mean(picked) if n % 2 == 0 else picked[0])
        return np.array(result, dtype=float)
