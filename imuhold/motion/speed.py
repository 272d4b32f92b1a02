"""Tilt speed: how fast the pelvis leans (deg/s), heading-free, from successive orientations.

It is taken from the orientation rather than the raw gyro: a gyro's bias (SisFall's ITG3200: up to 4 °/s)
would read as motion, while the orientation filter has already estimated and removed it; and sensors that send
only a quaternion are handled the same way.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

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

    def run(self, t_s: np.ndarray, up: np.ndarray) -> list[float]:
        """``step`` over a block of samples (same arithmetic, same result), returning each sample's speed.

        The filter factors depend on the interval alone: they are computed once per distinct interval (a steady
        rate has a handful), and the loop keeps only the smoothing of the vertical, which cannot be vectorised.
        """
        n = len(t_s)
        if n == 0:
            return []
        times = t_s.tolist()
        ups = up.tolist()
        speed, prev, last_t = self.speed_dps, self._up, self._last_t_s
        out: list[float] = []
        start = 0
        if last_t is None or prev is None:
            last_t, prev = times[0], tuple(ups[0])
            out.append(speed)
            start = 1
        dts = np.diff(t_s[start:], prepend=last_t) if n > start else np.zeros(0)
        up_a, speed_a = _factors(dts, self.up_tau_s), _factors(dts, self.tau_s)
        acos, sqrt = math.acos, math.sqrt
        append = out.append
        px, py, pz = prev
        for u, dt, a, b in zip(ups[start:], dts.tolist(), up_a, speed_a, strict=True):
            if dt <= 0.0:
                append(speed)
                continue
            sx = px + a * (u[0] - px)
            sy = py + a * (u[1] - py)
            sz = pz + a * (u[2] - pz)
            norm = sqrt(sx * sx + sy * sy + sz * sz)
            sx, sy, sz = sx / norm, sy / norm, sz / norm
            dot = px * sx + py * sy + pz * sz
            px, py, pz = sx, sy, sz
            if not dot < 1.0:  # as max(-1.0, min(1.0, dot)), NaN included
                dot = 1.0
            elif not dot > -1.0:
                dot = -1.0
            speed += b * (acos(dot) * DEG_PER_RAD / dt - speed)
            append(speed)
        self.speed_dps, self._up, self._last_t_s = speed, (px, py, pz), times[-1]
        return out


def _factors(dts: np.ndarray, tau_s: float) -> list[float]:
    """``1 − exp(−dt/tau)`` for each interval, by ``math.exp`` as ``step`` computes it, once per distinct value."""
    if dts.size == 0:
        return []
    values, index = np.unique(dts, return_inverse=True)
    exp = math.exp
    table = np.array([1.0 - exp(-dt / tau_s) if dt > 0.0 else 0.0 for dt in values.tolist()])
    return table[index].tolist()
