"""Pelvis vertical kinematics from acceleration: velocity and drop below standing, with zero-velocity updates.

Vertical acceleration is the specific force projected on earth's up axis, minus gravity. Real accelerometers
read gravity a few per cent off, and differently per axis, so the offset depends on posture (SisFall's waist
ADXL345 reads 3–7 % high standing, less when tilted). The tracker therefore:

- learns the offset while at rest (seeded by the standing calibration);
- integrates a movement as it happens (for live display), leaking only when it lasts longer than a squat's
  descent (walking), so long movements without rest cannot drift far;
- when rest resumes, measures the offset at the new posture, re-integrates the buffered movement with the
  offset interpolated by inclination between the two rest postures, and removes what velocity error remains
  linearly (zero-velocity update with drift removal).

Rest is a sustained quiet spell: a slow descent passes through near-zero acceleration at full speed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from imuhold.model import Vec3
from imuhold.units import STANDARD_GRAVITY_M_S2


def vertical_acc_m_s2(up: Vec3, acc_m_s2: Vec3) -> float:
    """Earth-vertical acceleration (gravity removed) from the sensor-frame up axis and specific force."""
    return up[0] * acc_m_s2[0] + up[1] * acc_m_s2[1] + up[2] * acc_m_s2[2] - STANDARD_GRAVITY_M_S2


def integrate_movement(
    dts: list[float], accs: list[float], inclinations: list[float], start_offset: float, end_offset: float
) -> tuple[float, float]:
    """(drop at the end, lowest point) of a movement between two rests, relative to where it started.

    The offset is interpolated by inclination between the two rest postures; the velocity left at the end is
    integration error, taken to grow linearly over the movement and removed (position error v·t²/2T).
    """
    incl_start, incl_end = inclinations[0], inclinations[-1]
    span = incl_end - incl_start
    total = sum(dts)
    velocity = drop = elapsed = 0.0
    previous = 0.0
    raw: list[float] = []
    times: list[float] = []
    for dt, acc, incl in zip(dts, accs, inclinations, strict=True):
        elapsed += dt
        if abs(span) >= 3.0:
            weight = min(1.0, max(0.0, (incl - incl_start) / span))
        else:
            weight = elapsed / total if total > 0 else 1.0
        now = acc - (start_offset + weight * (end_offset - start_offset))
        velocity += 0.5 * (now + previous) * dt
        previous = now
        drop += velocity * dt
        raw.append(drop)
        times.append(elapsed)
    if total <= 0:
        return 0.0, 0.0
    k = 0.5 * velocity / total
    lowest = min(0.0, *(d - k * t * t for d, t in zip(raw, times, strict=True)))
    return drop - k * total * total, lowest


@dataclass(slots=True)
class VerticalTracker:
    """Streaming integrator of vertical acceleration into velocity (m/s, up +) and drop (m, negative down)."""

    rest_speed_dps: float = 4.0
    rest_acc_m_s2: float = 0.15
    rest_min_s: float = 0.3
    still_speed_dps: float = 2.0
    steady_acc_m_s2: float = 0.08
    steady_tau_s: float = 0.5
    smooth_tau_s: float = 0.1
    offset_measure_s: float = 0.3
    bias_tau_s: float = 3.0
    bias_after_rest_s: float = 1.0
    raw_window_s: float = 4.0
    leak_tau_s: float = 1.0
    max_corrected_motion_s: float = 8.0
    velocity_m_s: float = 0.0
    drop_m: float = 0.0
    lowest_m: float = 0.0
    """Lowest drift-corrected drop since the pelvis last rested in standing (trustworthy, unlike live values)."""
    at_rest: bool = False
    _bias_m_s2: float = 0.0
    _last_t_s: float | None = None
    _quiet_s: float = 0.0
    _start_drop_m: float = 0.0
    _motion_s: float = 0.0
    _leaky_drop_m: float = 0.0
    _last_acc_m_s2: float = 0.0
    _steady_m_s2: float | None = None
    _smooth_m_s2: float = 0.0
    _dts: list[float] = field(default_factory=list)
    _accs: list[float] = field(default_factory=list)
    _incls: list[float] = field(default_factory=list)
    _settle_sum: float = 0.0
    _settle_n: int = 0
    _settle_s: float = 0.0

    @property
    def settled(self) -> bool:
        """At rest with the last movement's correction applied: ``drop_m`` and ``lowest_m`` are final."""
        return self.at_rest and not self._dts

    def start_offset(self, offset_m_s2: float) -> None:
        """Seed the acceleration offset (the accelerometer's reading of gravity minus g, at calibration)."""
        self._bias_m_s2 = offset_m_s2

    def step(
        self, t_s: float, acc_vertical_m_s2: float, speed_dps: float, inclination_deg: float, standing: bool
    ) -> tuple[float, float]:
        """Advance to ``t_s``; returns (velocity_m_s, drop_m)."""
        dt = 0.0 if self._last_t_s is None else min(t_s - self._last_t_s, 0.5)
        self._last_t_s = t_s
        steady = self._steady(dt, acc_vertical_m_s2, speed_dps)
        near_offset = abs(acc_vertical_m_s2 - self._bias_m_s2) < self.rest_acc_m_s2
        quiet = speed_dps < self.rest_speed_dps and (near_offset or steady)
        self._quiet_s = self._quiet_s + dt if quiet else 0.0
        if self._quiet_s >= self.rest_min_s:
            return self._step_rest(dt, acc_vertical_m_s2, standing)
        self._step_moving(dt, acc_vertical_m_s2, inclination_deg)
        return self.velocity_m_s, self.drop_m

    def _steady(self, dt: float, acc_vertical_m_s2: float, speed_dps: float) -> bool:
        """Still and reading a constant acceleration: at rest in a posture whose offset is not yet known.

        Compares a short average (sensor noise removed) with a longer one (the level it holds)."""
        if self._steady_m_s2 is None:
            self._steady_m_s2 = self._smooth_m_s2 = acc_vertical_m_s2
        self._smooth_m_s2 += (1.0 - math.exp(-dt / self.smooth_tau_s)) * (acc_vertical_m_s2 - self._smooth_m_s2)
        self._steady_m_s2 += (1.0 - math.exp(-dt / self.steady_tau_s)) * (acc_vertical_m_s2 - self._steady_m_s2)
        return speed_dps < self.still_speed_dps and abs(self._smooth_m_s2 - self._steady_m_s2) < self.steady_acc_m_s2

    def _step_rest(self, dt: float, acc_vertical_m_s2: float, standing: bool) -> tuple[float, float]:
        if not self.at_rest:
            self.at_rest = True
            self.velocity_m_s = 0.0
            self._settle_sum, self._settle_n, self._settle_s = 0.0, 0, 0.0
        if self._dts:  # a movement awaits its correction: measure the offset at the new posture first
            self._settle_sum += acc_vertical_m_s2
            self._settle_n += 1
            self._settle_s += dt
            if self._settle_s >= self.offset_measure_s:
                self._finish_movement(self._settle_sum / self._settle_n)
        elif self._quiet_s >= self.bias_after_rest_s:
            self._bias_m_s2 += (1.0 - math.exp(-dt / self.bias_tau_s)) * (acc_vertical_m_s2 - self._bias_m_s2)
        if standing and not self._dts:
            self.drop_m = self.lowest_m = 0.0
        if not self._dts:
            self._start_drop_m = self.drop_m
        self._last_acc_m_s2 = 0.0
        return 0.0, self.drop_m

    def _step_moving(self, dt: float, acc_vertical_m_s2: float, inclination_deg: float) -> None:
        if self.at_rest:
            self.at_rest = False
            if self._dts:  # rest was too short to measure: the movement goes on
                self._settle_n = 0
        acc_now = acc_vertical_m_s2 - self._bias_m_s2
        acc = 0.5 * (acc_now + self._last_acc_m_s2)  # trapezoid: better across lost samples
        self._last_acc_m_s2 = acc_now
        self._motion_s += dt
        if self._motion_s <= self.max_corrected_motion_s:
            self._dts.append(dt)
            self._accs.append(acc_vertical_m_s2)
            self._incls.append(inclination_deg)
        leak = 1.0 if self._motion_s <= self.raw_window_s else math.exp(-dt / self.leak_tau_s)
        self.velocity_m_s = (self.velocity_m_s + acc * dt) * leak
        self._leaky_drop_m = (self._leaky_drop_m + self.velocity_m_s * dt) * leak
        self.drop_m = self._start_drop_m + self._leaky_drop_m

    def _finish_movement(self, end_offset: float) -> None:
        """Rest resumed and the offset there is known: replace the live drop by the corrected integral."""
        if self._motion_s <= self.max_corrected_motion_s:
            moved, lowest = integrate_movement(self._dts, self._accs, self._incls, self._bias_m_s2, end_offset)
            self.lowest_m = min(self.lowest_m, self._start_drop_m + lowest)
            self.drop_m = self._start_drop_m + moved
        self._bias_m_s2 = end_offset
        self._start_drop_m = self.drop_m
        self._motion_s = self._leaky_drop_m = 0.0
        self._dts.clear()
        self._accs.clear()
        self._incls.clear()
