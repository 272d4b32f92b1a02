"""The streaming squat and hold detector: standing → descending → holding → ascending, one sample at a time.

Semantics (ARCHITECTURE §4): a squat is *entered* at motion onset (back-dated) and *exited* when the body
settles back in the standing band; with acceleration it must drop the pelvis at least ``squat_drop_m`` (a
stoop does not). A *hold* is a stable stretch of at least ``min_hold_s``; wobbles shorter than ``grace_s`` do
not split it. The entry of a squat is announced once the squat is certain (first hold, or the exit of a squat
without a hold). Every event is dated from the motion around it (``imuhold.detect.boundaries``): entry at the
descent's onset, a hold from the end of the movement before it to the onset of the one after, exit at the end
of the ascent, reported ``EXIT_REPORT_DELAY_S`` after it is decided so that the end can be seen.

Policy: a still, low pelvis is a squat hold whether or not something supports it. One pelvis IMU cannot tell a
chair sit from a deep squat: on SisFall the pelvic tilt at the bottom overlaps (squats D15: median 9°, quartiles
−3° to 28°; chair sits D07: median −2°, quartiles −6° to 9°) and so does sway. Users pause the session to rest.
"""

from __future__ import annotations

import math
from dataclasses import replace

from imuhold.detect.boundaries import EXIT_REPORT_DELAY_S, EventTimes
from imuhold.detect.metrics import PostureStats
from imuhold.detect.params import DetectorParams
from imuhold.model import Event, EventKind, HoldMetrics, MotionState, Squat

_BASELINE_TAU_S = 2.0


class HoldDetector:
    """Feed one sample of pelvic features at a time with :meth:`step`; read ``state``, ``squats``, ``holds``."""

    def __init__(self, params: DetectorParams | None = None) -> None:
        self.params = params or DetectorParams()
        self.state = MotionState.STANDING
        self.squats: list[Squat] = []
        self.hold_start_s: float | None = None
        """Start of the running hold, for live timers; None when not holding."""
        self._last_t_s: float | None = None
        self._baseline_incl_deg = 0.0
        self._baseline_drop_m = 0.0
        self._onset_t_s: float | None = None
        self._drop_entry_armed = True
        # Event times are refined from recent motion (imuhold.detect.boundaries); an exit waits to see its end.
        self._times = EventTimes(self.params)
        self._last_exit_s = -math.inf
        self._pending_exit: tuple[Squat, float, float] | None = None  # decided squat, decided at, earliest exit
        self._reset_squat()

    def _reset_squat(self) -> None:
        self._in_squat = False
        self._confirmed = False
        self._entry_t_s = 0.0
        self._min_drop_m: float | None = None
        self._max_inclination_deg = 0.0
        self._lowest_m: float | None = None
        self._lowest_floor_m = 0.0
        self._drop_settled = True
        self._holds: list[HoldMetrics] = []
        self._run_start_s: float | None = None
        self._dated_start: tuple[float, float] | None = None  # (causal start of a stable run, its dated start)
        self._run_stats = PostureStats()
        self._tentative = PostureStats()
        self._last_stable_s = 0.0
        self._settle_since_s: float | None = None
        self._quiet_since_s: float | None = None
        self.hold_start_s = None

    @property
    def in_squat(self) -> bool:
        return self._in_squat

    @property
    def holds(self) -> tuple[HoldMetrics, ...]:
        """The finished holds of the squat in progress (those of completed squats are in ``squats``)."""
        return tuple(self._holds)

    def step(
        self,
        t_s: float,
        inclination_deg: float,
        tilt_deg: float,
        obliquity_deg: float,
        speed_dps: float,
        drop_m: float | None,
        velocity_m_s: float | None,
        lowest_m: float | None = None,
        drop_settled: bool = True,
    ) -> list[Event]:
        """Advance by one sample; returns the events that became known at ``t_s`` (usually none).

        ``drop_m``/``velocity_m_s`` are the live vertical estimates (None without acceleration); ``lowest_m`` the
        lowest drift-corrected drop since standing and ``drop_settled`` whether the last movement's correction is
        done — a candidate's depth is judged on those, not on live values that overshoot.
        """
        p = self.params
        self._times.add(t_s, tilt_deg, obliquity_deg, velocity_m_s)

        dt = 0.0 if self._last_t_s is None else t_s - self._last_t_s
        self._last_t_s = t_s
        if not self._in_squat:
            events = self._step_standing(t_s, dt, inclination_deg, speed_dps, drop_m)
            if self._in_squat and lowest_m is not None:
                # The tracker's lowest point dates from its last standing rest, which may predate this candidate
                # (stood up and went down again without resting): only a lower point is this candidate's own.
                self._lowest_floor_m = lowest_m
            return events

        if drop_m is not None:
            self._min_drop_m = drop_m if self._min_drop_m is None else min(self._min_drop_m, drop_m)
        if lowest_m is not None and lowest_m < self._lowest_floor_m:
            self._lowest_m = lowest_m if self._lowest_m is None else min(self._lowest_m, lowest_m)
        self._drop_settled = drop_settled
        self._max_inclination_deg = max(self._max_inclination_deg, inclination_deg)
        if inclination_deg < p.exit_inclination_deg and self._risen(drop_m):
            return self._step_in_band(t_s, speed_dps)
        self._settle_since_s = self._quiet_since_s = None
        stable = speed_dps < p.stable_speed_dps and (velocity_m_s is None or abs(velocity_m_s) < p.stable_velocity_m_s)
        if self.state is MotionState.HOLDING:
            return self._step_holding(t_s, stable, tilt_deg, obliquity_deg, drop_m, velocity_m_s)
        return self._step_squatting(t_s, stable, tilt_deg, obliquity_deg, drop_m, velocity_m_s)

    def _step_standing(
        self, t_s: float, dt: float, inclination_deg: float, speed_dps: float, drop_m: float | None
    ) -> list[Event]:
        p = self.params
        pending = self._pending_exit
        events = self._report_exit(t_s) if pending is not None and t_s - pending[1] >= EXIT_REPORT_DELAY_S else []
        near_standing = inclination_deg <= self._baseline_incl_deg + p.onset_lookback_deg and (
            drop_m is None or drop_m > self._baseline_drop_m - 0.25 * p.entry_drop_m
        )
        if near_standing or self._onset_t_s is None:
            self._onset_t_s = t_s
        if speed_dps < p.quiet_speed_dps and inclination_deg < p.exit_inclination_deg:
            a = 1.0 - math.exp(-dt / _BASELINE_TAU_S) if dt > 0 else 1.0
            self._baseline_incl_deg += a * (inclination_deg - self._baseline_incl_deg)
            if drop_m is not None:
                self._baseline_drop_m += a * (drop_m - self._baseline_drop_m)
        if drop_m is None or drop_m > -0.5 * p.entry_drop_m:
            self._drop_entry_armed = True
        # After an exit the drop estimate may not be back at zero yet: a drop entry waits until it has been.
        dropped = self._drop_entry_armed and drop_m is not None and drop_m <= -p.entry_drop_m
        if inclination_deg >= p.entry_inclination_deg or dropped:
            if self._pending_exit is not None:
                events += self._report_exit(t_s)
            self._reset_squat()
            self._in_squat = True
            self._entry_t_s = self._times.entry_s(self._onset_t_s, t_s, self._last_exit_s)
            self.state = MotionState.DESCENDING
        return events

    def _risen(self, drop_m: float | None) -> bool:
        """Is the pelvis back up: near standing height, or risen most of the way from its lowest point?"""
        if drop_m is None or drop_m > -self.params.exit_drop_m:
            return True
        lowest = self._min_drop_m
        return lowest is not None and drop_m - lowest >= self.params.exit_recovered_fraction * -lowest

    def _deep_enough(self) -> bool:
        """Has this candidate moved like a squat: leaned, and (when known) dropped the pelvis far enough?"""
        p = self.params
        hinge_m = 2.0 * p.hinge_radius_m * math.sin(math.radians(min(self._max_inclination_deg, 180.0)) / 2.0)
        if self._lowest_m is None:
            dropped = self._min_drop_m is None  # with acceleration, a candidate needs a measured depth of its own
        else:
            dropped = -p.max_drop_m <= self._lowest_m <= -max(p.squat_drop_m, hinge_m)
        return dropped and self._max_inclination_deg >= p.squat_inclination_deg

    def _step_squatting(
        self,
        t_s: float,
        stable: bool,
        tilt_deg: float,
        obliquity_deg: float,
        drop_m: float | None,
        velocity_m_s: float | None,
    ) -> list[Event]:
        p = self.params
        if not stable:
            if self._run_start_s is not None and t_s - self._last_stable_s <= p.grace_s:
                self._tentative.add(tilt_deg, obliquity_deg, drop_m)  # a wobble early in a candidate hold
                return []
            self._run_start_s = None
            self.state = self._moving_state(velocity_m_s)
            return []
        if self._run_start_s is None:
            self._run_start_s = t_s
            self._run_stats = PostureStats()
            self._tentative = PostureStats()
        self._last_stable_s = t_s
        self._run_stats.merge(self._tentative)
        self._tentative = PostureStats()
        self._run_stats.add(tilt_deg, obliquity_deg, drop_m)
        if t_s - self._run_start_s < p.min_hold_s or not self._deep_enough():
            return []
        start_s = self._dated_run_start_s(t_s)
        if t_s - start_s < p.min_hold_s:
            return []  # dated from the end of the movement before it, the run is not min_hold_s long yet
        events: list[Event] = []
        if not self._confirmed:
            events.append(self._confirm(t_s))
        self.state = MotionState.HOLDING
        self.hold_start_s = start_s
        events.append(Event(EventKind.HOLD_START, start_s, t_s))
        return events

    def _dated_run_start_s(self, t_s: float) -> float:
        """Start of the running stable run dated from the history, once (it does not change as the run goes on)."""
        assert self._run_start_s is not None
        if self._dated_start is None or self._dated_start[0] != self._run_start_s:
            dated = self._times.hold_start_s(self._run_start_s, t_s, self._last_event_s())
            self._dated_start = (self._run_start_s, dated)
        return self._dated_start[1]

    def _last_event_s(self) -> float:
        return self._holds[-1].end_s if self._holds else self._entry_t_s

    def _confirm(self, t_s: float) -> Event:
        self._confirmed = True
        return Event(EventKind.SQUAT_ENTRY, self._entry_t_s, t_s)

    def _step_holding(
        self,
        t_s: float,
        stable: bool,
        tilt_deg: float,
        obliquity_deg: float,
        drop_m: float | None,
        velocity_m_s: float | None,
    ) -> list[Event]:
        if stable:
            self._last_stable_s = t_s
            self._run_stats.merge(self._tentative)
            self._tentative = PostureStats()
            self._run_stats.add(tilt_deg, obliquity_deg, drop_m)
            return []
        self._tentative.add(tilt_deg, obliquity_deg, drop_m)
        if t_s - self._last_stable_s <= self.params.grace_s:
            return []
        event = self._end_hold(t_s)
        self.state = self._moving_state(velocity_m_s)
        return [event]

    def _moving_state(self, velocity_m_s: float | None) -> MotionState:
        rising = velocity_m_s is not None and velocity_m_s > self.params.ascending_velocity_m_s
        return MotionState.ASCENDING if rising else MotionState.DESCENDING

    def _end_hold(self, t_s: float, moved: bool = True) -> Event:
        """End the running hold; ``moved``: a movement ended it (dated from the history), not the recording's end."""
        start = self.hold_start_s if self.hold_start_s is not None else self._last_stable_s
        end = self._times.hold_end_s(self._last_stable_s, t_s, start) if moved else self._last_stable_s
        s = self._run_stats
        self._holds.append(
            HoldMetrics(
                start_s=start,
                end_s=end,
                tilt_mean_deg=s.tilt_mean_deg,
                tilt_sd_deg=s.tilt_sd_deg,
                sway_rms_deg=s.sway_rms_deg,
                obliquity_mean_deg=s.obliquity_mean_deg,
                depth_m=s.depth_m,
            )
        )
        self._run_start_s = None
        self.hold_start_s = None
        return Event(EventKind.HOLD_END, end, t_s)

    def _step_in_band(self, t_s: float, speed_dps: float) -> list[Event]:
        """Back in the standing band: end a running hold, then exit once the body has settled."""
        events: list[Event] = []
        if self.state is MotionState.HOLDING:
            events.append(self._end_hold(t_s))
            self.state = MotionState.ASCENDING
        self._run_start_s = None
        if self._settle_since_s is None:
            self._settle_since_s = t_s
        if self._quiet_since_s is None and speed_dps < self.params.quiet_speed_dps:
            self._quiet_since_s = t_s
        if not self._confirmed:
            waited = t_s - self._settle_since_s >= 2.0 * self.params.settle_timeout_s
            if not (self._drop_settled or waited):
                return events  # the vertical estimate of this movement is not final yet
            if not self._deep_enough():
                self._abandon()
                return events
        if self._quiet_since_s is not None:
            settled_at_s = self._quiet_since_s
        elif t_s - self._settle_since_s >= self.params.settle_timeout_s:
            settled_at_s = self._settle_since_s
        else:
            return events
        if not self._confirmed:
            events.append(self._confirm(t_s))
        self._defer_exit(settled_at_s, t_s)
        return events

    def _close_squat(self, exit_t_s: float) -> Squat:
        """The squat in progress, ended at ``exit_t_s``; the detector is standing again."""
        self._drop_entry_armed = False
        depth = self._lowest_m if self._lowest_m is not None else self._min_drop_m  # corrected when known
        squat = Squat(self._entry_t_s, exit_t_s, depth, tuple(self._holds))
        self._abandon()
        return squat

    def _exit(self, exit_t_s: float, t_s: float) -> Event:
        self.squats.append(self._close_squat(exit_t_s))
        return Event(EventKind.SQUAT_EXIT, exit_t_s, t_s)

    def _defer_exit(self, exit_t_s: float, t_s: float) -> None:
        """Decide the exit now; report it once its end can be seen (``EXIT_REPORT_DELAY_S``) or a squat starts."""
        earliest_s = self._last_event_s()
        self._pending_exit = (self._close_squat(exit_t_s), t_s, earliest_s)

    def _report_exit(self, t_s: float) -> list[Event]:
        assert self._pending_exit is not None
        squat, _, earliest_s = self._pending_exit
        self._pending_exit = None
        exit_s = self._times.exit_s(squat.exit_s, t_s, earliest_s)
        self.squats.append(replace(squat, exit_s=exit_s))
        self._last_exit_s = exit_s
        return [Event(EventKind.SQUAT_EXIT, exit_s, t_s)]

    def _abandon(self) -> None:
        self._reset_squat()
        self.state = MotionState.STANDING
        self._onset_t_s = None

    def finish(self) -> list[Event]:
        """Close what is open at the end of a recording: a running hold ends, a confirmed squat exits."""
        if self._last_t_s is None:
            return []
        t_s = self._last_t_s
        events = self._report_exit(t_s) if self._pending_exit is not None else []
        if not self._in_squat:
            return events
        if self.state is MotionState.HOLDING:
            events.append(self._end_hold(t_s, moved=False))
        if not self._confirmed and self._deep_enough():
            events.append(self._confirm(t_s))  # the recording ended before the exit settled
        if self._confirmed:
            events.append(self._exit(t_s, t_s))
        else:
            self._abandon()
        return events
