"""Standing calibration: the vertical, the gravity reading and the gyro offset during a spell of quiet standing."""

from __future__ import annotations

import math
from dataclasses import dataclass

from imuhold.model import Vec3
from imuhold.units import STANDARD_GRAVITY_M_S2

MAX_SCALE_ERROR = 0.2
"""Accelerometers read gravity within this fraction of g; beyond it the sensor is moving, not miscalibrated."""
STEADY_TAU_S = 0.25
"""Time constant of the smoothed direction whose steadiness is checked (averages out a sample's noise)."""


@dataclass(frozen=True, slots=True)
class Standing:
    """What a spell of quiet standing measured.

    ``samples`` is how many samples the spell spans, this one included (the orientation filter is re-run over
    them with the gyro offset now known); ``up`` the mean vertical seen in the sensor frame; ``gyr_offset_rad_s``
    the mean angular rate (the gyro's offset: the body was still), None without raw gyro;
    ``gravity_offset_m_s2`` how far the accelerometer's magnitude reads from g.
    """

    samples: int
    up: Vec3
    gyr_offset_rad_s: Vec3 | None
    gravity_offset_m_s2: float


def _angle_deg(a: Vec3, b: Vec3) -> float:
    dot = (a[0] * b[0] + a[1] * b[1] + a[2] * b[2]) / math.sqrt(
        (a[0] * a[0] + a[1] * a[1] + a[2] * a[2]) * (b[0] * b[0] + b[1] * b[1] + b[2] * b[2])
    )
    return math.degrees(math.acos(max(-1.0, min(1.0, dot))))


@dataclass(slots=True)
class StandingCalibrator:
    """Waits for ``duration_s`` of quiet, steady standing, then returns what it measured (:class:`Standing`).

    Quiet means tilt speed below ``max_speed_dps`` and, when acceleration is streamed, a steady magnitude
    (within ``max_acc_dev_m_s2`` of the first quiet sample's). The magnitude is not required to equal g:
    real accelerometers read gravity a few per cent off (SisFall's ADXL345: +3 to +7 %). Steady means the
    smoothed direction that proves the orientation right has not moved more than ``max_drift_deg`` since the
    spell began: gravity in the accelerometer when raw gyro is streamed (imuhold runs the orientation filter
    itself and re-runs it with the measured gyro offset), otherwise the sensor's own orientation, which must
    have converged. Any movement or drift restarts the wait, however long that takes.
    """

    duration_s: float
    max_speed_dps: float
    max_acc_dev_m_s2: float
    max_drift_deg: float = math.inf
    _start_t_s: float | None = None
    _start_dir: Vec3 = (0.0, 0.0, 1.0)
    _smooth_dir: Vec3 | None = None
    _last_t_s: float | None = None
    _sum: tuple[float, float, float] = (0.0, 0.0, 0.0)
    _gyr_sum: tuple[float, float, float] = (0.0, 0.0, 0.0)
    _first_norm: float = 0.0
    _norm_sum: float = 0.0
    _count: int = 0

    def step(
        self,
        t_s: float,
        up: Vec3,
        speed_dps: float,
        acc_m_s2: Vec3 | None = None,
        gyr_rad_s: Vec3 | None = None,
    ) -> Standing | None:
        """Advance by one sample; returns the standing measurement once the spell is long enough."""
        acc_norm = None if acc_m_s2 is None else math.sqrt(sum(a * a for a in acc_m_s2))
        direction = self._smooth(t_s, acc_m_s2 if gyr_rad_s is not None and acc_norm else up)
        if not self._quiet(speed_dps, acc_norm) or (
            self._start_t_s is not None and _angle_deg(direction, self._start_dir) > self.max_drift_deg
        ):
            self._start_t_s = None
            return None
        if self._start_t_s is None:
            self._start_t_s = t_s
            self._start_dir = direction
            self._sum = self._gyr_sum = (0.0, 0.0, 0.0)
            self._first_norm = acc_norm or 0.0
            self._norm_sum = 0.0
            self._count = 0
        self._sum = _add(self._sum, up)
        if gyr_rad_s is not None:
            self._gyr_sum = _add(self._gyr_sum, gyr_rad_s)
        self._norm_sum += acc_norm or 0.0
        self._count += 1
        if t_s - self._start_t_s < self.duration_s:
            return None
        gravity_offset = 0.0 if acc_norm is None else self._norm_sum / self._count - STANDARD_GRAVITY_M_S2
        sx, sy, sz = self._sum
        n = math.sqrt(sx * sx + sy * sy + sz * sz)
        gx, gy, gz = self._gyr_sum
        gyr = None if gyr_rad_s is None else (gx / self._count, gy / self._count, gz / self._count)
        return Standing(self._count, (sx / n, sy / n, sz / n), gyr, gravity_offset)

    def _smooth(self, t_s: float, v: Vec3) -> Vec3:
        """The direction low-passed with ``STEADY_TAU_S`` (a sample's noise would otherwise read as drift)."""
        prev, last = self._smooth_dir, self._last_t_s
        self._last_t_s = t_s
        if prev is None or last is None or t_s <= last:
            self._smooth_dir = v if prev is None else prev
            return self._smooth_dir
        a = 1.0 - math.exp(-(t_s - last) / STEADY_TAU_S)
        self._smooth_dir = (
            prev[0] + a * (v[0] - prev[0]),
            prev[1] + a * (v[1] - prev[1]),
            prev[2] + a * (v[2] - prev[2]),
        )
        return self._smooth_dir

    def _quiet(self, speed_dps: float, acc_norm_m_s2: float | None) -> bool:
        if speed_dps >= self.max_speed_dps:
            return False
        if acc_norm_m_s2 is None:
            return True
        if abs(acc_norm_m_s2 - STANDARD_GRAVITY_M_S2) > MAX_SCALE_ERROR * STANDARD_GRAVITY_M_S2:
            return False
        return self._start_t_s is None or abs(acc_norm_m_s2 - self._first_norm) < self.max_acc_dev_m_s2


def _add(a: Vec3, b: Vec3) -> Vec3:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])
