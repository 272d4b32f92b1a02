"""The pelvis over a session: one track per degree of freedom plus postural sway, turned into a pose."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from imuhold import units
from imuhold.sim import quat
from imuhold.sim.tracks import Curve, Track, band_noise, modulate

SWAY_BAND_HZ = (0.1, 1.0)
SWAY_SLOPE = 1.5
"""Sway amplitude spectrum ∝ f^−1.5: most sway is slow, so 1° RMS of sway turns at only about 1.4 °/s RMS."""
HEADING_SWAY_GAIN = 0.5
"""Heading sway relative to tilt/obliquity sway."""


@dataclass(frozen=True, slots=True)
class Pose:
    """The pelvis pose at every sample time, with what an ideal IMU at the pelvis needs.

    Angles in radians: heading (yaw in the world), anterior tilt about the pelvis left axis, obliquity about
    the anterior axis, applied in that order (R = Rz(heading)·Ry(tilt)·Rx(obliquity)). ``z_m`` is the
    vertical position relative to standing (negative = down); ``acc_world_m_s2`` the linear acceleration.
    """

    t_s: np.ndarray
    heading_rad: np.ndarray
    heading_rate_rad_s: np.ndarray
    tilt_rad: np.ndarray
    tilt_rate_rad_s: np.ndarray
    obliquity_rad: np.ndarray
    obliquity_rate_rad_s: np.ndarray
    z_m: np.ndarray
    acc_world_m_s2: np.ndarray

    def orientation(self) -> np.ndarray:
        """Pelvis-to-earth quaternions, (N, 4)."""
        return quat.from_yaw_tilt_obliquity(self.heading_rad, self.tilt_rad, self.obliquity_rad)

    def angular_velocity_rad_s(self) -> np.ndarray:
        """Angular velocity in the pelvis frame, (N, 3), from the yaw-tilt-obliquity rates."""
        yaw_rate, tilt_rate, obl_rate = self.heading_rate_rad_s, self.tilt_rate_rad_s, self.obliquity_rate_rad_s
        s_t, c_t = np.sin(self.tilt_rad), np.cos(self.tilt_rad)
        s_o, c_o = np.sin(self.obliquity_rad), np.cos(self.obliquity_rad)
        return np.stack(
            [
                obl_rate - yaw_rate * s_t,
                tilt_rate * c_o + yaw_rate * c_t * s_o,
                -tilt_rate * s_o + yaw_rate * c_t * c_o,
            ],
            axis=-1,
        )


class Body:
    """Tracks for the pelvis, filled by the activity shapes in time order, then finished into a Pose.

    Horizontal motion is described along the walking direction (``path_deg``): ``forward_m`` and
    ``lateral_m``; ``yaw_deg`` is the pelvis rotation relative to that direction. Angles in degrees.
    """

    def __init__(self, t_s: np.ndarray, rate_hz: float, heading_deg: float, sway_deg: float, sway_m: float) -> None:
        self.t_s = t_s
        self.rate_hz = rate_hz
        self.z_m = Track(t_s)
        self.forward_m = Track(t_s)
        self.lateral_m = Track(t_s)
        self.path_deg = Track(t_s, heading_deg)
        self.yaw_deg = Track(t_s)
        self.tilt_deg = Track(t_s)
        self.obliquity_deg = Track(t_s)
        self.sway_deg = Track(t_s, sway_deg)
        self.sway_m = Track(t_s, sway_m)
        self.rest_sway_deg = sway_deg
        self.rest_sway_m = sway_m

    def set_sway(self, t0_s: float, t1_s: float, sway_deg: float, sway_m: float) -> None:
        """Change the sway envelopes smoothly over [t0_s, t1_s]."""
        self.sway_deg.ramp_to(t0_s, t1_s, sway_deg)
        self.sway_m.ramp_to(t0_s, t1_s, sway_m)

    def pose(self, rng: np.random.Generator) -> Pose:
        """Add postural sway (band-limited noise scaled by the sway envelopes) and compute the pose."""
        noise = [band_noise(rng, self.t_s.size, self.rate_hz, *SWAY_BAND_HZ, SWAY_SLOPE) for _ in range(6)]
        sway_deg, sway_m = self.sway_deg.curve(), self.sway_m.curve()
        tilt = _plus(self.tilt_deg.curve(), modulate(sway_deg, noise[0]))
        obliquity = _plus(self.obliquity_deg.curve(), modulate(sway_deg, noise[1]))
        heading = _plus(self.path_deg.curve(), self.yaw_deg.curve(), modulate(sway_deg, noise[2], HEADING_SWAY_GAIN))
        z = _plus(self.z_m.curve(), modulate(sway_m, noise[3]))
        forward = _plus(self.forward_m.curve(), modulate(sway_m, noise[4]))
        lateral = _plus(self.lateral_m.curve(), modulate(sway_m, noise[5]))
        k = units.RAD_PER_DEG
        return Pose(
            t_s=self.t_s,
            heading_rad=heading[0] * k,
            heading_rate_rad_s=heading[1] * k,
            tilt_rad=tilt[0] * k,
            tilt_rate_rad_s=tilt[1] * k,
            obliquity_rad=obliquity[0] * k,
            obliquity_rate_rad_s=obliquity[1] * k,
            z_m=z[0],
            acc_world_m_s2=self._acc_world(forward, lateral, z),
        )

    def _acc_world(self, forward: Curve, lateral: Curve, z: Curve) -> np.ndarray:
        path_rad, path_rate, _ = (c * units.RAD_PER_DEG for c in self.path_deg.curve())
        cos, sin = np.cos(path_rad), np.sin(path_rad)
        # d²/dt² of ∫R(path)·(ḟ, l̇): the local acceleration turned to the world, plus the turning term
        acc_x = forward[2] * cos - lateral[2] * sin - path_rate * (forward[1] * sin + lateral[1] * cos)
        acc_y = forward[2] * sin + lateral[2] * cos + path_rate * (forward[1] * cos - lateral[1] * sin)
        return np.stack([acc_x, acc_y, z[2]], axis=-1)


def _plus(*curves: Curve) -> Curve:
    return (
        np.sum([c[0] for c in curves], axis=0),
        np.sum([c[1] for c in curves], axis=0),
        np.sum([c[2] for c in curves], axis=0),
    )
