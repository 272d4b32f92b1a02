"""Pelvic angles from the standing reference: inclination, sagittal tilt (anterior +) and obliquity, heading-free.

Everything here works on ``up`` — earth's vertical seen in the sensor frame — so heading never matters and the
sensor may be strapped in any orientation. The standing reference ``up0`` comes from quiet standing; the
mediolateral axis is learned from the first squat, whose descent tilts the pelvis anteriorly (the trunk leans
forward to keep the body's mass over the feet; SisFall waist data shows it for squats, stoops and chair sits
alike). Angles follow Baker's sequence (Gait Posture 2001): rotation (ignored), obliquity (positive when
the right side rises), then tilt, which keeps large tilts from leaking into obliquity.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from imuhold.model import Vec3
from imuhold.units import DEG_PER_RAD


def _cross(a: Vec3, b: Vec3) -> Vec3:
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])


def _dot(a: Vec3, b: Vec3) -> float:
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def _unit(v: Vec3) -> Vec3:
    n = math.sqrt(_dot(v, v))
    if n == 0.0:
        raise ValueError("zero vector has no direction")
    return (v[0] / n, v[1] / n, v[2] / n)


@dataclass(frozen=True, slots=True)
class PelvisFrame:
    """Standing reference and, once learned, the pelvis axes, all as unit vectors in the sensor frame."""

    up0: Vec3
    right: Vec3 | None = None
    _anterior: Vec3 | None = field(init=False, repr=False, compare=False, default=None)

    def __post_init__(self) -> None:
        if self.right is not None:
            object.__setattr__(self, "_anterior", _cross(self.up0, self.right))

    @property
    def anterior(self) -> Vec3 | None:
        return self._anterior

    def pelvic_angles_deg(self, up: Vec3) -> tuple[float, float, float]:
        """(inclination, tilt, obliquity) in degrees, as ``inclination_deg`` and ``angles_deg`` give them (to the
        bit), in one pass: the streaming path calls it for every sample."""
        u0, u1, u2 = up
        r0, r1, r2 = self.up0
        w_u = u0 * r0 + u1 * r1 + u2 * r2
        # Cosines clamped to [-1, 1] as max(-1.0, min(1.0, c)) does (NaN gives 1.0), without its two calls.
        inclination = math.acos((w_u if w_u > -1.0 else -1.0) if w_u < 1.0 else 1.0) * DEG_PER_RAD
        right, anterior = self.right, self._anterior
        if right is None or anterior is None:
            return inclination, inclination, 0.0
        w_a = u0 * anterior[0] + u1 * anterior[1] + u2 * anterior[2]
        w_r = u0 * right[0] + u1 * right[1] + u2 * right[2]
        w_r = (w_r if w_r > -1.0 else -1.0) if w_r < 1.0 else 1.0
        return inclination, math.atan2(-w_a, w_u) * DEG_PER_RAD, math.asin(w_r) * DEG_PER_RAD

    def inclination_deg(self, up: Vec3) -> float:
        """Angle between the current vertical and the standing one: how far the pelvis leans, any direction."""
        return math.acos(max(-1.0, min(1.0, _dot(up, self.up0)))) * DEG_PER_RAD

    def angles_deg(self, up: Vec3) -> tuple[float, float]:
        """(tilt, obliquity) in degrees; before the axis is learned, tilt is the inclination and obliquity 0."""
        if self.right is None:
            return self.inclination_deg(up), 0.0
        anterior = _cross(self.up0, self.right)
        w_a, w_u, w_r = _dot(up, anterior), _dot(up, self.up0), _dot(up, self.right)
        tilt = math.atan2(-w_a, w_u) * DEG_PER_RAD
        obliquity = math.asin(max(-1.0, min(1.0, w_r))) * DEG_PER_RAD
        return tilt, obliquity

    def with_axis_from(self, up: Vec3, min_inclination_deg: float) -> PelvisFrame | None:
        """This frame with the mediolateral axis learned from ``up`` tilted anteriorly by at least
        ``min_inclination_deg``; None if more upright."""
        if self.inclination_deg(up) < min_inclination_deg:
            return None
        return PelvisFrame(self.up0, _unit(_cross(self.up0, up)))

    def angles_deg_array(self, up: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(inclination, tilt, obliquity) for an (N, 3) array of up vectors, equal to the scalar methods to the bit.

        The trigonometry runs through ``math`` element by element: numpy's SIMD arccos/arctan2/arcsin may differ
        from libm in the last bit, and streaming and batch analysis must agree exactly.
        """
        up0 = self.up0
        x, y, z = up[:, 0], up[:, 1], up[:, 2]
        w_u = x * up0[0] + y * up0[1] + z * up0[2]
        acos = np.fromiter(map(math.acos, np.clip(w_u, -1.0, 1.0).tolist()), dtype=float, count=len(w_u))
        inclination = acos * DEG_PER_RAD
        if self.right is None:
            return inclination, inclination.copy(), np.zeros_like(inclination)
        anterior, right = _cross(self.up0, self.right), self.right
        w_a = x * anterior[0] + y * anterior[1] + z * anterior[2]
        w_r = x * right[0] + y * right[1] + z * right[2]
        tilt = np.fromiter(map(math.atan2, (-w_a).tolist(), w_u.tolist()), dtype=float, count=len(w_u))
        asin = np.fromiter(map(math.asin, np.clip(w_r, -1.0, 1.0).tolist()), dtype=float, count=len(w_u))
        return inclination, tilt * DEG_PER_RAD, asin * DEG_PER_RAD
