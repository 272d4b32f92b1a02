"""Standing calibration: the vertical seen by the sensor during a spell of quiet standing."""

from __future__ import annotations

import math
from dataclasses import dataclass

from imuhold.model import Vec3
from imuhold.motion.pelvis import PelvisFrame
from imuhold.units import STANDARD_GRAVITY_M_S2


@dataclass(slots=True)
class StandingCalibrator:
    """Waits for ``duration_s`` of quiet standing, then returns the averaged standing vertical as a frame.

    Quiet means tilt speed below ``max_speed_dps`` and, when acceleration is streamed, the measured
    specific force within ``max_acc_dev_m_s2`` of gravity. Any movement restarts the wait.
    """

    duration_s: float
    max_speed_dps: float
    max_acc_dev_m_s2: float
    _start_t_s: float | None = None
    _sum: tuple[float, float, float] = (0.0, 0.0, 0.0)

    def step(self, t_s: float, up: Vec3, speed_dps: float, acc_norm_m_s2: float | None) -> PelvisFrame | None:
        quiet = speed_dps < self.max_speed_dps and (
            acc_norm_m_s2 is None or abs(acc_norm_m_s2 - STANDARD_GRAVITY_M_S2) < self.max_acc_dev_m_s2
        )
        if not quiet:
            self._start_t_s = None
            return None
        if self._start_t_s is None:
            self._start_t_s = t_s
            self._sum = (0.0, 0.0, 0.0)
        sx, sy, sz = self._sum
        self._sum = (sx + up[0], sy + up[1], sz + up[2])
        if t_s - self._start_t_s < self.duration_s:
            return None
        sx, sy, sz = self._sum
        n = math.sqrt(sx * sx + sy * sy + sz * sz)
        return PelvisFrame((sx / n, sy / n, sz / n))
