"""The streaming squat and hold detector: an explicit phase machine fed one sample of pelvic features at a time.

Semantics (ARCHITECTURE §4): a squat is *entered* at motion onset (back-dated) and *exited* when the body
settles back in the standing band; with acceleration it must drop the pelvis at least ``squat_drop_m`` (a
stoop does not). A *hold* is a stable stretch of at least ``min_hold_s``; wobbles shorter than ``grace_s`` do
not split it. The entry of a squat is announced once the squat is certain (first hold, or the exit of a squat
without a hold). Every event is dated from the motion around it (``imuhold.detect.boundaries``): entry at the
descent's onset, a hold from the end of the movement before it to the onset of the one after, exit at the end
of the ascent, reported ``exit_report_delay_s`` after it is decided so that the end can be seen.

The phases and the rules between them (every threshold is a parameter in ``imuhold.detect.params``):

- STANDING → MOVING: lean ≥ ``entry_inclination_deg``, or (with acceleration, once re-armed) drop ≤
  −``entry_drop_m``. The squat is a *candidate* until it proves deep enough (``_deep_enough``).
- MOVING → STEADY: a stable sample (tilt speed < ``stable_speed_dps``, vertical speed < ``stable_velocity_m_s``).
- STEADY → MOVING: unstable for longer than ``grace_s``.
- STEADY → HOLDING: stable for ≥ ``min_hold_s`` (dated from the end of the movement before it), deep enough.
- HOLDING → MOVING: unstable for longer than ``grace_s``; the hold ends at its last stable sample, dated.
- any squat phase → SETTLING: back in the standing band (lean < ``exit_inclination_deg`` and risen); a running
  hold ends. SETTLING → MOVING on leaving the band again.
- SETTLING → STANDING: quiet (tilt speed < ``quiet_speed_dps``), or in the band for ``settle_timeout_s``: the
  squat exits (a candidate first waits up to ``depth_wait_s`` for its depth, and is dropped if too shallow).
- A gap in the data (``gap``, called by the pipeline when samples are more than ``gap_s`` apart): a stable run
  (HOLDING or STEADY) is kept when the gap is at most ``gap_hold_max_s`` and the posture after it is within
  ``gap_posture_deg`` of the run's mean (the gap is the hold's unobserved time; until the vertical tracker rests
  again a sample is stable only at that posture); otherwise a hold ends at its last observed sample and the run
  starts again (→ MOVING). Nothing is inferred across a gap: a descent is dated from after it, and after a gap the
  vertical tracker could not bridge (``drop_unseen``), until the next standing rest, the posture alone says the
  pelvis rose (a squat in the standing band settles from there).

Policy: a still, low pelvis is a squat hold whether or not something supports it. One pelvis IMU cannot tell a
chair sit from a deep squat: on SisFall the pelvic tilt at the bottom overlaps (squats D15: median 9°, quartiles
−3° to 28°; chair sits D07: median −2°, quartiles −6° to 9°) and so does sway. Users pause the session to rest.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import Enum
from itertools import repeat
from typing import NamedTuple, Protocol

import numpy as np

from imuhold.detect.boundaries import EventTimes
from imuhold.detect.metrics import PostureStats
from imuhold.detect.params import DetectorParams
from imuhold.model import Event, EventKind, HoldMetrics, MotionState, Squat


class Phase(Enum):
    """Where the detector is; the display state (``MotionState``) is derived from it and the last movement."""

    STANDING = "standing"
    """No squat under way (the last exit may still wait to be reported)."""
    MOVING = "moving"
    """In a squat, not stable."""
    STEADY = "steady"
    """In a squat, stable for less than a hold so far (wobbles up to ``grace_s`` are kept in the run)."""
    HOLDING = "holding"
    """A hold is running."""
    SETTLING = "settling"
    """In a squat, back in the standing band: waiting for the body to settle before the exit."""


# The phases and display states the per-sample path reads, as module constants: on Python 3.11 an enum member read
# from its class (``Phase.STANDING``) goes through ``EnumType.__getattr__``, several times slower than a global.
_STANDING, _MOVING, _STEADY, _HOLDING, _SETTLING = (
    Phase.STANDING, Phase.MOVING, Phase.STEADY, Phase.HOLDING, Phase.SETTLING
)
_ASCENDING, _DESCENDING = MotionState.ASCENDING, MotionState.DESCENDING


class _Vertical(Protocol):
    """What ``absorb_stable`` reads of the vertical tracker."""

    drop_m: float
    lowest_m: float


class Features(NamedTuple):
    """One sample of pelvic features, as the pipeline computes them."""

    t_s: float
    inclination_deg: float
    tilt_deg: float
    obliquity_deg: float
    speed_dps: float
    drop_m: float | None = None
    """Live pelvis drop (None without acceleration)."""
    velocity_m_s: float | None = None
    """Live vertical velocity (None without acceleration)."""
    lowest_m: float | None = None
    """Lowest drift-corrected drop since standing."""
    drop_settled: bool = True
    """Whether the last movement's drift correction is done: a candidate's depth is judged on corrected values,
    not on live ones that overshoot."""


@dataclass(slots=True)
class _Candidate:
    """What the detector knows of the squat under way."""

    entry_s: float
    lowest_floor_m: float = 0.0
    """The vertical tracker's lowest point when the squat began: only a lower point is this squat's own."""
    confirmed: bool = False
    min_drop_m: float | None = None
    lowest_m: float | None = None
    max_inclination_deg: float = 0.0
    drop_settled: bool = True
    holds: list[HoldMetrics] = field(default_factory=list)
    settle_since_s: float | None = None
    """First sample of the current stay in the standing band (SETTLING)."""
    quiet_since_s: float | None = None
    """First quiet sample of the current stay in the standing band."""


@dataclass(slots=True)
class _Run:
    """A stable run inside a squat (STEADY or HOLDING), with its posture statistics."""

    start_s: float
    last_stable_s: float
    stats: PostureStats = field(default_factory=PostureStats)
    tentative: PostureStats = field(default_factory=PostureStats)
    """Samples of a wobble not yet longer than ``grace_s``: merged into ``stats`` if the run goes on."""
    dated_start_s: float | None = None

    def keep_many(self, last_t_s: float, tilt_deg: np.ndarray, obliquity_deg: np.ndarray, drop_m: float | None) -> None:
        """``keep`` for each of several stable samples, the last at ``last_t_s``, with the same drop."""
        self.last_stable_s = last_t_s
        if self.tentative.n:
            self.stats.merge(self.tentative)
            self.tentative = PostureStats()
        self.stats.add_many(tilt_deg, obliquity_deg, drop_m)

    def keep_each(
        self,
        t_s: list[float],
        stable: list[bool],
        tilt_deg: list[float],
        obliquity_deg: list[float],
        drop_m: list[float],
    ) -> None:
        """``keep`` for each sample ``stable`` and ``tentative.add`` for each other, in turn: the same sums, to the
        bit (the wobble's own sums are added to the run's when a stable sample follows)."""
        s, w = self.stats, self.tentative
        n, tilt_sum, tilt_sq, obl_sum, obl_sq, drop_sum, drop_n = (
            s.n, s.tilt_sum, s.tilt_sq, s.obl_sum, s.obl_sq, s.drop_sum, s.drop_n
        )
        w_n, w_tilt_sum, w_tilt_sq, w_obl_sum, w_obl_sq, w_drop_sum, w_drop_n = (
            w.n, w.tilt_sum, w.tilt_sq, w.obl_sum, w.obl_sq, w.drop_sum, w.drop_n
        )
        last_stable_s = self.last_stable_s
        for t, kept, tilt, obliquity, drop in zip(t_s, stable, tilt_deg, obliquity_deg, drop_m, strict=True):
            if kept:
                last_stable_s = t
                if w_n:  # as stats.merge(tentative), then a fresh (empty) tentative
                    n += w_n
                    tilt_sum += w_tilt_sum
                    tilt_sq += w_tilt_sq
                    obl_sum += w_obl_sum
                    obl_sq += w_obl_sq
                    drop_sum += w_drop_sum
                    drop_n += w_drop_n
                    w_n = w_drop_n = 0
                    w_tilt_sum = w_tilt_sq = w_obl_sum = w_obl_sq = w_drop_sum = 0.0
                n += 1
                tilt_sum += tilt
                tilt_sq += tilt * tilt
                obl_sum += obliquity
                obl_sq += obliquity * obliquity
                drop_sum += drop
                drop_n += 1
            else:
                w_n += 1
                w_tilt_sum += tilt
                w_tilt_sq += tilt * tilt
                w_obl_sum += obliquity
                w_obl_sq += obliquity * obliquity
                w_drop_sum += drop
                w_drop_n += 1
        self.stats = PostureStats(n, tilt_sum, tilt_sq, obl_sum, obl_sq, drop_sum, drop_n)
        self.tentative = PostureStats(w_n, w_tilt_sum, w_tilt_sq, w_obl_sum, w_obl_sq, w_drop_sum, w_drop_n)
        self.last_stable_s = last_stable_s

    def keep(self, t_s: float, tilt_deg: float, obliquity_deg: float, drop_m: float | None) -> None:
        """A stable sample: the run goes on, and a wobble before it belongs to the run."""
        self.last_stable_s = t_s
        if self.tentative.n:
            self.stats.merge(self.tentative)
            self.tentative = PostureStats()
        self.stats.add(tilt_deg, obliquity_deg, drop_m)


class GapOutcome(NamedTuple):
    """What a gap in the data did: the events it ended, whether the posture after it is the standing one (the
    pelvis taken to be at standing height), and whether a stable run (a hold) was kept across it (the pelvis was
    still at the gap)."""

    events: list[Event]
    standing: bool
    kept: bool


@dataclass(slots=True)
class _PendingExit:
    squat: Squat
    decided_s: float
    earliest_s: float


class HoldDetector:
    """Feed one sample of :class:`Features` at a time with :meth:`step`; read ``phase``, ``state``, ``squats``."""

    def __init__(self, params: DetectorParams | None = None) -> None:
        self.params = params or DetectorParams()
        self.phase = Phase.STANDING
        self.state = MotionState.STANDING
        self.squats: list[Squat] = []
        self.hold_start_s: float | None = None
        """Start of the running hold, for live timers; None when not holding."""
        self.last_hold: HoldMetrics | None = None
        """The hold that ended last, for live displays."""
        self._last_t_s: float | None = None
        # Standing: baselines of lean and drop, the last time near them (a descent's coarse onset), drop re-arming.
        self._baseline_incl_deg = 0.0
        self._baseline_drop_m = 0.0
        self._onset_t_s: float | None = None
        self._drop_entry_armed = True
        self._last_exit_s = -math.inf
        self._pending_exit: _PendingExit | None = None
        self._squat: _Candidate | None = None
        self._run: _Run | None = None
        self._gaps: list[tuple[float, float]] = []
        """Gaps in the data (last sample before, first after) since the last squat ended: a hold's unobserved time."""
        self._since_gap = False
        """A gap longer than the vertical tracker bridges came, and the body has not rested standing since: the drop
        does not say whether the pelvis rose."""
        self._blind_run = False
        """A stable run was kept across a gap and the vertical tracker has not rested since (its velocity is not
        known): the run's own posture is the stability test's second half."""
        # Event times are refined from recent motion (imuhold.detect.boundaries); an exit waits to see its end.
        self._times = EventTimes(self.params)
        self._baseline_factors: dict[float, float] = {}

    @property
    def in_squat(self) -> bool:
        return self.phase is not Phase.STANDING

    @property
    def hold_unobserved_s(self) -> float:
        """Seconds of the running hold without data so far (0 when not holding)."""
        start = self.hold_start_s
        return 0.0 if start is None or self._last_t_s is None else self._unobserved_s(start, self._last_t_s)

    @property
    def in_stable_run(self) -> bool:
        """STEADY or HOLDING: a stable run is going on in a squat."""
        return self.phase is Phase.HOLDING or self.phase is Phase.STEADY

    @property
    def holds(self) -> tuple[HoldMetrics, ...]:
        """The finished holds of the squat in progress (those of completed squats are in ``squats``)."""
        return () if self._squat is None else tuple(self._squat.holds)

    # -- the transition function ----------------------------------------------------------------------------------
    def step(self, f: Features) -> list[Event]:
        """Advance by one sample; returns the events that became known at ``f.t_s`` (usually none)."""
        p = self.params
        t_s, inclination, velocity = f.t_s, f.inclination_deg, f.velocity_m_s
        self._times.add(t_s, f.tilt_deg, f.obliquity_deg, velocity)
        last_t_s = self._last_t_s
        self._last_t_s = t_s
        phase = self.phase
        if phase is _STANDING:
            return self._standing(f, 0.0 if last_t_s is None else t_s - last_t_s)
        squat = self._squat
        assert squat is not None
        drop = f.drop_m
        self._track_depth(squat, inclination, drop, f.lowest_m, f.drop_settled)
        if inclination < p.exit_inclination_deg and (self._risen(squat, drop) or self._unseen_rise()):
            return self._settling(squat, f)
        if phase is _SETTLING:  # left the standing band again
            squat.settle_since_s = squat.quiet_since_s = None
            self.phase = _MOVING
        stable = f.speed_dps < p.stable_speed_dps and (velocity is None or abs(velocity) < p.stable_velocity_m_s)
        if self._blind_run:
            stable = self._stable_unseen(f, stable)
        if phase is _HOLDING:
            return self._holding(f, stable)
        return self._squatting(squat, f, stable)

    # -- a running hold, many samples at once (batch) -----------------------------------------------------------
    def stable_span(self, t_s: np.ndarray, stable: np.ndarray, in_band: np.ndarray, drop_m: float | None) -> int:
        """How many of these next samples (times ``t_s``) keep a stable run going with no event and no change of
        phase: each stable (``stable``: tilt speed below ``stable_speed_dps``, the pelvis not moving vertically),
        not back in the standing band (``in_band``: lean below ``exit_inclination_deg``; the band counts only if
        ``drop_m``, the drop all through them, has risen), and, before a hold, not yet ``min_hold_s`` long."""
        run, squat = self._run, self._squat
        if not self.in_stable_run or len(stable) == 0:
            return 0
        assert run is not None and squat is not None
        ends = ~stable
        if self._risen(squat, drop_m) or self._unseen_rise():
            ends |= in_band
        if self.phase is Phase.STEADY:
            ends |= ~(t_s - run.start_s < self.params.min_hold_s)
        first = int(np.argmax(ends))
        return first if ends[first] else len(ends)

    def absorb_stable(
        self,
        t_s: np.ndarray,
        inclination_deg: np.ndarray,
        tilt_deg: np.ndarray,
        obliquity_deg: np.ndarray,
        vertical: _Vertical,
    ) -> None:
        """``step`` over samples that ``stable_span`` found, the vertical at rest all through them (velocity 0,
        drop and lowest point constant, settled): the same state afterwards, at once."""
        squat, run = self._squat, self._run
        assert squat is not None and run is not None and len(t_s) > 0
        self._times.extend(t_s, tilt_deg, obliquity_deg, 0.0)
        self._last_t_s = float(t_s[-1])
        drop = vertical.drop_m
        self._track_depth(squat, float(inclination_deg.max()), drop, vertical.lowest_m, True)
        run.keep_many(self._last_t_s, tilt_deg, obliquity_deg, drop)
        self._blind_run = False  # the vertical is settled: its velocity is known again (``_stable_unseen``)

    # -- a squat under way while the pelvis moves vertically, many samples at once (batch) ---------------------------
    def moving_span(
        self,
        t_s: np.ndarray,
        inclination_deg: np.ndarray,
        speed_dps: np.ndarray,
        velocity_m_s: list[float],
        drop_m: list[float],
    ) -> int:
        """How many of these next samples leave the detector in its phase with no event, the vertical tracker moving
        (``velocity_m_s`` and ``drop_m`` its live values, not settled; ``speed_dps`` the tilt speed). STANDING: no
        squat entry (lean or, once re-armed, drop) and no exit due to be reported. In a squat (``_moving_span``):
        not back in, or out of, the standing band, and nothing to decide in the phase."""
        if len(t_s) == 0:
            return 0
        p = self.params
        if self.phase is Phase.STANDING:
            drop = np.asarray(drop_m)
            armed = self._drop_entry_armed | np.logical_or.accumulate(drop > -p.rearm_drop_m)
            ends = (inclination_deg >= p.entry_inclination_deg) | (armed & (drop <= -p.entry_drop_m))
            pending = self._pending_exit
            if pending is not None:
                ends |= t_s - pending.decided_s >= p.exit_report_delay_s
        else:
            ends = self._moving_span(t_s, inclination_deg, speed_dps, velocity_m_s, drop_m)
            if ends is None:
                return 0
        first = int(np.argmax(ends))
        return first if ends[first] else len(ends)

    def _moving_span(
        self,
        t_s: np.ndarray,
        inclination_deg: np.ndarray,
        speed_dps: np.ndarray,
        velocity_m_s: list[float],
        drop_m: list[float],
    ) -> np.ndarray | None:
        """``moving_span`` in a squat: where each sample would end what the detector does (None: not here). The
        standing band is reached (lean below ``exit_inclination_deg`` and risen, judged as ``step`` does with the
        lowest drop so far), or left in SETTLING. MOVING: a sample stable (tilt speed below ``stable_speed_dps`` and
        vertical velocity below ``stable_velocity_m_s``); STEADY and HOLDING: a wobble longer than ``grace_s``, and
        STEADY: a stable sample ``min_hold_s`` into the run (a hold may start); SETTLING: the exit or the depth may
        be decided (a confirmed squat quiet or ``settle_timeout_s`` in the band; a candidate ``depth_wait_s`` in it)."""
        squat, run, phase = self._squat, self._run, self.phase
        if squat is None or self._blind_run or (run is None) != (phase is Phase.MOVING or phase is Phase.SETTLING):
            return None
        p = self.params
        in_band = inclination_deg < p.exit_inclination_deg
        if not self._unseen_rise() and bool(in_band.any()):  # and risen
            drop = np.asarray(drop_m)
            lowest = np.minimum.accumulate(drop)
            if squat.min_drop_m is not None:
                lowest = np.minimum(lowest, squat.min_drop_m)
            in_band &= (drop > -p.exit_drop_m) | (drop - lowest >= p.exit_recovered_fraction * -lowest)
        if phase is Phase.SETTLING:
            since_s = squat.settle_since_s
            if since_s is None or (squat.confirmed and squat.quiet_since_s is not None):
                return None
            if squat.confirmed:
                return ~in_band | (speed_dps < p.quiet_speed_dps) | ~(t_s - since_s < p.settle_timeout_s)
            return ~in_band | ~(t_s - since_s < p.depth_wait_s)
        stable = (speed_dps < p.stable_speed_dps) & (np.abs(velocity_m_s) < p.stable_velocity_m_s)
        if run is None:
            return in_band | stable
        ends = in_band
        if not bool(stable.all()):  # a wobble: how long since the last stable sample before each
            last_stable = np.maximum.accumulate(np.concatenate(([run.last_stable_s], np.where(stable, t_s, -np.inf))))
            ends |= ~stable & (t_s - last_stable[:-1] > p.grace_s)
        if phase is Phase.STEADY:
            ends |= stable & ~(t_s - run.start_s < p.min_hold_s)
        return ends

    def absorb_moving(
        self,
        t_s: np.ndarray,
        inclination_deg: np.ndarray,
        tilt_deg: np.ndarray,
        obliquity_deg: np.ndarray,
        speed_dps: list[float],
        velocity_m_s: list[float],
        drop_m: list[float],
        lowest_m: float,
    ) -> None:
        """``step`` over samples that ``moving_span`` found (``lowest_m``: the vertical tracker's lowest point, the
        same all through them): the same state afterwards, at once."""
        assert len(t_s) > 0
        p = self.params
        self._times.extend(t_s, tilt_deg, obliquity_deg, velocity_m_s)
        if self.phase is Phase.STANDING:
            self._follow_standing(t_s, inclination_deg, speed_dps, drop_m)
            if max(drop_m) > -p.rearm_drop_m:
                self._drop_entry_armed = True
            return
        squat, run = self._squat, self._run
        assert squat is not None
        self._last_t_s = float(t_s[-1])
        self._track_depth(squat, float(inclination_deg.max()), min(drop_m), lowest_m, False)
        if self.phase is Phase.SETTLING:
            if squat.quiet_since_s is None:  # (a candidate waiting for its depth: the first quiet sample)
                quiet = np.flatnonzero(np.asarray(speed_dps) < p.quiet_speed_dps)
                squat.quiet_since_s = float(t_s[quiet[0]]) if quiet.size else None
            return
        if run is None:  # MOVING
            self.state = self._moving_state(velocity_m_s[-1])
            return
        stable = (np.asarray(speed_dps) < p.stable_speed_dps) & (np.abs(velocity_m_s) < p.stable_velocity_m_s)
        run.keep_each(t_s.tolist(), stable.tolist(), tilt_deg.tolist(), obliquity_deg.tolist(), drop_m)

    def standing_span(self, inclination_deg: np.ndarray, drop_m: float | None) -> int:
        """How many of these next samples leave the detector standing with no event: no exit waiting to be
        reported, the pelvis at standing height all through them (``drop_m`` 0) and no lean of a squat entry."""
        if (
            self.phase is not Phase.STANDING
            or self._pending_exit is not None
            or self._onset_t_s is None
            or drop_m != 0.0
            or len(inclination_deg) == 0
        ):
            return 0
        entering = inclination_deg >= self.params.entry_inclination_deg
        first = int(np.argmax(entering))
        return first if entering[first] else len(entering)

    def absorb_standing(
        self,
        t_s: np.ndarray,
        inclination_deg: np.ndarray,
        tilt_deg: np.ndarray,
        obliquity_deg: np.ndarray,
        speed_dps: list[float],
    ) -> None:
        """``step`` over samples that ``standing_span`` found, the vertical at rest all through them (velocity and
        drop 0): the standing baselines and the onset follow them one by one, as ``_standing`` does."""
        assert len(t_s) > 0
        self._times.extend(t_s, tilt_deg, obliquity_deg, 0.0)
        self._follow_standing(t_s, inclination_deg, speed_dps, repeat(0.0))
        self._drop_entry_armed = True  # the drop, 0, is within rearm_drop_m of standing
        self._since_gap = False  # the vertical is settled (as ``_standing`` with ``drop_settled``)

    def _follow_standing(
        self, t_s: np.ndarray, inclination_deg: np.ndarray, speed_dps: list[float], drop_m: Iterable[float]
    ) -> None:
        """The standing baselines and the onset of a descent over samples taken at once, one by one as ``_standing``
        follows them (``drop_m`` may be endless: ``repeat(0.0)``)."""
        p = self.params
        last_t_s, onset_t_s = self._last_t_s, self._onset_t_s
        baseline_incl, baseline_drop = self._baseline_incl_deg, self._baseline_drop_m
        lookback, margin = p.onset_lookback_deg, p.onset_drop_margin_m
        quiet, band = p.quiet_speed_dps, p.exit_inclination_deg
        factors = self._baseline_factors
        for t, inclination, speed, drop in zip(t_s.tolist(), inclination_deg.tolist(), speed_dps, drop_m, strict=False):
            dt = 0.0 if last_t_s is None else t - last_t_s
            last_t_s = t
            if (inclination <= baseline_incl + lookback and drop > baseline_drop - margin) or onset_t_s is None:
                onset_t_s = t
            if speed < quiet and inclination < band:
                a = factors.get(dt)
                if a is None:
                    a = self._baseline_factor(dt)
                baseline_incl += a * (inclination - baseline_incl)
                baseline_drop += a * (drop - baseline_drop)
        self._last_t_s, self._onset_t_s = last_t_s, onset_t_s
        self._baseline_incl_deg, self._baseline_drop_m = baseline_incl, baseline_drop

    def _baseline_factor(self, dt: float) -> float:
        """How far the standing baselines follow a quiet sample ``dt`` after the last (computed once per interval)."""
        a = self._baseline_factors.get(dt)
        if a is None:
            a = self._baseline_factors[dt] = (
                1.0 - math.exp(-dt / self.params.standing_baseline_tau_s) if dt > 0 else 1.0
            )
        return a

    # -- STANDING -------------------------------------------------------------------------------------------------
    def _standing(self, f: Features, dt: float) -> list[Event]:
        p = self.params
        t_s, inclination, drop = f.t_s, f.inclination_deg, f.drop_m
        pending = self._pending_exit
        due = pending is not None and t_s - pending.decided_s >= p.exit_report_delay_s
        events = self._report_exit(t_s) if due else []
        near_standing = inclination <= self._baseline_incl_deg + p.onset_lookback_deg and (
            drop is None or drop > self._baseline_drop_m - p.onset_drop_margin_m
        )
        if near_standing or self._onset_t_s is None:
            self._onset_t_s = t_s
        if f.speed_dps < p.quiet_speed_dps and inclination < p.exit_inclination_deg:
            a = self._baseline_factors.get(dt)
            if a is None:
                a = self._baseline_factor(dt)
            self._baseline_incl_deg += a * (inclination - self._baseline_incl_deg)
            if drop is not None:
                self._baseline_drop_m += a * (drop - self._baseline_drop_m)
        if drop is None or drop > -p.rearm_drop_m:
            self._drop_entry_armed = True
        if f.drop_settled:
            self._since_gap = False
        # After an exit the drop estimate may not be back at zero yet: a drop entry waits until it has been.
        dropped = self._drop_entry_armed and drop is not None and drop <= -p.entry_drop_m
        if inclination >= p.entry_inclination_deg or dropped:
            if self._pending_exit is not None:
                events += self._report_exit(t_s)
            assert self._onset_t_s is not None
            entry_s = self._times.entry_s(self._onset_t_s, t_s, self._last_exit_s)
            # The tracker's lowest point dates from its last standing rest, which may predate this candidate
            # (stood up and went down again without resting): only a lower point is this candidate's own.
            floor = f.lowest_m if f.lowest_m is not None else 0.0
            self._squat = _Candidate(entry_s, lowest_floor_m=floor)
            self._run = None
            self.hold_start_s = None
            self.phase = Phase.MOVING
            self.state = MotionState.DESCENDING
        return events

    # -- in a squat -----------------------------------------------------------------------------------------------
    @staticmethod
    def _track_depth(
        squat: _Candidate, inclination_deg: float, drop_m: float | None, lowest_m: float | None, settled: bool
    ) -> None:
        if drop_m is not None:
            squat.min_drop_m = drop_m if squat.min_drop_m is None or drop_m < squat.min_drop_m else squat.min_drop_m
        if lowest_m is not None and lowest_m < squat.lowest_floor_m:
            squat.lowest_m = lowest_m if squat.lowest_m is None or lowest_m < squat.lowest_m else squat.lowest_m
        squat.drop_settled = settled
        if inclination_deg > squat.max_inclination_deg:
            squat.max_inclination_deg = inclination_deg

    def _risen(self, squat: _Candidate, drop_m: float | None) -> bool:
        """Is the pelvis back up: near standing height, or risen most of the way from its lowest point?"""
        if drop_m is None or drop_m > -self.params.exit_drop_m:
            return True
        lowest = squat.min_drop_m
        return lowest is not None and drop_m - lowest >= self.params.exit_recovered_fraction * -lowest

    def _stable_unseen(self, f: Features, stable: bool) -> bool:
        """Stability while the vertical velocity is not known after a gap: also at the run's posture (within
        ``gap_posture_deg`` of its mean), so that rising out of a hold is not taken for more hold."""
        run = self._run
        if f.drop_settled or run is None:
            self._blind_run = False
            return stable
        stats = run.stats
        off = math.hypot(f.tilt_deg - stats.tilt_mean_deg, f.obliquity_deg - stats.obliquity_mean_deg)
        return stable and off <= self.params.gap_posture_deg

    def _unseen_rise(self) -> bool:
        """After a gap that no hold survived and the vertical tracker could not bridge (``drop_unseen``), the drop
        does not say whether the pelvis rose: until the next standing rest, the posture in the standing band does
        (as without acceleration)."""
        return self._since_gap

    def _deep_enough(self, squat: _Candidate) -> bool:
        """Has this candidate moved like a squat: leaned, and (when known) dropped the pelvis far enough?"""
        p = self.params
        lean = squat.max_inclination_deg
        hinge_m = 2.0 * p.hinge_radius_m * math.sin(math.radians(min(lean, 180.0)) / 2.0)
        if squat.lowest_m is None:
            dropped = squat.min_drop_m is None  # with acceleration, a candidate needs a measured depth of its own
        else:
            dropped = -p.max_drop_m <= squat.lowest_m <= -max(p.squat_drop_m, hinge_m)
        return dropped and lean >= p.squat_inclination_deg

    def _squatting(self, squat: _Candidate, f: Features, stable: bool) -> list[Event]:
        """MOVING or STEADY: a stable run starts, goes on through short wobbles, and becomes a hold."""
        p = self.params
        t_s = f.t_s
        run = self._run
        if not stable:
            if run is not None and t_s - run.last_stable_s <= p.grace_s:
                run.tentative.add(f.tilt_deg, f.obliquity_deg, f.drop_m)  # a wobble early in a candidate hold
                return []
            self._run = None
            self.phase = _MOVING
            self.state = self._moving_state(f.velocity_m_s)
            return []
        if run is None:
            run = self._run = _Run(t_s, t_s)
            self.phase = _STEADY
        run.keep(t_s, f.tilt_deg, f.obliquity_deg, f.drop_m)
        if t_s - run.start_s < p.min_hold_s or not self._deep_enough(squat):
            return []
        if run.dated_start_s is None:  # dated once: it does not change as the run goes on
            run.dated_start_s = self._times.hold_start_s(run.start_s, t_s, self._last_event_s(squat))
        start_s = run.dated_start_s
        if t_s - start_s < p.min_hold_s:
            return []  # dated from the end of the movement before it, the run is not min_hold_s long yet
        events: list[Event] = []
        if not squat.confirmed:
            events.append(self._confirm(squat, t_s))
        self.phase = Phase.HOLDING
        self.state = MotionState.HOLDING
        self.hold_start_s = start_s
        events.append(Event(EventKind.HOLD_START, start_s, t_s))
        return events

    def _holding(self, f: Features, stable: bool) -> list[Event]:
        """HOLDING: the hold goes on through wobbles up to ``grace_s``; a longer one ends it."""
        run = self._run
        assert run is not None
        if stable:
            run.keep(f.t_s, f.tilt_deg, f.obliquity_deg, f.drop_m)
            return []
        run.tentative.add(f.tilt_deg, f.obliquity_deg, f.drop_m)
        if f.t_s - run.last_stable_s <= self.params.grace_s:
            return []
        event = self._end_hold(f.t_s)
        self.phase = _MOVING
        self.state = self._moving_state(f.velocity_m_s)
        return [event]

    def _settling(self, squat: _Candidate, f: Features) -> list[Event]:
        """Back in the standing band: end a running hold, then exit once the body has settled."""
        p = self.params
        t_s = f.t_s
        events: list[Event] = []
        if self.phase is _HOLDING:
            events.append(self._end_hold(t_s))
            self.state = _ASCENDING
        self._run = None
        self.phase = _SETTLING
        if squat.settle_since_s is None:
            squat.settle_since_s = t_s
        if squat.quiet_since_s is None and f.speed_dps < p.quiet_speed_dps:
            squat.quiet_since_s = t_s
        if not squat.confirmed:
            waited = t_s - squat.settle_since_s >= p.depth_wait_s
            if not (squat.drop_settled or waited):
                return events  # the vertical estimate of this movement is not final yet
            if not self._deep_enough(squat):
                self._abandon()
                return events
        if squat.quiet_since_s is not None:
            settled_at_s = squat.quiet_since_s
        elif t_s - squat.settle_since_s >= p.settle_timeout_s:
            settled_at_s = squat.settle_since_s
        else:
            return events
        if not squat.confirmed:
            events.append(self._confirm(squat, t_s))
        # Decide the exit now; report it once its end can be seen (exit_report_delay_s) or a squat starts.
        earliest_s = self._last_event_s(squat)
        self._pending_exit = _PendingExit(self._close_squat(squat, settled_at_s), t_s, earliest_s)
        return events

    # -- gaps in the data -----------------------------------------------------------------------------------------
    def gap(
        self, before_s: float, after_s: float, inclination_deg: float, tilt_deg: float, obliquity_deg: float
    ) -> GapOutcome:
        """No data between the samples at ``before_s`` (stepped) and ``after_s`` (its angles given, stepped next):
        the events the gap ends, and what the vertical tracker may assume after it (the drop is not observed
        across a gap: only the posture after it says where the body is)."""
        p = self.params
        self._gaps.append((before_s, after_s))
        phase = self.phase
        run = self._run
        if run is not None and phase in (Phase.HOLDING, Phase.STEADY):
            stats = run.stats  # the stable posture: a gap in a wobble compares with the hold, not the wobble
            off = math.hypot(tilt_deg - stats.tilt_mean_deg, obliquity_deg - stats.obliquity_mean_deg)
            if after_s - before_s <= p.gap_hold_max_s and off <= p.gap_posture_deg:
                # the hold (or the stable run becoming one) goes on; the gap is unobserved time, and a wobble
                # under way counts its observed seconds only
                run.last_stable_s += after_s - before_s
                self._blind_run = True
                return GapOutcome([], standing=False, kept=True)
        events = [self._end_hold(after_s, moved=False)] if phase is Phase.HOLDING else []
        if phase in (Phase.HOLDING, Phase.STEADY):
            self._run = None
            self.phase = Phase.MOVING
            self.state = self._moving_state(None)
        self._onset_t_s = None  # a descent is dated from after the gap
        return GapOutcome(events, standing=inclination_deg < p.exit_inclination_deg, kept=False)

    def drop_unseen(self) -> None:
        """The vertical tracker could not bridge the last gap (no hold survived it): until the next standing rest,
        the posture says whether the pelvis rose."""
        self._since_gap = True

    def _unobserved_s(self, start_s: float, end_s: float) -> float:
        """Seconds of [start_s, end_s] inside gaps."""
        return sum(max(0.0, min(end_s, after) - max(start_s, before)) for before, after in self._gaps)

    # -- events ---------------------------------------------------------------------------------------------------
    def _moving_state(self, velocity_m_s: float | None) -> MotionState:
        rising = velocity_m_s is not None and velocity_m_s > self.params.ascending_velocity_m_s
        return _ASCENDING if rising else _DESCENDING

    @staticmethod
    def _last_event_s(squat: _Candidate) -> float:
        return squat.holds[-1].end_s if squat.holds else squat.entry_s

    @staticmethod
    def _confirm(squat: _Candidate, t_s: float) -> Event:
        squat.confirmed = True
        return Event(EventKind.SQUAT_ENTRY, squat.entry_s, t_s)

    def _end_hold(self, t_s: float, moved: bool = True) -> Event:
        """End the running hold; ``moved``: a movement ended it (dated from the history), not the recording's end."""
        run, squat = self._run, self._squat
        assert run is not None and squat is not None
        start = self.hold_start_s if self.hold_start_s is not None else run.last_stable_s
        end = self._times.hold_end_s(run.last_stable_s, t_s, start) if moved else run.last_stable_s
        s = run.stats
        self.last_hold = hold = HoldMetrics(
            start_s=start,
            end_s=end,
            tilt_mean_deg=s.tilt_mean_deg,
            tilt_sd_deg=s.tilt_sd_deg,
            sway_rms_deg=s.sway_rms_deg,
            obliquity_mean_deg=s.obliquity_mean_deg,
            depth_m=s.depth_m,
            unobserved_s=self._unobserved_s(start, end) if self._gaps else 0.0,
        )
        squat.holds.append(hold)
        self._run = None
        self.hold_start_s = None
        return Event(EventKind.HOLD_END, end, t_s)

    def _close_squat(self, squat: _Candidate, exit_t_s: float) -> Squat:
        """The squat in progress, ended at ``exit_t_s``; the detector is standing again."""
        self._drop_entry_armed = False
        depth = squat.lowest_m if squat.lowest_m is not None else squat.min_drop_m  # corrected when known
        closed = Squat(squat.entry_s, exit_t_s, depth, tuple(squat.holds))
        self._abandon()
        return closed

    def _report_exit(self, t_s: float) -> list[Event]:
        pending = self._pending_exit
        assert pending is not None
        self._pending_exit = None
        exit_s = self._times.exit_s(pending.squat.exit_s, t_s, pending.earliest_s)
        self.squats.append(replace(pending.squat, exit_s=exit_s))
        self._last_exit_s = exit_s
        return [Event(EventKind.SQUAT_EXIT, exit_s, t_s)]

    def _abandon(self) -> None:
        self._gaps.clear()
        self._squat = None
        self._run = None
        self.hold_start_s = None
        self.phase = Phase.STANDING
        self.state = MotionState.STANDING
        self._onset_t_s = None

    def finish(self) -> list[Event]:
        """Close what is open at the end of a recording: a running hold ends, a confirmed squat exits."""
        if self._last_t_s is None:
            return []
        t_s = self._last_t_s
        events = self._report_exit(t_s) if self._pending_exit is not None else []
        squat = self._squat
        if squat is None:
            return events
        if self.phase is Phase.HOLDING:
            events.append(self._end_hold(t_s, moved=False))
        if not squat.confirmed and self._deep_enough(squat):
            events.append(self._confirm(squat, t_s))  # the recording ended before the exit settled
        if squat.confirmed:
            self.squats.append(self._close_squat(squat, t_s))
            events.append(Event(EventKind.SQUAT_EXIT, t_s, t_s))
        else:
            self._abandon()
        return events
