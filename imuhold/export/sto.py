"""OpenSim/OpenSense orientation files (``.sto``, DataType=Quaternion): the pelvis IMU's orientation per sample."""

# Quaternions are w,x,y,z, rotating sensor-frame vectors into imuhold's earth frame (z up, heading arbitrary).
# OpenSense's IMU placer turns that into OpenSim's Y-up ground with its default sensor_to_opensim_rotations
# (-pi/2, 0, 0) and aligns the heading with base_imu_label=pelvis_imu.

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from imuhold.model import Quat

OPENSIM_VERSION = "4.5"
COLUMN = "pelvis_imu"


def write_sto(rows: Iterable[tuple[float, Quat]], rate_hz: float, out: TextIO) -> int:
    """Write ``(t_s, quat)`` rows as a TAB-separated orientation table; returns the number of rows."""
    out.write(
        f"DataRate={rate_hz:.6f}\nDataType=Quaternion\nversion=3\nOpenSimVersion={OPENSIM_VERSION}\nendheader\n"
        f"time\t{COLUMN}\n"
    )
    count = 0
    for t_s, (w, x, y, z) in rows:
        out.write(f"{t_s:.6f}\t{w:.7f},{x:.7f},{y:.7f},{z:.7f}\n")
        count += 1
    return count
