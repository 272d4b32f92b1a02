"""Plain-float quaternion helpers for profile codecs: Euler ZYX conversions, rotation, gravity in the sensor frame."""

from __future__ import annotations

import math

from imuhold import units
from imuhold.model import Quat, Vec3


def from_euler_zyx_deg(roll_deg: float, pitch_deg: float, yaw_deg: float) -> Quat:
    """Sensor → earth quaternion of the aerospace sequence: yaw about z, then pitch about y, then roll about x.

    ``R = Rz(yaw) · Ry(pitch) · Rx(roll)``, which maps sensor-frame vectors into the earth frame.
    """
    hr, hp, hy = (units.deg_to_rad(a) / 2.0 for a in (roll_deg, pitch_deg, yaw_deg))
    cr, sr, cp, sp, cy, sy = math.cos(hr), math.sin(hr), math.cos(hp), math.sin(hp), math.cos(hy), math.sin(hy)
    return (
        cy * cp * cr + sy * sp * sr,
        cy * cp * sr - sy * sp * cr,
        cy * sp * cr + sy * cp * sr,
        sy * cp * cr - cy * sp * sr,
    )


def to_euler_zyx_deg(quat: Quat) -> tuple[float, float, float]:
    """Roll, pitch, yaw in degrees of a sensor → earth quaternion (inverse of ``from_euler_zyx_deg``)."""
    w, x, y, z = quat
    roll = math.atan2(2.0 * (w * x + y * z), 1.0 - 2.0 * (x * x + y * y))
    pitch = math.asin(max(-1.0, min(1.0, 2.0 * (w * y - z * x))))
    yaw = math.atan2(2.0 * (w * z + x * y), 1.0 - 2.0 * (y * y + z * z))
    return units.rad_to_deg(roll), units.rad_to_deg(pitch), units.rad_to_deg(yaw)


def rotate(quat: Quat, vec: Vec3) -> Vec3:
    """``q ⊗ (0, v) ⊗ q*`` for a unit quaternion: a sensor-frame vector expressed in the earth frame."""
    w, x, y, z = quat
    vx, vy, vz = vec
    tx, ty, tz = 2.0 * (y * vz - z * vy), 2.0 * (z * vx - x * vz), 2.0 * (x * vy - y * vx)
    return (
        vx + w * tx + (y * tz - z * ty),
        vy + w * ty + (z * tx - x * tz),
        vz + w * tz + (x * ty - y * tx),
    )


def conjugate(quat: Quat) -> Quat:
    w, x, y, z = quat
    return (w, -x, -y, -z)


def normalised(quat: Quat) -> Quat | None:
    """The unit quaternion, or None when the norm is below 0.5 (a zeroed or garbled value)."""
    norm = math.sqrt(sum(c * c for c in quat))
    if not norm >= 0.5 or not math.isfinite(norm):
        return None
    w, x, y, z = quat
    return (w / norm, x / norm, y / norm, z / norm)


def specific_force_from_free_acc(quat: Quat, free_acc_earth_m_s2: Vec3) -> Vec3:
    """Sensor-frame specific force (gravity included) from earth-frame acceleration with gravity removed."""
    ax, ay, az = free_acc_earth_m_s2
    return rotate(conjugate(quat), (ax, ay, az + units.STANDARD_GRAVITY_M_S2))


def free_acc_from_specific_force(quat: Quat, acc_m_s2: Vec3) -> Vec3:
    """Earth-frame acceleration with gravity removed, from sensor-frame specific force (the inverse)."""
    ex, ey, ez = rotate(quat, acc_m_s2)
    return (ex, ey, ez - units.STANDARD_GRAVITY_M_S2)


def linear_to_specific_force(quat: Quat, linear_acc_m_s2: Vec3) -> Vec3:
    """Sensor-frame specific force from sensor-frame linear acceleration (gravity removed) and orientation."""
    gx, gy, gz = rotate(conjugate(quat), (0.0, 0.0, units.STANDARD_GRAVITY_M_S2))
    lx, ly, lz = linear_acc_m_s2
    return (lx + gx, ly + gy, lz + gz)


def specific_force_to_linear(quat: Quat, acc_m_s2: Vec3) -> Vec3:
    """Sensor-frame linear acceleration (gravity removed) from sensor-frame specific force (the inverse)."""
    gx, gy, gz = rotate(conjugate(quat), (0.0, 0.0, units.STANDARD_GRAVITY_M_S2))
    ax, ay, az = acc_m_s2
    return (ax - gx, ay - gy, az - gz)
