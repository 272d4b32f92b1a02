"""Pelvis vertical kinematics from acceleration: velocity and drop below standing, with zero-velocity updates.

Vertical acceleration is the specific force projected on earth's up axis, minus gravity. Real accelerometers
read gravity a few per cent off, and differently per axis, so the offset depends on posture (SisFall's waist
ADXL345 reads 3–7 % high standing, less when tilted; its MMA8451Q changes about a third as much). The tracker therefore:

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
from typing import NamedTuple

import numpy as np

from imuhold.model import Vec3
from imuhold.units import STANDARD_GRAVITY_M_S2


def vertical_acc_m_s2(up: Vec3, acc_m_s2: Vec3) -> float:
    """Earth-vertical acceleration (gravity removed) from the sensor-frame up axis and specific force."""
    return up[0] * acc_m_s2[0] + up[1] * acc_m_s2[1] + up[2] * acc_m_s2[2] - STANDARD_GRAVITY_M_S2


def _offset_shape(inclination_deg: np.ndarray) -> np.ndarray:
    """How the offset changes with lean: an axis bias or gain error seen along a tilting vertical, 1 − cos."""
    return 1.0 - np.cos(np.radians(inclination_deg))


def _integrate(dts: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(first, second) running integrals: trapezoid from zero, then rectangles."""
    previous = np.concatenate(([0.0], values[:-1]))
    first = np.cumsum(0.5 * (values + previous) * dts)
    return first, np.cumsum(first * dts)


def integrate_movement(
    dts: list[float],
    accs: list[float],
    inclinations: list[float],
    start_offset: float,
    end_offset: float,
    *,
    excursion_deg: float,
    max_excursion_deg: float,
    max_excursion_offset_m_s2: float,
    start_at_rest: bool = True,
    gaps: tuple[int, ...] = (),
) -> tuple[float, float]:
    """(drop at the end, lowest point) of a movement between two rests, relative to where it started.

    The offset is interpolated between the two rest postures along the lean (``_offset_shape``). A movement
    that leans far past both rests and comes back (an excursion) visits postures whose offset was never
    measured: the velocity left at its end is taken as an offset change in proportion to the extra lean. What
    velocity remains is integration error growing linearly over the movement and is removed (v·t²/2T). An
    excursion past ``MAX_EXCURSION_DEG`` cannot be corrected: it is taken to come back to its starting height
    and adds no depth (a stoop leans 50–90° and barely drops; such squats go unmeasured).

    ``start_at_rest=False``: the movement was picked up after a gap in the data, its velocity at the start is not
    known; only the rest at its end anchors it, so the velocity left at the end is a constant error (v·t).
    ``gaps``: the samples that follow gaps in the data (``dts[k]`` is the gap), where the acceleration is unknown:
    it is taken as the line between the samples around each gap plus an extra part, shared out between the gaps,
    that brings the movement to rest at its end (so an acceleration hidden in a gap is not lost).
    """
    dt = np.asarray(dts, dtype=float)
    incl = np.asarray(inclinations, dtype=float)
    total = float(dt.sum())
    incl_start, incl_end = incl[0], incl[-1]
    beyond = float(incl.max()) - max(incl_start, incl_end)
    if total <= 0 or beyond > max_excursion_deg:
        return 0.0, 0.0
    span = incl_end - incl_start
    if abs(span) >= 3.0:
        shape = _offset_shape(incl)
        weight = np.clip((shape - shape[0]) / (shape[-1] - shape[0]), 0.0, 1.0)
    else:
        weight = np.cumsum(dt) / total
    offset = start_offset + weight * (end_offset - start_offset)
    if gaps:
        return _across_gaps(dt, np.asarray(accs, dtype=float) - offset, incl, list(gaps))
    velocity, drop = _integrate(dt, np.asarray(accs, dtype=float) - offset)
    if not start_at_rest:
        corrected = drop - velocity[-1] * np.cumsum(dt)
        return float(corrected[-1]), min(0.0, float(corrected.min()))
    if abs(span) < 3.0 and beyond >= excursion_deg:
        extra_lean = np.maximum(0.0, incl - max(incl_start, incl_end)) / beyond
        shape_velocity, shape_drop = _integrate(dt, extra_lean)
        limit = max_excursion_offset_m_s2
        change = float(np.clip(velocity[-1] / shape_velocity[-1], -limit, limit))
        velocity = velocity - change * shape_velocity
        drop = drop - change * shape_drop
    elapsed = np.cumsum(dt)
    corrected = drop - 0.5 * velocity[-1] / total * elapsed * elapsed
    return float(corrected[-1]), min(0.0, float(corrected.min()))


def _across_gaps(dt: np.ndarray, acc: np.ndarray, incl: np.ndarray, gaps: list[int]) -> tuple[float, float]:
    """(drop at the end, lowest point) of a movement between two rests with gaps before the samples ``gaps``.

    The acceleration missing in each gap is shared out by the gap's length times how far the body leaned over it
    (1° plus the change of inclination across it): a gap while standing still hides less than one mid-descent."""
    velocity, _ = _integrate(dt, acc)
    in_gap = np.zeros(len(dt))
    at = np.asarray(gaps)
    in_gap[at] = dt[at] * (1.0 + np.abs(incl[at] - incl[np.maximum(at - 1, 0)]))
    gap_time = np.cumsum(in_gap)
    velocity = velocity - velocity[-1] / gap_time[-1] * gap_time  # extra acceleration in the gaps: at rest at the end
    previous = np.concatenate(([0.0], velocity[:-1]))
    drop = np.cumsum(0.5 * (velocity + previous) * dt)
    return float(drop[-1]), min(0.0, float(drop.min()))


class MovingStretch(NamedTuple):
    """What ``VerticalTracker.moving_run`` found, not yet taken: each sample's velocity and drop, and the tracker's
    state after each (``take_moving`` takes the first so many)."""

    velocity_m_s: list[float]
    drop_m: list[float]
    states: list[tuple[float, float, float, float | int, float, float]]
    """After each sample, moving: (short average, long average, quiet seconds, last acceleration, motion seconds,
    leaky drop); settling: (short average, long average, quiet seconds, settle sum, settle count, settle seconds)."""
    kept_dts: list[float]
    """The intervals of the first samples, those kept in the movement buffer (up to ``max_corrected_motion_s``)."""
    settling: bool = False
    """At rest, the offset at the new posture being measured (``_step_rest`` with a movement to correct)."""


@dataclass(slots=True)
class VerticalTracker:
    """Streaming integrator of vertical acceleration into velocity (m/s, up +) and drop (m, negative down).

    Its tunables are the detector parameters named ``vertical_…`` (``imuhold.detect.params``), where each is
    explained: ``VerticalTracker(**params.prefixed("vertical_"))``.
    """

    rest_speed_dps: float
    rest_acc_m_s2: float
    rest_min_s: float
    still_speed_dps: float
    steady_acc_m_s2: float
    steady_tau_s: float
    smooth_tau_s: float
    offset_measure_s: float
    bias_tau_s: float
    bias_after_rest_s: float
    raw_window_s: float
    leak_tau_s: float
    max_corrected_motion_s: float
    excursion_deg: float
    max_excursion_deg: float
    max_excursion_offset_m_s2: float
    gap_bridge_s: float
    velocity_m_s: float = 0.0
    drop_m: float = 0.0
    lowest_m: float = 0.0
    """Lowest drift-corrected drop since the pelvis last rested in standing (trustworthy, unlike live values)."""
    at_rest: bool = False
    _hidden: bool = False
    """After a gap, until the pelvis is seen at rest: nothing is integrated live (the live velocity is unsure)."""
    _blind: bool = False
    """The movement under way began after a gap: its velocity at the start is unknown."""
    _bridge: bool = False
    """The next sample follows a gap bridged inside a movement: its interval is the whole gap."""
    _gaps: list[int] = field(default_factory=list)
    """Where bridged gaps lie in the movement buffered."""
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
    _factors: dict[float, tuple[float, float, float, float]] = field(default_factory=dict, repr=False, compare=False)
    """Filter factors by interval, computed once each."""

    @property
    def settled(self) -> bool:
        """At rest with the last movement's correction applied: ``drop_m`` and ``lowest_m`` are final."""
        return self.at_rest and not self._dts

    @property
    def settled_rest(self) -> bool:
        """At rest with nothing left to correct: ``rest_run`` can go on."""
        quiet_s = self._quiet_s
        return (
            self.at_rest
            and not self._dts
            and quiet_s >= self.rest_min_s
            and self._steady_m_s2 is not None
        )

    def start_offset(self, offset_m_s2: float) -> None:
        """Seed the acceleration offset (the accelerometer's reading of gravity minus g, at calibration)."""
        self._bias_m_s2 = offset_m_s2

    def restart(self, gap_s: float, standing: bool, still: bool = False) -> bool:
        """After a gap of ``gap_s`` in the data. Nothing is shown live until the pelvis is seen at rest again (the
        first samples after a gap look quiet to filters that restarted, so rest is seen anew): a walk picked up
        mid-stride would read as a descent. At the first sample of that rest the movement is settled (its offset
        there the short average):

        - a gap of at most ``gap_bridge_s`` is bridged: one movement from the rest before it (or the one the movement
          under way started from) to the rest after it, the acceleration interpolated across the gap (both rests
          anchor it);
        - otherwise nothing is integrated across the gap: the movement since it has an unknown start velocity and
          is integrated back from the rest (``integrate_movement(start_at_rest=False)``) if it lasted at most
          ``raw_window_s``; one under way at the gap is settled there when the pelvis was ``still`` (a hold kept
          across the gap: its offset the mean of its last ``offset_measure_s``), else its end is unknown and its
          live drop stays.

        Without a bridge the pelvis stays where it was, or at standing height when ``standing`` (the detector saw the
        standing posture after the gap and no hold survived it). Returns whether the gap was bridged."""
        self._hidden = True
        self.velocity_m_s = self._quiet_s = 0.0
        self.at_rest = False
        self._steady_m_s2 = None
        if not (self._blind or still) and gap_s <= self.gap_bridge_s:
            self._bridge = True  # from the rest before the gap (or the movement from it) to the rest after it
            self._gaps.append(len(self._dts))
            return True
        if still and self._dts:
            self._finish_movement(self._tail_offset())
            self._hidden = True
        self._leaky_drop_m = self._motion_s = self._last_acc_m_s2 = 0.0
        self._blind = True
        self._gaps.clear()
        self._last_t_s = None
        self._dts.clear()
        self._accs.clear()
        self._incls.clear()
        self._settle_sum, self._settle_n, self._settle_s = 0.0, 0, 0.0
        if standing:
            self.drop_m = self.lowest_m = 0.0
        self._start_drop_m = self.drop_m
        return False

    def step(
        self, t_s: float, acc_vertical_m_s2: float, speed_dps: float, inclination_deg: float, standing: bool
    ) -> tuple[float, float]:
        """Advance to ``t_s``; returns (velocity_m_s, drop_m)."""
        last_t_s = self._last_t_s
        if self._bridge:  # the sample after a bridged gap: its interval is the whole gap, none of it seen quiet
            assert last_t_s is not None
            gap_s, self._last_t_s, self._bridge = t_s - last_t_s, t_s, False
            if self._steady_m_s2 is None:  # the averages start here (a zero interval moves them no further)
                self._steady_m_s2 = self._smooth_m_s2 = acc_vertical_m_s2
            self._step_moving(gap_s, acc_vertical_m_s2, inclination_deg, math.exp(-gap_s / self.leak_tau_s))
            return self.velocity_m_s, self.drop_m
        dt = 0.0 if last_t_s is None else min(t_s - last_t_s, 0.5)
        self._last_t_s = t_s
        factors = self._factors.get(dt)
        if factors is None:
            factors = self._factors[dt] = self._factors_for(dt)
        # Steady: still and reading a constant acceleration, at rest in a posture whose offset is not yet known. A
        # short average (sensor noise removed) is compared with a longer one (the level it holds).
        smooth, level = self._smooth_m_s2, self._steady_m_s2
        if level is None:
            level = smooth = acc_vertical_m_s2
        smooth += factors[0] * (acc_vertical_m_s2 - smooth)
        level += factors[1] * (acc_vertical_m_s2 - level)
        self._smooth_m_s2, self._steady_m_s2 = smooth, level
        quiet = speed_dps < self.rest_speed_dps and (
            abs(acc_vertical_m_s2 - self._bias_m_s2) < self.rest_acc_m_s2
            or (speed_dps < self.still_speed_dps and abs(smooth - level) < self.steady_acc_m_s2)
        )
        if quiet:
            self._quiet_s += dt
            if self._quiet_s >= self.rest_min_s:
                return self._step_rest(dt, acc_vertical_m_s2, standing, factors[2])
        else:
            self._quiet_s = 0.0
        self._step_moving(dt, acc_vertical_m_s2, inclination_deg, factors[3])
        return self.velocity_m_s, self.drop_m

    def rest_run(
        self,
        t_s: np.ndarray,
        acc_vertical_m_s2: list[float],
        speed_dps: list[float],
        i: int,
        end: int,
        standing: np.ndarray | None = None,
    ) -> int:
        """``step`` over samples ``i`` to ``end`` (exclusive) of a block as long as the pelvis stays at rest with
        nothing left to correct (the offset follows the acceleration once rest is long enough); returns how many
        were taken (their velocity is 0; the drop and lowest point do not change, but become 0 from the first
        sample ``standing``, given from ``i`` on; None: none is). Same arithmetic as ``step``."""
        if i >= end or not self.settled_rest:
            return 0
        quiet_s = self._quiet_s
        last_t_s, smooth, level, bias = self._last_t_s, self._smooth_m_s2, self._steady_m_s2, self._bias_m_s2
        rest_speed, rest_acc, still_speed, steady_acc = (
            self.rest_speed_dps, self.rest_acc_m_s2, self.still_speed_dps, self.steady_acc_m_s2
        )
        bias_after_rest_s = self.bias_after_rest_s
        cache = self._factors
        k = i
        for t, acc, speed in zip(t_s[i:end].tolist(), acc_vertical_m_s2[i:end], speed_dps[i:end], strict=True):
            dt = t - last_t_s
            if dt > 0.5:  # as min(dt, 0.5)
                dt = 0.5
            factors = cache.get(dt)
            if factors is None:
                factors = cache[dt] = self._factors_for(dt)
            next_smooth = smooth + factors[0] * (acc - smooth)
            next_level = level + factors[1] * (acc - level)
            if not (
                speed < rest_speed
                and (abs(acc - bias) < rest_acc or (speed < still_speed and abs(next_smooth - next_level) < steady_acc))
            ):
                break
            last_t_s, smooth, level = t, next_smooth, next_level
            quiet_s += dt
            if quiet_s >= bias_after_rest_s:
                bias += factors[2] * (acc - bias)
            k += 1
        self._last_t_s, self._smooth_m_s2, self._steady_m_s2, self._bias_m_s2 = last_t_s, smooth, level, bias
        self._quiet_s = quiet_s
        if standing is not None and k > i and bool(standing[: k - i].any()):
            self.drop_m = self.lowest_m = self._start_drop_m = 0.0
        return k - i

    @property
    def moving(self) -> bool:
        """Integrating a movement, or at rest measuring the offset to correct it, the next sample neither the first
        nor after a bridged gap: ``moving_run`` can go on."""
        return (
            (not self.at_rest or bool(self._dts))
            and not self._bridge
            and self._last_t_s is not None
            and self._steady_m_s2 is not None
        )

    def moving_run(
        self,
        t_s: np.ndarray,
        acc_vertical_m_s2: list[float],
        speed_dps: list[float],
        i: int,
        end: int,
    ) -> MovingStretch:
        """``step`` over samples ``i`` to ``end`` (exclusive) of a block as long as the pelvis keeps moving (it stops
        before the sample that would be the start of rest), or, at rest with a movement to correct, as long as it
        rests and the offset is still being measured (``_settling_run``); without changing the tracker:
        ``take_moving`` then takes as many of them as the caller wants. Same arithmetic as ``step``; needs
        ``moving``."""
        assert self.moving and self._last_t_s is not None and self._steady_m_s2 is not None
        if self.at_rest:
            return self._settling_run(t_s, acc_vertical_m_s2, speed_dps, i, end)
        last_t_s, smooth, level, quiet_s = self._last_t_s, self._smooth_m_s2, self._steady_m_s2, self._quiet_s
        bias, last_acc, motion_s = self._bias_m_s2, self._last_acc_m_s2, self._motion_s
        velocity, leaky, drop, start_drop = self.velocity_m_s, self._leaky_drop_m, self.drop_m, self._start_drop_m
        hidden = self._hidden
        rest_speed, rest_acc, still_speed, steady_acc, rest_min_s = (
            self.rest_speed_dps, self.rest_acc_m_s2, self.still_speed_dps, self.steady_acc_m_s2, self.rest_min_s
        )
        max_corrected_s, raw_window_s = self.max_corrected_motion_s, self.raw_window_s
        cache = self._factors
        velocities: list[float] = []
        drops: list[float] = []
        states: list[tuple[float, float, float, float | int, float, float]] = []
        kept_dts: list[float] = []
        for t, acc, speed in zip(t_s[i:end].tolist(), acc_vertical_m_s2[i:end], speed_dps[i:end], strict=True):
            dt = t - last_t_s
            if dt > 0.5:  # as min(dt, 0.5)
                dt = 0.5
            last_t_s = t
            factors = cache.get(dt)
            if factors is None:
                factors = cache[dt] = self._factors_for(dt)
            smooth += factors[0] * (acc - smooth)
            level += factors[1] * (acc - level)
            if speed < rest_speed and (
                abs(acc - bias) < rest_acc or (speed < still_speed and abs(smooth - level) < steady_acc)
            ):
                quiet_s += dt
                if quiet_s >= rest_min_s:
                    break  # rest begins here
            else:
                quiet_s = 0.0
            acc_now = acc - bias  # as _step_moving, not at rest
            trapezoid = 0.5 * (acc_now + last_acc)
            last_acc = acc_now
            motion_s += dt
            if motion_s <= max_corrected_s:
                kept_dts.append(dt)
            if not hidden:
                leak = 1.0 if motion_s <= raw_window_s else factors[3]
                velocity = (velocity + trapezoid * dt) * leak
                leaky = (leaky + velocity * dt) * leak
                drop = start_drop + leaky
            velocities.append(velocity)
            drops.append(drop)
            states.append((smooth, level, quiet_s, last_acc, motion_s, leaky))
        return MovingStretch(velocities, drops, states, kept_dts)

    def _settling_run(
        self, t_s: np.ndarray, acc_vertical_m_s2: list[float], speed_dps: list[float], i: int, end: int
    ) -> MovingStretch:
        """``moving_run`` at rest with a movement to correct: it stops before the sample that ends rest or completes
        the measure of the offset (``_finish_movement``). Velocity 0, the drop unchanged."""
        assert self._last_t_s is not None and self._steady_m_s2 is not None
        last_t_s, smooth, level, quiet_s = self._last_t_s, self._smooth_m_s2, self._steady_m_s2, self._quiet_s
        total, count, settle_s = self._settle_sum, self._settle_n, self._settle_s
        bias = self._bias_m_s2
        rest_speed, rest_acc, still_speed, steady_acc, rest_min_s, measure_s = (
            self.rest_speed_dps,
            self.rest_acc_m_s2,
            self.still_speed_dps,
            self.steady_acc_m_s2,
            self.rest_min_s,
            self.offset_measure_s,
        )
        cache = self._factors
        states: list[tuple[float, float, float, float | int, float, float]] = []
        for t, acc, speed in zip(t_s[i:end].tolist(), acc_vertical_m_s2[i:end], speed_dps[i:end], strict=True):
            dt = t - last_t_s
            if dt > 0.5:  # as min(dt, 0.5)
                dt = 0.5
            last_t_s = t
            factors = cache.get(dt)
            if factors is None:
                factors = cache[dt] = self._factors_for(dt)
            smooth += factors[0] * (acc - smooth)
            level += factors[1] * (acc - level)
            if not (
                speed < rest_speed
                and (abs(acc - bias) < rest_acc or (speed < still_speed and abs(smooth - level) < steady_acc))
            ):
                break  # rest ends here
            quiet_s += dt
            if quiet_s < rest_min_s:
                break  # (not seen: rest was reached before)
            total += acc  # as _step_rest with a movement to correct
            count += 1
            settle_s += dt
            if settle_s >= measure_s:
                break  # the offset is measured: the movement is corrected here
            states.append((smooth, level, quiet_s, total, count, settle_s))
        n = len(states)
        return MovingStretch([0.0] * n, [self.drop_m] * n, states, [], settling=True)

    def take_moving(
        self, stretch: MovingStretch, n: int, t_s: float, acc_vertical_m_s2: list[float], inclination_deg: list[float]
    ) -> None:
        """Take the first ``n`` samples of a ``moving_run``, the last at ``t_s`` (the lists from its first sample on):
        the tracker is as ``step`` over them would leave it."""
        if n == 0:
            return
        if stretch.settling:
            self._smooth_m_s2, self._steady_m_s2, self._quiet_s, self._settle_sum, self._settle_n, self._settle_s = (
                stretch.states[n - 1]
            )
            self._last_t_s = t_s
            self._last_acc_m_s2 = 0.0
            return
        self._smooth_m_s2, self._steady_m_s2, self._quiet_s, self._last_acc_m_s2, self._motion_s, self._leaky_drop_m = (
            stretch.states[n - 1]
        )
        self.velocity_m_s, self.drop_m = stretch.velocity_m_s[n - 1], stretch.drop_m[n - 1]
        self._last_t_s = t_s
        kept = min(n, len(stretch.kept_dts))
        self._dts.extend(stretch.kept_dts[:kept])
        self._accs.extend(acc_vertical_m_s2[:kept])
        self._incls.extend(inclination_deg[:kept])

    def _factors_for(self, dt: float) -> tuple[float, float, float, float]:
        """The filter factors of an interval: short and long averages, offset, leak (a steady rate has a few)."""
        exp = math.exp
        return (
            1.0 - exp(-dt / self.smooth_tau_s),
            1.0 - exp(-dt / self.steady_tau_s),
            1.0 - exp(-dt / self.bias_tau_s),
            exp(-dt / self.leak_tau_s),
        )

    def _step_rest(self, dt: float, acc_vertical_m_s2: float, standing: bool, bias_a: float) -> tuple[float, float]:
        if not self.at_rest:
            self.at_rest = True
            self.velocity_m_s = 0.0
            self._settle_sum, self._settle_n, self._settle_s = 0.0, 0, 0.0
            if self._hidden and self._dts:  # the first rest after a gap anchors the movement since: settle it now
                self._finish_movement(self._smooth_m_s2)  # the offset here: the short average, sensor noise removed
        if self._dts:  # a movement awaits its correction: measure the offset at the new posture first
            self._settle_sum += acc_vertical_m_s2
            self._settle_n += 1
            self._settle_s += dt
            if self._settle_s >= self.offset_measure_s:
                self._finish_movement(self._settle_sum / self._settle_n)
        elif self._quiet_s >= self.bias_after_rest_s:
            self._bias_m_s2 += bias_a * (acc_vertical_m_s2 - self._bias_m_s2)
        if not self._dts:
            self._hidden = self._blind = False  # at rest with nothing pending: the velocity is known again
            if standing:
                self.drop_m = self.lowest_m = 0.0
            self._start_drop_m = self.drop_m
        self._last_acc_m_s2 = 0.0
        return 0.0, self.drop_m

    def _step_moving(self, dt: float, acc_vertical_m_s2: float, inclination_deg: float, leak_factor: float) -> None:
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
        if self._hidden:
            return
        leak = 1.0 if self._motion_s <= self.raw_window_s else leak_factor
        self.velocity_m_s = (self.velocity_m_s + acc * dt) * leak
        self._leaky_drop_m = (self._leaky_drop_m + self.velocity_m_s * dt) * leak
        self.drop_m = self._start_drop_m + self._leaky_drop_m

    def _tail_offset(self) -> float:
        """Mean acceleration over the last ``offset_measure_s`` of the movement buffered: the offset where it ended."""
        total, n, elapsed = 0.0, 0, 0.0
        for dt, acc in zip(reversed(self._dts), reversed(self._accs), strict=True):
            total, n, elapsed = total + acc, n + 1, elapsed + dt
            if elapsed >= self.offset_measure_s:
                break
        return total / n

    def _finish_movement(self, end_offset: float) -> None:
        """Rest resumed and the offset there is known: replace the live drop by the corrected integral."""
        blind, self._blind, self._hidden = self._blind, False, False
        gaps = tuple(k for k in self._gaps if k < len(self._dts))
        self._gaps.clear()
        if self._motion_s <= (self.raw_window_s if blind else self.max_corrected_motion_s):
            moved, lowest = integrate_movement(
                self._dts,
                self._accs,
                self._incls,
                self._bias_m_s2,
                end_offset,
                excursion_deg=self.excursion_deg,
                max_excursion_deg=self.max_excursion_deg,
                max_excursion_offset_m_s2=self.max_excursion_offset_m_s2,
                start_at_rest=not blind,
                gaps=gaps,
            )
            self.lowest_m = min(self.lowest_m, self._start_drop_m + lowest)
            self.drop_m = self._start_drop_m + moved
        self._bias_m_s2 = end_offset
        self._start_drop_m = self.drop_m
        self._motion_s = self._leaky_drop_m = 0.0
        self._dts.clear()
        self._accs.clear()
        self._incls.clear()
