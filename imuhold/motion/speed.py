"""Tilt speed: how fast the pelvis leans (deg/s), heading-free, from successive orientations.

It is taken from the orientation rather than the raw gyro: a gyro's bias (SisFall's ITG3200: up to 4 °/s)
would read as motion, while the orientation filter has already estimated and removed it; and sensors that send
only a quaternion are handled the same way.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from imuhold.model import Vec3
from imuhold.units import DEG_PER_RAD


@dataclass(slots=True)
class TiltSpeed:
    """Low-passed angular speed of the vertical in the sensor frame, from a lightly smoothed vertical.

    ``tau_s`` and ``up_tau_s`` are the detector parameters ``tilt_speed_tau_s`` and ``tilt_up_tau_s``.
    """

    tau_s: float
    up_tau_s: float
    speed_dps: float = 0.0
    _up: Vec3 | None = None
    _last_t_s: float | None = None

    def step(self, t_s: float, up: Vec3) -> float:
        if self._last_t_s is None or self._up is None:
            self._last_t_s, self._up = t_s, up
            return self.speed_dps
        dt = t_s - self._last_t_s
        self._last_t_s = t_s
        if dt <= 0.0:
            return self.speed_dps
        prev = self._up
        a = 1.0 - math.exp(-dt / self.up_tau_s)
        sx = prev[0] + a * (up[0] - prev[0])
        sy = prev[1] + a * (up[1] - prev[1])
        sz = prev[2] + a * (up[2] - prev[2])
        n = math.sqrt(sx * sx + sy * sy + sz * sz)
        smoothed = (sx / n, sy / n, sz / n)
        self._up = smoothed
        dot = prev[0] * smoothed[0] + prev[1] * smoothed[1] + prev[2] * smoothed[2]
        raw = math.acos(max(-1.0, min(1.0, dot))) * DEG_PER_RAD / dt
        self.speed_dps += (1.0 - math.exp(-dt / self.tau_s)) * (raw - self.speed_dps)
        return self.speed_dps
