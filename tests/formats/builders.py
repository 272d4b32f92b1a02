"""Foreign data files built from a simulated session (exact sensor values), in each importer's documented layout."""

from __future__ import annotations

import gzip
from functools import cache
from pathlib import Path

import numpy as np

from imuhold import sim
from imuhold.motion.quaternion import rotate_array
from imuhold.units import DEG_PER_RAD, STANDARD_GRAVITY_M_S2

G = STANDARD_GRAVITY_M_S2
SENSORS = ("Chest", "Pelvis", "RightThigh")
METABASE_STEM = "MetaWear_2026-11-24T10.00.00.000_C8A4C7A0F1B2"
DOT_T0_US = (1 << 32) - 3_000_000
"""The DOT clock starts 3 s before its 32-bit wrap, so every DOT file built here wraps."""


@cache
def session(rate_hz: float = 100.0, seed: int = 3) -> sim.Simulation:
    """Stand, a squat with a 6 s hold, stand, a short walk, stand, a squat with a 4 s hold, stand (about 40 s)."""
    activities = (
        sim.Stand(5.0),
        sim.Squat(bottom=(sim.Hold(6.0),)),
        sim.Stand(4.0),
        sim.Walk(5.0),
        sim.Stand(3.0),
        sim.Squat(bottom=(sim.Hold(4.0),), tilt_deg=25.0),
        sim.Stand(4.0),
    )
    sensor = sim.SensorConfig(rate_hz=rate_hz, frame_type="raw", mount_wxyz=(0.5, 0.5, -0.5, 0.5))
    return sim.simulate(sim.Scenario("importers", activities, sensor), seed)


def _write(path: Path, text: str) -> Path:
    data = text.encode()
    path.write_bytes(gzip.compress(data) if path.name.endswith(".gz") else data)
    return path


def sisfall_counts(simulation: sim.Simulation) -> np.ndarray:
    """(N, 9) SisFall integers: ADXL345 acc, ITG3200 gyro, MMA8451Q acc, from exact sensor values."""
    acc_g = simulation.acc_m_s2 / G
    gyr_dps = simulation.gyr_rad_s * DEG_PER_RAD
    return np.concatenate(
        (np.rint(acc_g / (32 / 8192)), np.rint(gyr_dps / (4000 / 65536)), np.rint(acc_g / (16 / 16384))), axis=1
    ).astype(int)


def write_sisfall(path: Path, counts: np.ndarray) -> Path:
    lines = ["".join(f"{v:4d}," for v in row[:8]) + f"{row[8]:4d};" for row in counts]
    return _write(path, "\r\n".join(lines) + "\r\n")


def write_cmu(path: Path, simulation: sim.Simulation, t0_s: float = 0.95) -> Path:
    """A CMU-MBL CSV: index column, then per sensor Time, Orientation w,x,y,z, Acc, Gyro, Mag (all sensors alike,
    except that only the Pelvis carries the simulation; the others are still)."""
    n = len(simulation.t_s)
    header = [[""], [""], [""]]
    columns = []
    for sensor in SENSORS:
        names = ["Time", *["Orientation"] * 4, *["Accelerometer"] * 3, *["Gyroscope"] * 3, *["Magnetometer"] * 3]
        header[0] += [sensor] * 14
        header[1] += names
        header[2] += ["S", "S", "X", "Y", "Z", "X", "Y", "Z", "X", "Y", "Z", "X", "Y", "Z"]
        if sensor == "Pelvis":
            quat, acc, gyr = simulation.quat, simulation.acc_m_s2, simulation.gyr_rad_s
        else:
            quat = np.tile([1.0, 0.0, 0.0, 0.0], (n, 1))
            acc, gyr = np.tile([0.0, 0.0, G], (n, 1)), np.zeros((n, 3))
        columns.append(np.column_stack((simulation.t_s + t0_s, quat, acc, gyr, np.tile([20.0, 0.0, -40.0], (n, 1)))))
    data = np.column_stack(columns)
    lines = [",".join(row) for row in header]
    lines += [f"{i}," + ",".join(f"{v:.7f}" for v in row) for i, row in enumerate(data)]
    return _write(path, "\n".join(lines) + "\n")


def euler_deg(quat: np.ndarray) -> np.ndarray:
    """Roll, pitch, yaw (R = Rz·Ry·Rx) in degrees of (N, 4) w, x, y, z quaternions."""
    w, x, y, z = quat.T
    roll = np.arctan2(2 * (w * x + y * z), 1 - 2 * (x * x + y * y))
    pitch = np.arcsin(np.clip(2 * (w * y - z * x), -1.0, 1.0))
    yaw = np.arctan2(2 * (w * z + x * y), 1 - 2 * (y * y + z * z))
    return np.degrees(np.column_stack((roll, pitch, yaw)))


def free_acc(simulation: sim.Simulation) -> np.ndarray:
    """Earth-frame acceleration with gravity removed, as the DOT reports it."""
    return rotate_array(simulation.quat, simulation.acc_m_s2) - np.array([0.0, 0.0, G])


def dot_times_us(simulation: sim.Simulation) -> np.ndarray:
    return (DOT_T0_US + np.rint(simulation.t_s * 1e6).astype(np.int64)) % (1 << 32)


def write_dot(path: Path, simulation: sim.Simulation, mode: str = "quat") -> Path:
    """A DOT app export: metadata, a blank line, then ``quat`` (Quat + FreeAcc + Status), ``euler``
    (Euler + FreeAcc) or ``rate`` (Acc + Gyr in °/s) columns."""
    meta = [
        "sep=,",
        "DeviceTag:,Xsens DOT,,,,,,,",
        "FirmwareVersion:,2.0.0,,,,,,,",
        "AppVersion:,2023.0.0,,,,,,,",
        "SyncStatus:,Un-synced,,,,,,,",
        f"OutputRate:,{simulation.scenario.sensor.rate_hz:g}Hz,,,,,,,",
        "FilterProfile:,General,,,,,,,",
        "Measurement Mode:,Complete (Quaternion),,,,,,,",
        "StartTime:,2026-11-24 10:00:00.000 +0000,,,,,,,",
        "Movella Technologies B. V. 2005-2026,,,,,,,,,",
        "",
    ]
    t_us = dot_times_us(simulation)
    counter = np.arange(len(t_us))
    if mode == "quat":
        header = "PacketCounter,SampleTimeFine,Quat_W,Quat_X,Quat_Y,Quat_Z,FreeAcc_X,FreeAcc_Y,FreeAcc_Z,Status"
        data = np.column_stack((simulation.quat, free_acc(simulation), np.zeros(len(t_us))))
    elif mode == "euler":
        header = "PacketCounter,SampleTimeFine,Euler_X,Euler_Y,Euler_Z,FreeAcc_X,FreeAcc_Y,FreeAcc_Z"
        data = np.column_stack((euler_deg(simulation.quat), free_acc(simulation)))
    else:
        header = "PacketCounter,SampleTimeFine,Acc_X,Acc_Y,Acc_Z,Gyr_X,Gyr_Y,Gyr_Z"
        data = np.column_stack((simulation.acc_m_s2, simulation.gyr_rad_s * DEG_PER_RAD))
    rows = [f"{c},{t}," + ",".join(f"{v:.6f}" for v in row) for c, t, row in zip(counter, t_us, data, strict=True)]
    return _write(path, "\n".join([*meta, header, *rows]) + "\n")


def write_dot_server(path: Path, simulation: sim.Simulation, addresses: tuple[str, ...]) -> Path:
    """An xsens_dot_server file: rows of several sensors interleaved; only the first address moves."""
    lines = ["sep=,", "Measurement Mode:,Extended (Quaternion)", "StartTime:,Mon, 24 Nov 2026 10:00:00 GMT", "", ""]
    lines.append(
        "Timestamp,Address,Quaternion_w,Quaternion_x,Quaternion_y,Quaternion_z,FreeAcc_x,FreeAcc_y,FreeAcc_z,"
        "Status,ClipCountAcc,ClipCountGyr"
    )
    moving = np.column_stack((simulation.quat, free_acc(simulation)))
    still = np.tile([1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], (len(moving), 1))
    for i, t in enumerate(dot_times_us(simulation)):
        for address, data in zip(addresses, (moving, *[still] * (len(addresses) - 1)), strict=True):
            lines.append(f"{t},{address}," + ",".join(f"{v:.6f}" for v in data[i]) + ",0,0,0")
    return _write(path, "\n".join(lines) + "\n")


def write_metabase(folder: Path, simulation: sim.Simulation, stem: str = METABASE_STEM) -> tuple[Path, Path]:
    """The accelerometer and gyroscope files of a MetaBase session (the gyro clock offset by 3 ms)."""
    epoch_ms = 1_795_000_000_000 + np.rint(simulation.t_s * 1000).astype(np.int64)
    paths = []
    for signal, unit, values, shift_ms in (
        ("Accelerometer", "g", simulation.acc_m_s2 / G, 0),
        ("Gyroscope", "deg/s", simulation.gyr_rad_s * DEG_PER_RAD, 3),
    ):
        t = epoch_ms + shift_ms
        lines = [f"epoc (ms),timestamp (+0000),elapsed (s),x-axis ({unit}),y-axis ({unit}),z-axis ({unit})"]
        lines += [
            f"{e},2026-11-24T10.00.{i:06d},{(e - t[0]) / 1000:.3f}," + ",".join(f"{v:.4f}" for v in row)
            for i, (e, row) in enumerate(zip(t, values, strict=True))
        ]
        paths.append(_write(folder / f"{stem}_{signal}.csv", "\n".join(lines) + "\n"))
    return paths[0], paths[1]


KFALL_HEADER = "TimeStamp(s),FrameCounter,AccX,AccY,AccZ,GyrX,GyrY,GyrZ,EulerX,EulerY,EulerZ"


def write_kfall(path: Path, simulation: sim.Simulation) -> Path:
    """A KFall motion file: time from 0.01 s, frame counter from 1, acc in g, gyro in °/s, Euler angles in degrees
    (KFall writes acc to 1 mg; these keep 6 decimals so the values can be compared exactly)."""
    data = np.column_stack((simulation.acc_m_s2 / G, simulation.gyr_rad_s * DEG_PER_RAD, euler_deg(simulation.quat)))
    rows = [
        f"{t:.6f},{i + 1}," + ",".join(f"{v:.6f}" for v in row)
        for i, (t, row) in enumerate(zip(simulation.t_s + 0.01, data, strict=True))
    ]
    return _write(path, "\n".join([KFALL_HEADER, *rows]) + "\n")
