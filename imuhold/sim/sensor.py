"""The simulated imuhold-v1 sensor: ideal IMU readings from the pose, sensor errors, and BLE notifications."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from imuhold import units
from imuhold.model import Packet
from imuhold.protocol import imuhold_v1
from imuhold.sim import quat
from imuhold.sim.body import Pose
from imuhold.sim.errors import SensorErrors, corrupt_acc, corrupt_gyro
from imuhold.sim.mounting import Mounting, lever_acc_world_m_s2

FRAME_TYPES = ("quat", "raw")
MAX_BURST_FRAMES = 100
"""Bursts stay well below half the 8-bit sequence range, so a decoder can count every lost frame."""


@dataclass(frozen=True, slots=True)
class SensorConfig:
    """How the simulated sensor is strapped, how good it is, and how its notifications reach the host.

    ``frame_type`` "quat" sends on-board fusion output (orientation with noise, a heading offset and a slow
    heading drift) plus acceleration; "raw" sends angular rate plus acceleration. Biases are the largest
    magnitude per axis (each axis draws uniformly within ±). Loss: each frame is dropped with ``loss_p``,
    and each frame starts a burst of ``burst_frames`` (uniform, inclusive) lost frames with ``burst_p``;
    nothing is lost in the first ``loss_free_s``. ``conn_interval_s`` batches notifications into
    connection events that share one host time. ``t_us_start`` is the device clock at the first sample.

    ``errors`` adds a real chip's errors (``imuhold.sim.errors``: offsets and their drift, scale, cross-axis,
    noise, sample-clock error, stamp jitter) on top of the above; None leaves the sensor as it was.
    ``mounting``, when given, says where on the belt the sensor sits (``imuhold.sim.mounting``): its rotation
    must then be ``mount_wxyz`` and its lever arm adds the pelvis rotation's acceleration at that place.
    """

    rate_hz: float = 100.0
    frame_type: str = "quat"
    mount_wxyz: tuple[float, float, float, float] = (1.0, 0.0, 0.0, 0.0)
    acc_noise_m_s2: float = 0.03
    acc_bias_m_s2: float = 0.05
    gyr_noise_rad_s: float = 0.003
    gyr_bias_rad_s: float = 0.01
    quat_noise_deg: float = 0.2
    heading_drift_deg_s: float = 0.01
    heading_offset_deg: float | None = None
    latency_s: float = 0.02
    jitter_s: float = 0.005
    conn_interval_s: float | None = None
    loss_p: float = 0.0
    burst_p: float = 0.0
    burst_frames: tuple[int, int] = (5, 25)
    loss_free_s: float = 1.0
    t_us_start: int = 0
    host_epoch_ns: int = 1_700_000_000 * units.NS_PER_S
    errors: SensorErrors | None = None
    mounting: Mounting | None = None

    def __post_init__(self) -> None:
        problems = []
        if not 10.0 <= self.rate_hz <= 1000.0:
            problems.append(f"rate_hz {self.rate_hz} outside 10–1000")
        if self.frame_type not in FRAME_TYPES:
            problems.append(f"frame_type {self.frame_type!r} not one of {FRAME_TYPES}")
        if abs(math.hypot(*self.mount_wxyz) - 1.0) > 1e-3:
            problems.append("mount_wxyz is not a unit quaternion")
        if not (0.0 <= self.loss_p < 1.0 and 0.0 <= self.burst_p < 1.0):
            problems.append("loss probabilities must be in [0, 1)")
        low, high = self.burst_frames
        if not 1 <= low <= high <= MAX_BURST_FRAMES:
            problems.append(f"burst_frames must be within 1–{MAX_BURST_FRAMES}")
        if self.latency_s < 0.0 or self.jitter_s < 0.0 or (self.conn_interval_s or 1.0) <= 0.0:
            problems.append("latency, jitter and connection interval must be positive")
        if not 0 <= self.t_us_start < imuhold_v1.T_US_WRAP:
            problems.append("t_us_start must fit the 32-bit device clock")
        if self.mounting is not None and self.mounting.wxyz != tuple(self.mount_wxyz):
            problems.append("mount_wxyz must be the mounting's rotation")
        if problems:
            raise ValueError("; ".join(problems))

    @property
    def lever_m(self) -> tuple[float, float, float]:
        """The sensor's position from the simulated pelvis point (pelvis axes, metres)."""
        return self.mounting.lever_m if self.mounting is not None else (0.0, 0.0, 0.0)

    @property
    def expected_loss_fraction(self) -> float:
        """The long-run fraction of lost frames (after the loss-free start)."""
        mean_burst = sum(self.burst_frames) / 2
        return 1.0 - (1.0 - self.loss_p) * math.exp(-self.burst_p * mean_burst)


@dataclass(frozen=True, slots=True)
class Readings:
    """Per-sample IMU values in the sensor frame: orientation (N, 4) or None, acc (N, 3), gyro (N, 3) or None."""

    quat: np.ndarray | None
    acc_m_s2: np.ndarray
    gyr_rad_s: np.ndarray | None


def ideal(
    pose: Pose, mount_wxyz: tuple[float, float, float, float], lever_m: tuple[float, float, float] = (0.0, 0.0, 0.0)
) -> Readings:
    """What a perfect IMU fixed to the pelvis with this mount (sensor → pelvis) reads, ``lever_m`` from its point."""
    mount = np.asarray(mount_wxyz, dtype=float)
    mount = mount / np.linalg.norm(mount)
    q_sensor = quat.multiply(pose.orientation(), mount)
    specific_force = pose.acc_world_m_s2 + np.array([0.0, 0.0, units.STANDARD_GRAVITY_M_S2])
    if any(lever_m):
        specific_force = specific_force + lever_acc_world_m_s2(pose, lever_m)
    return Readings(
        quat=q_sensor,
        acc_m_s2=quat.rotate(quat.conjugate(q_sensor), specific_force),
        gyr_rad_s=quat.rotate(quat.conjugate(mount), pose.angular_velocity_rad_s()),
    )


def measure(truth: Readings, t_s: np.ndarray, config: SensorConfig, rng: np.random.Generator) -> tuple[Readings, dict]:
    """The sensor's own output before quantisation (without ``config.errors``), and the parameters it drew."""
    n = t_s.size
    acc_bias = rng.uniform(-config.acc_bias_m_s2, config.acc_bias_m_s2, 3)
    acc = truth.acc_m_s2 + acc_bias + rng.normal(0.0, config.acc_noise_m_s2, (n, 3))
    drawn: dict = {"acc_bias_m_s2": acc_bias.tolist()}
    if config.frame_type == "raw":
        gyr_bias = rng.uniform(-config.gyr_bias_rad_s, config.gyr_bias_rad_s, 3)
        gyr = truth.gyr_rad_s + gyr_bias + rng.normal(0.0, config.gyr_noise_rad_s, (n, 3))
        drawn["gyr_bias_rad_s"] = gyr_bias.tolist()
        return Readings(None, acc, gyr), drawn
    offset_deg = config.heading_offset_deg
    if offset_deg is None:
        offset_deg = float(rng.uniform(-180.0, 180.0))
    heading_rad = np.radians(offset_deg + config.heading_drift_deg_s * t_s)
    sigma_rad = math.radians(config.quat_noise_deg) / math.sqrt(3.0)
    jitter = quat.from_rotvec(rng.normal(0.0, sigma_rad, (n, 3)))
    q = quat.multiply(quat.multiply(quat.about_z(heading_rad), truth.quat), jitter)
    drawn["heading_offset_deg"] = offset_deg
    return Readings(q, acc, None), drawn


def loss_mask(t_s: np.ndarray, config: SensorConfig, rng: np.random.Generator) -> np.ndarray:
    """True for every frame the host never receives."""
    n = t_s.size
    lost = rng.random(n) < config.loss_p
    starts = np.flatnonzero(rng.random(n) < config.burst_p)
    lengths = rng.integers(config.burst_frames[0], config.burst_frames[1] + 1, starts.size)
    for start, length in zip(starts.tolist(), lengths.tolist(), strict=True):
        lost[start : start + length] = True
    lost[t_s < config.loss_free_s] = False
    return lost


def with_errors(sent: Readings, t_s: np.ndarray, chip: SensorErrors | None, rng: np.random.Generator) -> Readings:
    """The readings of a chip with these errors (gyro errors only where angular rate is sent)."""
    if chip is None:
        return sent
    gyr = None if sent.gyr_rad_s is None else corrupt_gyro(sent.gyr_rad_s, t_s, chip, rng)
    return Readings(sent.quat, corrupt_acc(sent.acc_m_s2, chip, rng), gyr)


def host_times_ns(t_s: np.ndarray, config: SensorConfig, rng: np.random.Generator) -> np.ndarray:
    """When each notification reaches the host: latency, jitter, connection events; never decreasing."""
    arrival_s = t_s + config.latency_s
    if config.conn_interval_s:
        interval = config.conn_interval_s
        phase = rng.uniform(0.0, interval)
        event = np.ceil((arrival_s - phase) / interval).astype(np.int64)
        first = int(event.min())
        event_jitter = rng.uniform(0.0, config.jitter_s, int(event.max()) - first + 1)
        arrival_s = phase + event * interval + event_jitter[event - first]
    else:
        arrival_s = arrival_s + rng.uniform(0.0, config.jitter_s, t_s.size)
    arrival_ns = np.round(np.maximum.accumulate(arrival_s) * units.NS_PER_S).astype(np.int64)
    return config.host_epoch_ns + arrival_ns


def device_t_us(t_s: np.ndarray, config: SensorConfig) -> np.ndarray:
    """The sensor's 32-bit microsecond clock at each sample (wraps)."""
    return (config.t_us_start + np.round(t_s * units.US_PER_S).astype(np.int64)) % imuhold_v1.T_US_WRAP


def notifications(
    stamp_s: np.ndarray, readings: Readings, lost: np.ndarray, host_ns: np.ndarray, config: SensorConfig
) -> list[Packet]:
    """One imuhold-v1 motion notification per received frame (stamped at ``stamp_s``), through the encoder."""
    t_us = device_t_us(stamp_s, config).tolist()
    acc = readings.acc_m_s2.tolist()
    if config.frame_type == "quat":
        assert readings.quat is not None
        encode, first = imuhold_v1.encode_quat_acc, readings.quat.tolist()
    else:
        assert readings.gyr_rad_s is not None
        encode, first = imuhold_v1.encode_gyr_acc, readings.gyr_rad_s.tolist()
    uuid = imuhold_v1.MOTION_CHAR_UUID
    host = host_ns.tolist()
    return [
        Packet(host[i], uuid, encode(i % imuhold_v1.SEQ_WRAP, t_us[i], first[i], acc[i]))
        for i in np.flatnonzero(~lost).tolist()
    ]
