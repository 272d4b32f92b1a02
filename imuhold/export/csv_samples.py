"""The samples CSV: one row per processed sample, columns documented in docs/export.md."""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable
from typing import TextIO

from imuhold.export.convention import Convention
from imuhold.export.samples import SampleRow
from imuhold.store import TiltPoint

RAW_COLUMNS = (
    "t_s", "host_t_s", "seq",
    "quat_w", "quat_x", "quat_y", "quat_z",
    "acc_x_m_s2", "acc_y_m_s2", "acc_z_m_s2",
    "gyr_x_rad_s", "gyr_y_rad_s", "gyr_z_rad_s",
    "inclination_deg",
)  # fmt: skip
TAIL_COLUMNS = ("drop_m", "state", "squat", "hold", "event", "gap")


def columns(convention: Convention) -> list[str]:
    """The header row: the angle columns are named by the convention (``tilt_deg``, ``pelvis_tilt_deg``…)."""
    return [*RAW_COLUMNS, convention.tilt_column, convention.obliquity_column, *TAIL_COLUMNS]


def _f(value: float | None, digits: int) -> str:
    if value is None or math.isnan(value):
        return ""
    return f"{value:.{digits}f}"


def _vec(values: tuple[float, ...] | None, size: int, digits: int) -> list[str]:
    if values is None:
        return [""] * size
    return [f"{v:.{digits}f}" for v in values]


def _n(value: int | None) -> str:
    return "" if value is None else str(value)


def write_samples_csv(rows: Iterable[SampleRow], convention: Convention, out: TextIO) -> int:
    """Write the header and one line per sample; returns the number of samples."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns(convention))
    tilt_sign, obliquity_sign = convention.tilt_sign, convention.obliquity_sign
    count = 0
    for row in rows:
        writer.writerow(
            [
                f"{row.t_s:.4f}",
                f"{row.host_t_s:.4f}",
                _n(row.seq),
                *_vec(row.quat, 4, 6),
                *_vec(row.acc_m_s2, 3, 4),
                *_vec(row.gyr_rad_s, 3, 5),
                _f(row.inclination_deg, 3),
                _f(tilt_sign * row.tilt_deg, 3),
                _f(obliquity_sign * row.obliquity_deg, 3),
                _f(row.drop_m, 4),
                row.state,
                _n(row.squat),
                _n(row.hold),
                ";".join(row.events),
                "1" if row.gap else "0",
            ]
        )
        count += 1
    return count


def write_tilt_csv(points: Iterable[TiltPoint], convention: Convention, out: TextIO) -> int:
    """The same columns from the stored 10 Hz tilt series, for a session whose recording is gone."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns(convention))
    blanks = [""] * (len(RAW_COLUMNS) - 2)
    count = 0
    for p in points:
        writer.writerow(
            [f"{p.t_s:.4f}", "", *blanks, _f(convention.tilt(p.tilt_deg), 3),
             _f(convention.obliquity(p.obliquity_deg), 3), "", p.state, "", "", "", "0"]
        )  # fmt: skip
        count += 1
    return count
