"""Tilt speed: how fast the pelvis leans (deg/s), heading-free, from the gyro or from successive orientations."""

from __future__ import annotations

import math
from dataclasses import dataclass

from imuhold.model import Vec3
from imuhold.units import DEG_PER_RAD


def tilting_rate_dps(up: Vec3, gyr_rad_s: Vec3) -> float:
    """Angular rate about horizontal axes (turning about the vertical is ignored), in deg/s."""
    along = up[0] * gyr_rad_s[0] + up[1] * gyr_rad_s[1] + up[2] * gyr_rad_s[2]
    px = gyr_rad_s[0] - along * up[0]
    py = gyr_rad_s[1] - along * up[1]
    pz = gyr_rad_s[2] - along * up[2]
    return math.sqrt(px * px + py * py + pz * pz) * DEG_PER_RAD


@dataclass(slots=True)
class TiltSpeed:
    """Low-passed tilt speed; from gyro when given, else from the change of a lightly smoothed vertical."""

    tau_s: float = 0.1
    up_tau_s: float = 0.05
    speed_dps: float = 0.0
    _up: Vec3 | None = None
    _last_t_s: float | None = None

    def step(self, t_s: float, up: Vec3, gyr_rad_s: Vec3 | None) -> float:
        if self._last_t_s is None:
            self._last_t_s, self._up = t_s, up
            return self.speed_dps
        dt = t_s - self._last_t_s
        self._last_t_s = t_s
        if dt <= 0.0:
            return self.speed_dps
        raw = tilting_rate_dps(up, gyr_rad_s) if gyr_rad_s is not None else self._rate_from_up(up, dt)
        self.speed_dps += (1.0 - math.exp(-dt / self.tau_s)) * (raw - self.speed_dps)
        return self.speed_dps

    def _rate_from_up(self, up: Vec3, dt: float) -> float:
        prev = self._up
        assert prev is not None
        a = 1.0 - math.exp(-dt / self.up_tau_s)
        sx = prev[0] + a * (up[0] - prev[0])
        sy = prev[1] + a * (up[1] - prev[1])
        sz = prev[2] + a * (up[2] - prev[2])
        n = math.sqrt(sx * sx + sy * sy + sz * sz)
        smoothed = (sx / n, sy / n, sz / n)
        self._up = smoothed
        dot = prev[0] * smoothed[0] + prev[1] * smoothed[1] + prev[2] * smoothed[2]
        return math.acos(max(-1.0, min(1.0, dot))) * DEG_PER_RAD / dt
