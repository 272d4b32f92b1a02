"""Standing calibration: the vertical seen by the sensor during a spell of quiet standing."""

from __future__ import annotations

import math
from dataclasses import dataclass

from imuhold.model import Vec3
from imuhold.motion.pelvis import PelvisFrame
from imuhold.units import STANDARD_GRAVITY_M_S2

MAX_SCALE_ERROR = 0.2
"""Accelerometers read gravity within this fraction of g; beyond it the sensor is moving, not miscalibrated."""


@dataclass(slots=True)
class StandingCalibrator:
    """Waits for ``duration_s`` of quiet standing, then returns the averaged standing vertical as a frame.

    Quiet means tilt speed below ``max_speed_dps`` and, when acceleration is streamed, a steady magnitude
    (within ``max_acc_dev_m_s2`` of the first quiet sample's). The magnitude is not required to equal g:
    real accelerometers read gravity a few per cent off (SisFall's ADXL345: +3 to +7 %). That offset is kept in
    ``gravity_offset_m_s2`` so vertical kinematics can start from it. Any movement restarts the wait.
    """

    duration_s: float
    max_speed_dps: float
    max_acc_dev_m_s2: float
    gravity_offset_m_s2: float = 0.0
    _start_t_s: float | None = None
    _sum: tuple[float, float, float] = (0.0, 0.0, 0.0)
    _first_norm: float = 0.0
    _norm_sum: float = 0.0
    _count: int = 0

    def step(self, t_s: float, up: Vec3, speed_dps: float, acc_norm_m_s2: float | None) -> PelvisFrame | None:
        if not self._quiet(speed_dps, acc_norm_m_s2):
            self._start_t_s = None
            return None
        if self._start_t_s is None:
            self._start_t_s = t_s
            self._sum = (0.0, 0.0, 0.0)
            self._first_norm = acc_norm_m_s2 or 0.0
            self._norm_sum = 0.0
            self._count = 0
        sx, sy, sz = self._sum
        self._sum = (sx + up[0], sy + up[1], sz + up[2])
        self._norm_sum += acc_norm_m_s2 or 0.0
        self._count += 1
        if t_s - self._start_t_s < self.duration_s:
            return None
        if acc_norm_m_s2 is not None:
            self.gravity_offset_m_s2 = self._norm_sum / self._count - STANDARD_GRAVITY_M_S2
        sx, sy, sz = self._sum
        n = math.sqrt(sx * sx + sy * sy + sz * sz)
        return PelvisFrame((sx / n, sy / n, sz / n))

    def _quiet(self, speed_dps: float, acc_norm_m_s2: float | None) -> bool:
        if speed_dps >= self.max_speed_dps:
            return False
        if acc_norm_m_s2 is None:
            return True
        if abs(acc_norm_m_s2 - STANDARD_GRAVITY_M_S2) > MAX_SCALE_ERROR * STANDARD_GRAVITY_M_S2:
            return False
        return self._start_t_s is None or abs(acc_norm_m_s2 - self._first_norm) < self.max_acc_dev_m_s2
