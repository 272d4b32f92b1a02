"""Tilt speed: how fast the pelvis leans (deg/s), heading-free, from successive orientations.

It is taken from the orientation rather than the raw gyro: a gyro's bias (SisFall's ITG3200: up to 4 °/s)
would read as motion, while the orientation filter has already estimated and removed it; and sensors that send
only a quaternion are handled the same way.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from math import sqrt

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
    _factors: dict[float, tuple[float, float]] = field(default_factory=dict, repr=False, compare=False)
    """The filter factors by interval, computed once each (a steady rate has a handful)."""

    def step(self, t_s: float, up: Vec3) -> float:
        last_t_s, prev = self._last_t_s, self._up
        if last_t_s is None or prev is None:
            self._last_t_s, self._up = t_s, up
            return self.speed_dps
        dt = t_s - last_t_s
        self._last_t_s = t_s
        if dt <= 0.0:
            return self.speed_dps
        factors = self._factors.get(dt)
        if factors is None:
            factors = self._factors[dt] = (1.0 - math.exp(-dt / self.up_tau_s), 1.0 - math.exp(-dt / self.tau_s))
        a = factors[0]
        px, py, pz = prev
        sx = px + a * (up[0] - px)
        sy = py + a * (up[1] - py)
        sz = pz + a * (up[2] - pz)
        n = math.sqrt(sx * sx + sy * sy + sz * sz)
        sx, sy, sz = sx / n, sy / n, sz / n
        self._up = (sx, sy, sz)
        dot = px * sx + py * sy + pz * sz
        dot = (dot if dot > -1.0 else -1.0) if dot < 1.0 else 1.0  # as max(-1.0, min(1.0, dot)), NaN included
        speed = self.speed_dps + factors[1] * (math.acos(dot) * DEG_PER_RAD / dt - self.speed_dps)
        self.speed_dps = speed
        return speed

    def restart(self) -> None:
        """After a gap in the data: the next sample starts afresh (no speed taken across the gap); the speed
        keeps its last value until then."""
        self._up = self._last_t_s = None

    def run(self, t_s: np.ndarray, up: np.ndarray) -> list[float]:
        """``step`` over a block of samples (same arithmetic, same result), returning each sample's speed.

        Only the smoothing of the vertical is a loop: the filter factors are computed once per distinct interval (a
        steady rate has a handful), the angle between successive verticals over the arrays (``math.acos``, as
        ``step``: numpy's SIMD arccos may differ in the last bit), and the low-pass is a short loop of its own.
        """
        n = len(t_s)
        if n == 0:
            return []
        speed, prev, last_t = self.speed_dps, self._up, self._last_t_s
        start = 0
        if last_t is None or prev is None:
            last_t, prev = float(t_s[0]), tuple(up[0].tolist())
            start = 1
        dts = np.diff(t_s[start:], prepend=last_t)
        moved = dts > 0.0
        x, y, z = [], [], []  # the smoothed vertical after each sample
        px, py, pz = prev
        for ux, uy, uz, dt, a in zip(*up[start:].T.tolist(), dts.tolist(), _factors(dts, self.up_tau_s), strict=True):
            if dt > 0.0:
                sx = px + a * (ux - px)
                sy = py + a * (uy - py)
                sz = pz + a * (uz - pz)
                norm = sqrt(sx * sx + sy * sy + sz * sz)
                px, py, pz = sx / norm, sy / norm, sz / norm
            x.append(px)
            y.append(py)
            z.append(pz)
        sx, sy, sz = np.array(x), np.array(y), np.array(z)
        before = (np.concatenate(([prev[i]], s[:-1])) for i, s in enumerate((sx, sy, sz)))
        bx, by, bz = before
        dot = bx * sx + by * sy + bz * sz
        dot = np.where(dot < 1.0, dot, 1.0)  # as max(-1.0, min(1.0, dot)), NaN included
        dot = np.where(dot > -1.0, dot, -1.0)
        angle = np.fromiter(map(math.acos, dot.tolist()), dtype=float, count=len(dot))
        raw = np.divide(angle * DEG_PER_RAD, dts, out=np.zeros_like(dts), where=moved)
        out: list[float] = [speed] * start
        append = out.append
        for r, b, m in zip(raw.tolist(), _factors(dts, self.tau_s), moved.tolist(), strict=True):
            if m:
                speed += b * (r - speed)
            append(speed)
        self.speed_dps, self._up, self._last_t_s = speed, (px, py, pz), float(t_s[-1])
        return out


def _factors(dts: np.ndarray, tau_s: float) -> list[float]:
    """``1 − exp(−dt/tau)`` for each interval, by ``math.exp`` as ``step`` computes it, once per distinct value."""
    if dts.size == 0:
        return []
    values, index = np.unique(dts, return_inverse=True)
    exp = math.exp
    table = np.array([1.0 - exp(-dt / tau_s) if dt > 0.0 else 0.0 for dt in values.tolist()])
    return table[index].tolist()
