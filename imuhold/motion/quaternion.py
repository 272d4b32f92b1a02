"""Quaternion helpers in w, x, y, z order (Hamilton): scalar functions for streaming, array ones for batch."""

from __future__ import annotations

import math

import numpy as np

from imuhold.model import Quat, Vec3

IDENTITY: Quat = (1.0, 0.0, 0.0, 0.0)


def multiply(a: Quat, b: Quat) -> Quat:
    aw, ax, ay, az = a
    bw, bx, by, bz = b
    return (
        aw * bw - ax * bx - ay * by - az * bz,
        aw * bx + ax * bw + ay * bz - az * by,
        aw * by - ax * bz + ay * bw + az * bx,
        aw * bz + ax * by - ay * bx + az * bw,
    )


def conjugate(q: Quat) -> Quat:
    return (q[0], -q[1], -q[2], -q[3])


def normalize(q: Quat) -> Quat:
    n = math.sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3])
    if n == 0.0:
        raise ValueError("cannot normalise a zero quaternion")
    return (q[0] / n, q[1] / n, q[2] / n, q[3] / n)


def from_axis_angle(axis: Vec3, angle_rad: float) -> Quat:
    n = math.sqrt(axis[0] ** 2 + axis[1] ** 2 + axis[2] ** 2)
    if n == 0.0:
        return IDENTITY
    s = math.sin(angle_rad / 2.0) / n
    return (math.cos(angle_rad / 2.0), axis[0] * s, axis[1] * s, axis[2] * s)


def rotate(q: Quat, v: Vec3) -> Vec3:
    """Rotate vector ``v`` by unit quaternion ``q`` (q ⊗ v ⊗ q*)."""
    w, x, y, z = q
    vx, vy, vz = v
    # t = 2 (q_vec × v); v' = v + w t + q_vec × t
    tx = 2.0 * (y * vz - z * vy)
    ty = 2.0 * (z * vx - x * vz)
    tz = 2.0 * (x * vy - y * vx)
    return (
        vx + w * tx + (y * tz - z * ty),
        vy + w * ty + (z * tx - x * tz),
        vz + w * tz + (x * ty - y * tx),
    )


def angle_between(a: Quat, b: Quat) -> float:
    """Smallest rotation angle in radians taking orientation ``a`` to ``b`` (sign-invariant)."""
    dot = abs(a[0] * b[0] + a[1] * b[1] + a[2] * b[2] + a[3] * b[3])
    return 2.0 * math.acos(min(1.0, dot))


def up_in_sensor(q: Quat) -> Vec3:
    """Earth's up axis seen in the sensor frame, for a sensor-to-earth quaternion (third row of R)."""
    w, x, y, z = q
    return (2.0 * (x * z - w * y), 2.0 * (y * z + w * x), 1.0 - 2.0 * (x * x + y * y))


def up_in_sensor_array(q: np.ndarray) -> np.ndarray:
    """Vectorised :func:`up_in_sensor` for an (N, 4) array."""
    w, x, y, z = q[:, 0], q[:, 1], q[:, 2], q[:, 3]
    return np.stack((2.0 * (x * z - w * y), 2.0 * (y * z + w * x), 1.0 - 2.0 * (x * x + y * y)), axis=1)


def multiply_array(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Vectorised :func:`multiply` for (..., 4) arrays (broadcasting)."""
    aw, ax, ay, az = np.moveaxis(np.asarray(a, dtype=float), -1, 0)
    bw, bx, by, bz = np.moveaxis(np.asarray(b, dtype=float), -1, 0)
    return np.stack(
        (
            aw * bw - ax * bx - ay * by - az * bz,
            aw * bx + ax * bw + ay * bz - az * by,
            aw * by - ax * bz + ay * bw + az * bx,
            aw * bz + ax * by - ay * bx + az * bw,
        ),
        axis=-1,
    )


def conjugate_array(q: np.ndarray) -> np.ndarray:
    return np.asarray(q, dtype=float) * np.array([1.0, -1.0, -1.0, -1.0])


def rotate_array(q: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Vectorised :func:`rotate` for (..., 4) quaternions and (..., 3) vectors (broadcasting)."""
    q = np.asarray(q, dtype=float)
    v = np.asarray(v, dtype=float)
    w = q[..., :1]
    qv = q[..., 1:]
    t = 2.0 * np.cross(qv, v)
    return v + w * t + np.cross(qv, t)
