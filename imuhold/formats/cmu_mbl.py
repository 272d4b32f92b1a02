"""CMU-MBL exercise CSV files: one of several body-worn sensors (``Pelvis`` by default) as samples."""

from __future__ import annotations

import os

import numpy as np

from imuhold.errors import RecordingError
from imuhold.formats.base import (
    Imported,
    ImportOptions,
    float_table,
    keep_increasing,
    nominal_rate_hz,
    normalised_quat,
)
from imuhold.formats.text import csv_rows, head_lines, read_text
from imuhold.motion.quaternion import rotate_array

# Source: github.com/CMU-MBL/IMU_Exercise_Prediction (Phan et al., IEEE JBHI 28(6):3411–3421, 2024). Three header
# rows (sensor / quantity / axis), then an index column and, per sensor, Time [s], Orientation (w, x, y, z),
# Accelerometer [m/s²], Gyroscope [rad/s], Magnetometer [µT]. The orientation quaternion rotates sensor-frame vectors
# into an earth frame with z up, imuhold's own convention, so it is used as is. Checked on every SUB22 file: the
# mean of R(q)·acc lies 2.2° from +z at the median and 5.6° at worst (21° for the transposed convention), and the
# body rate 2·q*⊗q̇ matches the gyroscope to 0.04 rad/s (the earth-frame rate does not). Each file is checked again
# on import; one whose quaternion disagrees with gravity falls back to acc + gyro.
NAME = "cmu-mbl"
DEFAULT_SENSOR = "Pelvis"
FALLBACK_RATE_HZ = 100.0
MAX_GRAVITY_MISMATCH_DEG = 20.0
"""Angle between the quaternion's mean view of the accelerometer and earth's up beyond which it is not trusted."""

_QUANTITIES = {
    "time": ("Time", ("S",)),
    "quat": ("Orientation", ("S", "X", "Y", "Z")),
    "acc": ("Accelerometer", ("X", "Y", "Z")),
    "gyr": ("Gyroscope", ("X", "Y", "Z")),
}


def sniff(head: str) -> bool:
    """Three header rows: sensor names, quantities (Time, Orientation, Accelerometer…), axes (S, X, Y, Z)."""
    lines = head_lines(head, 3)
    if len(lines) < 3:
        return False
    quantities = lines[1].split(",")
    axes = lines[2].split(",")
    return (
        lines[0].startswith(",")
        and "Time" in quantities
        and "Accelerometer" in quantities
        and "Gyroscope" in quantities
        and {"S", "X", "Y", "Z"} <= set(axes)
    )


def _columns(header: list[list[str]], sensor: str, name: str) -> dict[str, list[int]]:
    sensors, quantities, axes = header
    chosen = next((s for s in dict.fromkeys(sensors) if s.strip().lower() == sensor.lower() and s.strip()), None)
    if chosen is None:
        known = ", ".join(s for s in dict.fromkeys(sensors) if s.strip())
        raise RecordingError(name, f"no sensor {sensor!r} in this file (it has: {known})")
    found: dict[str, list[int]] = {}
    for key, (quantity, wanted) in _QUANTITIES.items():
        cols = [i for i, (s, q) in enumerate(zip(sensors, quantities, strict=False)) if s == chosen and q == quantity]
        if [axes[i] for i in cols] != list(wanted):
            if key == "quat" and not cols:
                continue
            raise RecordingError(name, f"sensor {chosen}: expected {quantity} columns {', '.join(wanted)}")
        found[key] = cols
    return found


def gravity_mismatch_deg(quat: np.ndarray, acc_m_s2: np.ndarray) -> float:
    """Angle between earth's +z and the mean of the accelerometer rotated by ``quat`` into the earth frame.

    Movement averages out over a window, gravity does not: a sensor → earth quaternion gives a few degrees.
    """
    mean = rotate_array(quat, acc_m_s2).mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return 180.0 if norm == 0.0 else float(np.degrees(np.arccos(np.clip(mean[2] / norm, -1.0, 1.0))))


def load(path: str | os.PathLike[str], options: ImportOptions | None = None) -> Imported:
    """One sensor of a CMU-MBL CSV (``options.sensor``, default Pelvis); its quaternion unless ``imu`` is asked."""
    options = options or ImportOptions()
    name = os.fspath(path)
    text, warnings = read_text(path)
    rows, not_csv = csv_rows(text, name)
    warnings += not_csv
    if len(rows) < 4:
        raise RecordingError(name, "not a CMU-MBL CSV (three header rows and data expected)")
    sensor = options.sensor or DEFAULT_SENSOR
    cols = _columns(rows[:3], sensor, name)
    wanted = [i for key in ("time", "quat", "acc", "gyr") for i in cols.get(key, [])]
    data = float_table(rows[3:], wanted, width=len(rows[1]))
    good = np.all(np.isfinite(data), axis=1)
    if not good.all():
        warnings.append(f"{name}: skipped {int((~good).sum())} row(s) with missing or malformed values")
    data = data[good]
    if len(data):
        data = data[keep_increasing(data[:, 0])]
    if len(data) == 0:
        raise RecordingError(name, f"no usable samples for sensor {sensor}")
    t_s = data[:, 0] - data[0, 0]
    has_quat = "quat" in cols
    quat = normalised_quat(data[:, 1:5]) if has_quat else None
    acc = data[:, -6:-3]
    gyr = data[:, -3:]
    meta: dict[str, object] = {"sensor": sensor, "t0_s": round(float(data[0, 0]), 6)}
    if quat is not None:
        mismatch = gravity_mismatch_deg(quat, acc)
        meta["quat_gravity_mismatch_deg"] = round(mismatch, 2)
        if mismatch > MAX_GRAVITY_MISMATCH_DEG:
            if options.orientation == "quat":
                raise RecordingError(name, f"its quaternion disagrees with gravity by {mismatch:.0f}°")
            warnings.append(f"{name}: quaternion disagrees with gravity by {mismatch:.0f}°; using acc + gyro")
            quat = None
    if options.orientation == "quat" and quat is None:
        raise RecordingError(name, f"sensor {sensor} has no orientation quaternion")
    use_quat = quat is not None and options.orientation != "imu"
    meta["orientation"] = "sensor quaternion" if use_quat else "acc + gyro (VQF)"
    return Imported(
        source=NAME,
        original_file=name,
        rate_hz=nominal_rate_hz(t_s, FALLBACK_RATE_HZ),
        t_s=t_s,
        acc_m_s2=acc,
        gyr_rad_s=gyr,
        quat=quat if use_quat else None,
        meta=meta,
        warnings=tuple(warnings),
    )
