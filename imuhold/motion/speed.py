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

    def restart(self) -> None:
        """After a gap in the data: the next sample starts afresh (no speed taken across the gap); the speed
        keeps its last value until then."""
        self._up = self._last_t_s = None

    def run(self, t_s: list[float], up: list[Vec3]) -> list[float]:
        """``step`` over a block of samples (same arithmetic, same result), returning each sample's speed."""
        out: list[float] = []
        append = out.append
        acos, exp, sqrt = math.acos, math.exp, math.sqrt
        up_tau_s, tau_s = self.up_tau_s, self.tau_s
        speed, prev, last_t = self.speed_dps, self._up, self._last_t_s
        for t, u in zip(t_s, up, strict=True):
            if last_t is None or prev is None:
                last_t, prev = t, u
                append(speed)
                continue
            dt = t - last_t
            last_t = t
            if dt <= 0.0:
                append(speed)
                continue
            a = 1.0 - exp(-dt / up_tau_s)
            sx = prev[0] + a * (u[0] - prev[0])
            sy = prev[1] + a * (u[1] - prev[1])
            sz = prev[2] + a * (u[2] - prev[2])
            n = sqrt(sx * sx + sy * sy + sz * sz)
            smoothed = (sx / n, sy / n, sz / n)
            dot = prev[0] * smoothed[0] + prev[1] * smoothed[1] + prev[2] * smoothed[2]
            prev = smoothed
            raw = acos(max(-1.0, min(1.0, dot))) * DEG_PER_RAD / dt
            speed += (1.0 - exp(-dt / tau_s)) * (raw - speed)
            append(speed)
        self.speed_dps, self._up, self._last_t_s = speed, prev, last_t
        return out
