"""Vectorised quaternion helpers for the simulator (w, x, y, z): rotation vectors, pose angles, random draws."""

from __future__ import annotations

import numpy as np

from imuhold.motion.quaternion import conjugate_array as conjugate
from imuhold.motion.quaternion import multiply_array as multiply
from imuhold.motion.quaternion import rotate_array as rotate

__all__ = [
    "IDENTITY",
    "about_z",
    "angle_between_rad",
    "conjugate",
    "from_rotvec",
    "from_yaw_tilt_obliquity",
    "multiply",
    "random_rotation",
    "rotate",
    "to_rotvec",
]

IDENTITY = np.array([1.0, 0.0, 0.0, 0.0])


def from_rotvec(rotvec_rad: np.ndarray) -> np.ndarray:
    """Quaternions from (..., 3) rotation vectors (axis × angle in radians)."""
    rv = np.asarray(rotvec_rad, dtype=float)
    angle = np.linalg.norm(rv, axis=-1, keepdims=True)
    # sin(a/2)/a written with sinc so that a zero rotation needs no special case
    return np.concatenate([np.cos(angle / 2.0), rv * 0.5 * np.sinc(angle / (2.0 * np.pi))], axis=-1)


def to_rotvec(q: np.ndarray) -> np.ndarray:
    """Rotation vectors (radians) of (..., 4) unit quaternions, angle in [0, π]."""
    q = np.asarray(q, dtype=float)
    q = np.where(q[..., :1] < 0.0, -q, q)
    sin_half = np.linalg.norm(q[..., 1:], axis=-1, keepdims=True)
    angle = 2.0 * np.arctan2(sin_half, q[..., :1])
    scale = np.divide(angle, sin_half, out=np.full_like(angle, 2.0), where=sin_half > 1e-12)
    return q[..., 1:] * scale


def from_yaw_tilt_obliquity(yaw_rad: np.ndarray, tilt_rad: np.ndarray, obliquity_rad: np.ndarray) -> np.ndarray:
    """Rz(yaw)·Ry(tilt)·Rx(obliquity) as quaternions: heading, then tilt about the left axis, then about anterior."""
    cy, sy = np.cos(np.asarray(yaw_rad) / 2.0), np.sin(np.asarray(yaw_rad) / 2.0)
    cp, sp = np.cos(np.asarray(tilt_rad) / 2.0), np.sin(np.asarray(tilt_rad) / 2.0)
    cr, sr = np.cos(np.asarray(obliquity_rad) / 2.0), np.sin(np.asarray(obliquity_rad) / 2.0)
    return np.stack(
        [
            cr * cp * cy + sr * sp * sy,
            sr * cp * cy - cr * sp * sy,
            cr * sp * cy + sr * cp * sy,
            cr * cp * sy - sr * sp * cy,
        ],
        axis=-1,
    )


def about_z(angle_rad: np.ndarray) -> np.ndarray:
    angle = np.asarray(angle_rad, dtype=float)
    zeros = np.zeros_like(angle)
    return np.stack([np.cos(angle / 2.0), zeros, zeros, np.sin(angle / 2.0)], axis=-1)


def angle_between_rad(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Angle of the rotation taking a to b, in radians."""
    return np.linalg.norm(to_rotvec(multiply(conjugate(a), b)), axis=-1)


def random_rotation(rng: np.random.Generator) -> np.ndarray:
    """One rotation drawn uniformly from SO(3)."""
    q = rng.normal(size=4)
    return q / np.linalg.norm(q)
