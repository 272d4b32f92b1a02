"""Pelvis vertical kinematics from acceleration: velocity and drop below standing, with zero-velocity updates.

Vertical acceleration is the specific force projected on earth's up axis, minus gravity; its offset (sensor
bias, small tilt error) is learned slowly once rest is well established (the first quiet-looking moments of a
movement must not be taken for offset). Rest is a sustained quiet spell (a slow descent passes through
near-zero acceleration at full speed, so one quiet sample proves nothing). Between two rests the acceleration is
integrated twice; when rest resumes, the velocity left over is integration error and its linear growth is
removed from the drop (zero-velocity update with drift removal). A movement is integrated as is for its first
``raw_window_s`` (a squat's descent fits); after that the integral leaks towards the last rest, so long movements
without rest (walking) cannot drift far. The drop is zeroed at rest in standing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from imuhold.model import Vec3
from imuhold.units import STANDARD_GRAVITY_M_S2


def vertical_acc_m_s2(up: Vec3, acc_m_s2: Vec3) -> float:
    """Earth-vertical acceleration (gravity removed) from the sensor-frame up axis and specific force."""
    return up[0] * acc_m_s2[0] + up[1] * acc_m_s2[1] + up[2] * acc_m_s2[2] - STANDARD_GRAVITY_M_S2


@dataclass(slots=True)
class VerticalTracker:
    """Streaming integrator of vertical acceleration into velocity (m/s, up +) and drop (m, negative down)."""

    rest_speed_dps: float = 4.0
    rest_acc_m_s2: float = 0.15
    rest_min_s: float = 0.3
    bias_tau_s: float = 3.0
    bias_after_rest_s: float = 1.0
    raw_window_s: float = 4.0
    leak_tau_s: float = 1.0
    max_corrected_motion_s: float = 8.0
    velocity_m_s: float = 0.0
    drop_m: float = 0.0
    at_rest: bool = False
    _bias_m_s2: float = 0.0
    _last_t_s: float | None = None
    _quiet_s: float = 0.0
    _start_drop_m: float = 0.0
    _motion_s: float = 0.0
    _raw_velocity_m_s: float = 0.0
    _raw_drop_m: float = 0.0
    _leaky_drop_m: float = 0.0
    _last_acc_m_s2: float = 0.0

    def step(self, t_s: float, acc_vertical_m_s2: float, speed_dps: float, standing: bool) -> tuple[float, float]:
        """Advance to ``t_s``; returns (velocity_m_s, drop_m)."""
        dt = 0.0 if self._last_t_s is None else min(t_s - self._last_t_s, 0.5)
        self._last_t_s = t_s
        quiet = speed_dps < self.rest_speed_dps and abs(acc_vertical_m_s2 - self._bias_m_s2) < self.rest_acc_m_s2
        self._quiet_s = self._quiet_s + dt if quiet else 0.0
        if self._quiet_s >= self.rest_min_s:
            if not self.at_rest:
                self._settle()
            self.at_rest = True
            if self._quiet_s >= self.bias_after_rest_s:
                gain = 1.0 - math.exp(-dt / self.bias_tau_s)
                self._bias_m_s2 += gain * (acc_vertical_m_s2 - self._bias_m_s2)
            if standing:
                self.drop_m = 0.0
            self._start_drop_m = self.drop_m
            self._last_acc_m_s2 = 0.0
            return 0.0, self.drop_m
        self.at_rest = False
        acc_now = acc_vertical_m_s2 - self._bias_m_s2
        acc = 0.5 * (acc_now + self._last_acc_m_s2)  # trapezoid: better across lost samples
        self._last_acc_m_s2 = acc_now
        self._motion_s += dt
        self._raw_velocity_m_s += acc * dt
        self._raw_drop_m += self._raw_velocity_m_s * dt
        leak = 1.0 if self._motion_s <= self.raw_window_s else math.exp(-dt / self.leak_tau_s)
        self.velocity_m_s = (self.velocity_m_s + acc * dt) * leak
        self._leaky_drop_m = (self._leaky_drop_m + self.velocity_m_s * dt) * leak
        self.drop_m = self._start_drop_m + self._leaky_drop_m
        return self.velocity_m_s, self.drop_m

    def _settle(self) -> None:
        """Rest resumed: replace the leaky drop by the drift-corrected integral of the movement just ended."""
        if 0.0 < self._motion_s <= self.max_corrected_motion_s:
            corrected = self._raw_drop_m - 0.5 * self._raw_velocity_m_s * self._motion_s
            self.drop_m = self._start_drop_m + corrected
        self.velocity_m_s = 0.0
        self._motion_s = self._raw_velocity_m_s = self._raw_drop_m = self._leaky_drop_m = 0.0
