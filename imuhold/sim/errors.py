"""Real sensor errors for the simulator: ranges per profile from datasheets, one draw per recording, and their effect.

Sources of the ranges (typ. = the datasheet's typical value, which Bosch states as 1 σ):

- [MPU] InvenSense PS-MPU-6000A-00 rev 3.4 (MPU-6000/MPU-6050), §6.1–6.2 and §7.15: gyro initial zero-rate
  output ±20 °/s and ±20 °/s more over −40…+85 °C (≈ ±0.16 °/s per K); gyro and accelerometer scale tolerance
  ±3 %, cross-axis sensitivity ±2 %; accelerometer zero-g ±50 mg (x, y) and ±80 mg (z); gyro rate noise
  0.005 °/s/√Hz (0.05 °/s RMS at a 100 Hz filter), accelerometer 400 µg/√Hz; the gyro MEMS oscillator that
  clocks the samples varies ±1 % over temperature.
- [BMI] Bosch BST-BMI160-DS000 (BMI160): gyro zero-rate offset ±3 °/s typ. (fast offset compensation, 25 °C).
- [LSM] ST DS12140 (LSM6DSO), Table 2: gyro zero-rate level ±1 dps, ±0.010 dps/°C; zero-g ±20 mg; sensitivity
  tolerance ±1 %. ST LSM9DS1 datasheet Table 3: gyro zero-rate ±30 dps, zero-g ±90 mg (an older part).
- [SIS] SisFall's ITG-3200 at rest: median first-second mean rate 3.5 °/s over 80 D15 trials, p90 4.9 °/s
  (measured in issue 14).
- [WIT] WitMotion's RTC drifts about 0.7 % (../shared/reference/ble-sensors.md, from an esphome note).

Assumptions, not cited: a sensor strapped to the body warms by up to about 10 K over its first minutes (room to
skin and clothing temperature), so its gyro offset drifts by the temperature coefficient × 10 K with a time
constant of 1–5 min; a slow random walk on top; a data-ready interrupt stamps samples within a fraction of a
millisecond, a firmware that polls in its main loop while the BLE stack runs up to a few milliseconds late.

Gyro errors apply to raw frames only: a sensor that sends its own fused orientation handles its gyro on board.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from imuhold import units

Vector = tuple[float, float, float]
Matrix = tuple[Vector, Vector, Vector]

_ZERO: Vector = (0.0, 0.0, 0.0)
_IDENTITY: Matrix = ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0))
MG_M_S2 = units.STANDARD_GRAVITY_M_S2 / 1000.0


@dataclass(frozen=True, slots=True)
class ErrorRanges:
    """How large each error of a sensor profile may be; a recording draws each uniformly within ±.

    Offsets are per axis; ``gyr_drift_dps`` is the change of the gyro offset as the sensor warms (reached with a
    time constant drawn from ``gyr_drift_tau_s``); ``gyr_walk_dps_sqrt_s`` the random walk's growth per √s; the
    scale and cross-axis errors are fractions (0.03 = 3 %); noise is added on top of the simulator's own
    (0.003 rad/s and 0.03 m/s² RMS, the MPU-6050's at a 100 Hz filter); ``rate_error`` the fraction by which the
    sensor's sample clock runs fast or slow; ``stamp_jitter_s`` the largest delay of a sample's time stamp.
    """

    gyr_offset_dps: float = 0.0
    gyr_drift_dps: float = 0.0
    gyr_drift_tau_s: tuple[float, float] = (60.0, 300.0)
    gyr_walk_dps_sqrt_s: float = 0.0
    gyr_noise_dps: float = 0.0
    gyr_scale: float = 0.0
    gyr_cross_axis: float = 0.0
    acc_offset_mg: Vector = _ZERO
    acc_scale: float = 0.0
    acc_cross_axis: float = 0.0
    acc_noise_mg: float = 0.0
    rate_error: float = 0.0
    stamp_jitter_s: float = 0.0


PROFILES: dict[str, ErrorRanges | None] = {
    "none": None,
    # a good modern part, or a common one whose offsets were trimmed once at the factory
    "typical": ErrorRanges(
        gyr_offset_dps=3.0,  # [BMI] typ.; [SIS] median 3.5 °/s as a vector norm
        gyr_drift_dps=0.5,  # between [LSM] 0.010 dps/K and [MPU] 0.16 °/s/K, times ~10 K of warming
        gyr_walk_dps_sqrt_s=0.005,  # ≈ 0.1 °/s after 5 min
        gyr_scale=0.01,  # [LSM]
        gyr_cross_axis=0.01,
        acc_offset_mg=(40.0, 40.0, 40.0),  # between [LSM] ±20 mg and [MPU] ±50/80 mg
        acc_scale=0.01,  # [LSM]
        acc_cross_axis=0.01,
        rate_error=0.005,  # half of [MPU]'s gyro oscillator
        stamp_jitter_s=0.0005,
    ),
    # an MPU-6050-class part whose gyro was never calibrated at start-up, on a loosely written firmware
    "harsh": ErrorRanges(
        gyr_offset_dps=5.0,  # [SIS] p90 4.9 °/s; [MPU] and [LSM9DS1] allow far more untrimmed
        gyr_drift_dps=1.5,  # [MPU] ±0.16 °/s per K × ~10 K of warming
        gyr_walk_dps_sqrt_s=0.02,  # ≈ 0.35 °/s after 5 min
        gyr_noise_dps=0.1,
        gyr_scale=0.03,  # [MPU]
        gyr_cross_axis=0.02,  # [MPU]
        acc_offset_mg=(50.0, 50.0, 80.0),  # [MPU]
        acc_scale=0.03,  # [MPU]
        acc_cross_axis=0.02,  # [MPU]
        acc_noise_mg=5.0,  # [MPU] 400 µg/√Hz over its widest 260 Hz filter ≈ 6.4 mg RMS in all
        rate_error=0.01,  # [MPU] gyro oscillator ±1 %; [WIT] 0.7 %
        stamp_jitter_s=0.002,
    ),
}
"""Sensor-error profiles by name; ``none`` leaves the simulator's sensor exactly as it was."""


@dataclass(frozen=True, slots=True)
class SensorErrors:
    """One sensor's errors, in SI units, sensor axes.

    Gyro output = G·ω + offset + drift·(1 − e^(−t/τ)) + random walk + noise, and acceleration output =
    A·f + offset + noise, with G and A the scale (diagonal) and cross-axis (off-diagonal) matrices. The samples
    are taken every 1 / (rate·(1 + ``rate_error``)) s of true time while the host believes the nominal rate, and
    each is time-stamped up to ``stamp_jitter_s`` late. All zero (``NO_ERRORS``) changes nothing.
    """

    gyr_offset_rad_s: Vector = _ZERO
    gyr_drift_rad_s: Vector = _ZERO
    gyr_drift_tau_s: float = 120.0
    gyr_walk_rad_s_sqrt_s: float = 0.0
    gyr_noise_rad_s: float = 0.0
    gyr_matrix: Matrix = _IDENTITY
    acc_offset_m_s2: Vector = _ZERO
    acc_matrix: Matrix = _IDENTITY
    acc_noise_m_s2: float = 0.0
    rate_error: float = 0.0
    stamp_jitter_s: float = 0.0

    def __post_init__(self) -> None:
        if not -0.1 < self.rate_error < 0.1:
            raise ValueError(f"rate_error {self.rate_error} is not a clock error (outside ±10 %)")
        if self.gyr_drift_tau_s <= 0.0 or self.stamp_jitter_s < 0.0:
            raise ValueError("the drift time constant must be positive and the stamp jitter not negative")
        if min(self.gyr_walk_rad_s_sqrt_s, self.gyr_noise_rad_s, self.acc_noise_m_s2) < 0.0:
            raise ValueError("noise and random walk must not be negative")

    def to_dict(self) -> dict[str, Any]:
        """The errors as plain JSON values, plus the headline numbers in °/s, mg and % for a reader."""
        k = units.DEG_PER_RAD
        readable = {
            "gyr_offset_dps": [round(v * k, 3) for v in self.gyr_offset_rad_s],
            "gyr_drift_dps": [round(v * k, 3) for v in self.gyr_drift_rad_s],
            "acc_offset_mg": [round(v / MG_M_S2, 1) for v in self.acc_offset_m_s2],
            "rate_error_pct": round(self.rate_error * 100.0, 3),
        }
        return {**asdict(self), "readable": readable}


NO_ERRORS = SensorErrors()


def _uniform(rng: np.random.Generator, bound: float, size: int) -> np.ndarray:
    return rng.uniform(-bound, bound, size) if bound > 0.0 else np.zeros(size)


def _matrix(rng: np.random.Generator, scale: float, cross_axis: float) -> Matrix:
    m = np.eye(3) + np.diag(_uniform(rng, scale, 3))
    off = ~np.eye(3, dtype=bool)
    m[off] += _uniform(rng, cross_axis, 6)
    return tuple(tuple(float(v) for v in row) for row in m)  # type: ignore[return-value]


def _vector(values: np.ndarray) -> Vector:
    x, y, z = (float(v) for v in values)
    return (x, y, z)


def draw_errors(ranges: ErrorRanges, rng: np.random.Generator) -> SensorErrors:
    """One sensor's errors, each uniform within its range (the only place errors are drawn)."""
    k = units.RAD_PER_DEG
    return SensorErrors(
        gyr_offset_rad_s=_vector(_uniform(rng, ranges.gyr_offset_dps * k, 3)),
        gyr_drift_rad_s=_vector(_uniform(rng, ranges.gyr_drift_dps * k, 3)),
        gyr_drift_tau_s=float(rng.uniform(*ranges.gyr_drift_tau_s)),
        gyr_walk_rad_s_sqrt_s=ranges.gyr_walk_dps_sqrt_s * k,
        gyr_noise_rad_s=ranges.gyr_noise_dps * k,
        gyr_matrix=_matrix(rng, ranges.gyr_scale, ranges.gyr_cross_axis),
        acc_offset_m_s2=_vector(rng.uniform(-1.0, 1.0, 3) * np.asarray(ranges.acc_offset_mg) * MG_M_S2),
        acc_matrix=_matrix(rng, ranges.acc_scale, ranges.acc_cross_axis),
        acc_noise_m_s2=ranges.acc_noise_mg * MG_M_S2,
        rate_error=float(_uniform(rng, ranges.rate_error, 1)[0]),
        stamp_jitter_s=ranges.stamp_jitter_s,
    )


def true_rate_hz(rate_hz: float, errors: SensorErrors | None) -> float:
    """The rate the sensor really samples at when it claims ``rate_hz``: its clock runs (1 + rate_error) fast."""
    return rate_hz * (1.0 + (errors.rate_error if errors else 0.0))


def sample_times_s(duration_s: float, rate_hz: float, errors: SensorErrors | None) -> np.ndarray:
    """True times of the samples over ``duration_s`` of a sensor claiming ``rate_hz``."""
    true_rate = true_rate_hz(rate_hz, errors)
    n = math.floor(duration_s * true_rate + 1e-9) + 1
    return np.arange(n) / true_rate


def stamp_times_s(t_s: np.ndarray, errors: SensorErrors | None, rng: np.random.Generator) -> np.ndarray:
    """When the device stamps each sample: up to ``stamp_jitter_s`` late, never out of order."""
    if errors is None or errors.stamp_jitter_s == 0.0:
        return t_s
    if t_s.size > 1 and errors.stamp_jitter_s >= float(np.min(np.diff(t_s))):
        raise ValueError(f"stamp jitter {errors.stamp_jitter_s} s is not below the sample period")
    return t_s + rng.uniform(0.0, errors.stamp_jitter_s, t_s.size)


def gyro_offset_rad_s(t_s: np.ndarray, errors: SensorErrors, rng: np.random.Generator) -> np.ndarray:
    """The gyro offset at each sample, (N, 3): constant part, warm-up drift and random walk."""
    warm = 1.0 - np.exp(-t_s / errors.gyr_drift_tau_s)
    offset = np.asarray(errors.gyr_offset_rad_s) + warm[:, None] * np.asarray(errors.gyr_drift_rad_s)
    if errors.gyr_walk_rad_s_sqrt_s > 0.0 and t_s.size > 1:
        steps = rng.normal(0.0, 1.0, (t_s.size - 1, 3)) * np.sqrt(np.diff(t_s))[:, None]
        walk = np.vstack([np.zeros(3), np.cumsum(steps, axis=0)]) * errors.gyr_walk_rad_s_sqrt_s
        offset = offset + walk
    return offset


def corrupt_gyro(gyr_rad_s: np.ndarray, t_s: np.ndarray, errors: SensorErrors, rng: np.random.Generator) -> np.ndarray:
    """What a gyro with these errors reads for the angular rates ``gyr_rad_s`` (N, 3)."""
    out = gyr_rad_s @ np.asarray(errors.gyr_matrix).T + gyro_offset_rad_s(t_s, errors, rng)
    if errors.gyr_noise_rad_s > 0.0:
        out = out + rng.normal(0.0, errors.gyr_noise_rad_s, out.shape)
    return out


def corrupt_acc(acc_m_s2: np.ndarray, errors: SensorErrors, rng: np.random.Generator) -> np.ndarray:
    """What an accelerometer with these errors reads for the specific forces ``acc_m_s2`` (N, 3)."""
    out = acc_m_s2 @ np.asarray(errors.acc_matrix).T + np.asarray(errors.acc_offset_m_s2)
    if errors.acc_noise_m_s2 > 0.0:
        out = out + rng.normal(0.0, errors.acc_noise_m_s2, out.shape)
    return out
