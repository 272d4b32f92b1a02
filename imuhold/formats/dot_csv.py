"""Movella (Xsens) DOT CSV exports, from the DOT app/SDK or xsens_dot_server, as samples."""

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
from imuhold.formats.text import csv_rows, read_text
from imuhold.motion.quaternion import conjugate_array, multiply_array, rotate_array
from imuhold.units import RAD_PER_DEG, STANDARD_GRAVITY_M_S2, US_PER_S

# After a few metadata lines comes a header such as ``PacketCounter,SampleTimeFine,Quat_W,…,FreeAcc_X,…`` (quaternion
# modes) or ``…,Euler_X,Euler_Y,Euler_Z,FreeAcc_X,…`` (Euler modes); the server writes ``Timestamp,Address,
# Quaternion_w,…`` with the rows of several sensors interleaved (told apart by ``Address``). ``SampleTimeFine`` is a
# 32-bit µs counter that wraps (unwrapped here). The earth frame is ENU (z up), as in imuhold; quaternions are
# scalar-first and rotate sensor to earth; Euler angles are roll/pitch/yaw in degrees about sensor X/Y/Z, composed
# yaw·pitch·roll. ``FreeAcc`` is in the earth frame with gravity removed, whereas the pipeline wants the sensor-frame
# specific force, so it becomes R(q)ᵀ·(FreeAcc + g·z). Where the export has the sensor-frame ``Acc_*`` it is used
# instead; ``Acc_*`` with ``Gyr_*`` (°/s) and no orientation is fused by imuhold.
NAME = "dot-csv"
FALLBACK_RATE_HZ = 60.0
T_WRAP_US = 1 << 32

_ALIASES = {"timestamp": "sampletimefine", "quaternion_w": "quat_w", "quaternion_x": "quat_x",
            "quaternion_y": "quat_y", "quaternion_z": "quat_z"}  # fmt: skip
_XYZ = ("x", "y", "z")


def _normal(column: str) -> str:
    key = column.strip().lower()
    return _ALIASES.get(key, key)


def _header_index(lines: list[str]) -> int | None:
    for i, line in enumerate(lines):
        names = {_normal(c) for c in line.split(",")}
        if "sampletimefine" in names and (names & {"quat_w", "euler_x", "acc_x", "freeacc_x"}):
            return i
    return None


def sniff(head: str) -> bool:
    """A header line with SampleTimeFine (or the server's Timestamp) and orientation or acceleration columns."""
    return _header_index(head.splitlines()[:40]) is not None


def euler_to_quat(euler_deg: np.ndarray) -> np.ndarray:
    """(N, 3) roll, pitch, yaw in degrees (about X, Y, Z; R = Rz·Ry·Rx) → (N, 4) w, x, y, z."""
    half = np.radians(euler_deg) / 2.0
    zeros = np.zeros(len(euler_deg))
    qx = np.stack((np.cos(half[:, 0]), np.sin(half[:, 0]), zeros, zeros), axis=1)
    qy = np.stack((np.cos(half[:, 1]), zeros, np.sin(half[:, 1]), zeros), axis=1)
    qz = np.stack((np.cos(half[:, 2]), zeros, zeros, np.sin(half[:, 2])), axis=1)
    return multiply_array(multiply_array(qz, qy), qx)


def specific_force_from_free_acc(quat: np.ndarray, free_acc_m_s2: np.ndarray) -> np.ndarray:
    """Sensor-frame specific force from earth-frame free acceleration (gravity removed) and orientation."""
    earth = free_acc_m_s2 + np.array([0.0, 0.0, STANDARD_GRAVITY_M_S2])
    return rotate_array(conjugate_array(quat), earth)


def unwrap_us(t_us: np.ndarray) -> np.ndarray:
    """A 32-bit µs counter made monotonic across wrap-arounds (a backward jump of over half the range)."""
    steps = np.diff(t_us)
    wraps = np.concatenate(([0], np.cumsum(steps < -T_WRAP_US // 2)))
    return t_us + wraps * T_WRAP_US


def _table(text: str, name: str) -> tuple[list[str], list[list[str]], list[str]]:
    """The header's column names, the data rows (a line that is not CSV is an empty row) and warnings."""
    lines = text.splitlines()
    index = _header_index(lines[:200])
    if index is None:
        raise RecordingError(name, "not a DOT CSV (no PacketCounter/SampleTimeFine header line)")
    rows, not_csv = csv_rows("\n".join(lines[index + 1 :]), name)
    rows = [row for row in rows if any(c.strip() for c in row)]
    return [_normal(c) for c in lines[index].split(",")], rows, not_csv


def _pick_sensor(columns: list[str], rows: list[list[str]], sensor: str | None, name: str) -> tuple[list, dict]:
    if "address" not in columns:
        return rows, {}
    at = columns.index("address")
    addresses = list(dict.fromkeys(row[at].strip() for row in rows if len(row) > at))
    if sensor is None:
        chosen = addresses[0] if addresses else ""
    else:
        chosen = next((a for a in addresses if a.lower() == sensor.lower()), "")
        if not chosen:
            raise RecordingError(name, f"no sensor {sensor!r} in this file (it has: {', '.join(addresses)})")
    return [row for row in rows if len(row) > at and row[at].strip() == chosen], {
        "sensor": chosen,
        "sensors_in_file": addresses,
    }


def load(path: str | os.PathLike[str], options: ImportOptions | None = None) -> Imported:
    """One sensor of a DOT CSV export (``options.sensor`` picks an address in a server file)."""
    options = options or ImportOptions()
    name = os.fspath(path)
    text, warnings = read_text(path)
    columns, rows, not_csv = _table(text, name)
    warnings += not_csv
    rows, meta = _pick_sensor(columns, rows, options.sensor, name)
    if len(meta.get("sensors_in_file", ())) > 1 and options.sensor is None:
        warnings.append(f"{name}: several sensors in the file; took {meta['sensor']} (choose one with --sensor)")
    have = set(columns)

    def group(prefix: str, axes: tuple[str, ...] = _XYZ) -> list[str] | None:
        names = [f"{prefix}_{a}" for a in axes]
        return names if set(names) <= have else None

    quat_cols = group("quat", ("w", *_XYZ))
    euler_cols = group("euler")
    acc_cols = group("acc")
    free_cols = group("freeacc")
    gyr_cols = group("gyr")
    orientation_cols = quat_cols or euler_cols
    use_imu = options.orientation == "imu" or orientation_cols is None
    if use_imu and not (acc_cols and gyr_cols):
        what = "Acc_* and Gyr_* columns" if options.orientation == "imu" else "an orientation and an acceleration"
        raise RecordingError(name, f"this export has no {what} to import")
    if options.orientation == "quat" and orientation_cols is None:
        raise RecordingError(name, "this export has no orientation (Quat_* or Euler_*)")
    if not use_imu and not (acc_cols or free_cols):
        raise RecordingError(name, "this export has an orientation but no acceleration (Acc_* or FreeAcc_*)")

    parts: list[str] = ["sampletimefine"]
    if use_imu:
        parts += [*(acc_cols or ()), *(gyr_cols or ())]
    else:
        parts += [*(orientation_cols or ()), *(acc_cols or free_cols or ())]
    data = float_table(rows, [columns.index(c) for c in parts], width=len(columns))
    good = np.all(np.isfinite(data), axis=1) & (data[:, 0] >= 0) & (data[:, 0] < T_WRAP_US)  # a 32-bit counter
    if not good.all():
        warnings.append(f"{name}: skipped {int((~good).sum())} row(s) with missing or malformed values")
    data = data[good]
    if len(data) == 0:
        raise RecordingError(name, "no usable samples")
    t_us = unwrap_us(data[:, 0].astype(np.int64))
    keep = keep_increasing(t_us)
    if not keep.all():
        warnings.append(f"{name}: dropped {int((~keep).sum())} repeated or out-of-order sample(s)")
    data, t_us = data[keep], t_us[keep]
    t_s = (t_us - t_us[0]) / US_PER_S
    values = data[:, 1:]
    quat = gyr = None
    if use_imu:
        acc, gyr = values[:, :3], values[:, 3:6] * RAD_PER_DEG
        meta["orientation"] = "acc + gyro (VQF)"
    else:
        k = 4 if quat_cols else 3
        quat = normalised_quat(values[:, :4]) if quat_cols else euler_to_quat(values[:, :3])
        acc = values[:, k : k + 3]
        if not acc_cols:
            acc = specific_force_from_free_acc(quat, acc)
        meta["orientation"] = "sensor quaternion" if quat_cols else "sensor Euler angles"
        meta["acceleration"] = "Acc (sensor frame)" if acc_cols else "FreeAcc + g, rotated into the sensor frame"
    return Imported(
        source=NAME,
        original_file=name,
        rate_hz=nominal_rate_hz(t_s, FALLBACK_RATE_HZ),
        t_s=t_s,
        acc_m_s2=acc,
        gyr_rad_s=gyr,
        quat=quat,
        meta=meta,
        warnings=tuple(warnings),
    )
