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

        One tight loop (``_filtered``) with the filter factors computed once per distinct interval (a steady rate
        has a handful) and ``math`` functions, as ``step``: numpy's SIMD arccos may differ in the last bit.
        """
        first: list[float] = []
        if len(t_s) and (self._last_t_s is None or self._up is None):
            first.append(self.step(float(t_s[0]), tuple(up[0].tolist())))
            t_s, up = t_s[1:], up[1:]
        if len(t_s) == 0:
            return first
        dts = np.diff(t_s, prepend=self._last_t_s)
        if not bool(np.all(dts > 0.0)):  # a time repeated or going back (batch times only go forward)
            return first + [self.step(t, tuple(u)) for t, u in zip(t_s.tolist(), up.tolist(), strict=True)]
        values = np.unique(dts)  # a handful: the factors are computed once each, then looked up
        at = np.searchsorted(values, dts)
        exp = math.exp
        up_factors = np.array([1.0 - exp(-dt / self.up_tau_s) for dt in values.tolist()])[at].tolist()
        speed_factors = np.array([1.0 - exp(-dt / self.tau_s) for dt in values.tolist()])[at].tolist()
        assert self._up is not None
        out, self._up = _filtered(up, dts.tolist(), up_factors, speed_factors, self._up, self.speed_dps)
        self.speed_dps, self._last_t_s = out[-1], float(t_s[-1])
        return first + out


def _filtered(
    up: np.ndarray, dts: list[float], up_factors: list[float], speed_factors: list[float], last: Vec3, speed: float
) -> tuple[list[float], Vec3]:
    """The speed after each sample and the last smoothed vertical: ``step``'s arithmetic, every interval positive."""
    out: list[float] = []
    append = out.append
    px, py, pz = last
    acos = math.acos
    for ux, uy, uz, dt, a, b in zip(*up.T.tolist(), dts, up_factors, speed_factors, strict=True):
        sx = px + a * (ux - px)
        sy = py + a * (uy - py)
        sz = pz + a * (uz - pz)
        norm = sqrt(sx * sx + sy * sy + sz * sz)
        x, y, z = sx / norm, sy / norm, sz / norm
        dot = px * x + py * y + pz * z
        if not dot < 1.0:  # as max(-1.0, min(1.0, dot)), NaN included
            dot = 1.0
        elif dot < -1.0:
            dot = -1.0
        speed += b * (acos(dot) * DEG_PER_RAD / dt - speed)
        append(speed)
        px, py, pz = x, y, z
    return out, (px, py, pz)
