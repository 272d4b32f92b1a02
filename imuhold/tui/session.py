"""One training session as the screen sees it: the pipeline fed sample by sample, holds, cues, trace and link."""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from imuhold.loop import PacketLoop
from imuhold.model import Event, EventKind, MotionState, Packet
from imuhold.pipeline import Output, Pipeline
from imuhold.source import LinkStatus
from imuhold.tui.cues import Cue, CuePlanner

if TYPE_CHECKING:
    from imuhold.store import SessionRecorder

TRACE_S = 30.0
"""How much tilt history the trace shows."""
TRACE_PERIOD_S = 0.1
"""Tilt is kept for the trace every this many seconds of sample time (bounded: 300 points)."""
RATE_WINDOW_S = 2.0


@dataclass(frozen=True, slots=True)
class LiveFrame:
    """Everything the training screen shows, at one sample time. Angles in degrees, NaN before calibration."""

    t_s: float
    state: MotionState
    tilt_deg: float
    obliquity_deg: float
    hold_s: float | None
    """The running hold, back-dated to where it began; None when not holding."""
    last_hold_s: float | None
    holds: int
    best_hold_s: float
    total_hold_s: float
    """Completed holds plus the running one."""
    target_hold_s: float
    trace: tuple[tuple[float, float], ...]
    """(t_s, tilt_deg) over the last ``TRACE_S`` seconds."""
    rate_hz: float | None
    loss_fraction: float
    link: LinkStatus | None
    paused: bool
    ended: bool
    counterweight_kg: float | None
    marks: int
    hold_unobserved_s: float = 0.0
    """Seconds without data in the running hold, or else in the last one (gaps it was kept across)."""


@dataclass(slots=True)
class SessionUpdate:
    """What one packet (or one user action) changed: events, every state change in order, cues due."""

    events: list[Event] = field(default_factory=list)
    states: list[tuple[float, MotionState]] = field(default_factory=list)
    cues: list[Cue] = field(default_factory=list)


class TrainingSession:
    """Feeds the pipeline and keeps what the screen needs; knows nothing of Textual or the wall clock.

    With a ``recorder`` (imuhold.store.SessionRecorder) the session is stored as it goes: every raw packet (paused
    or not: the recording is the source of truth), every event, link changes and the decoder's gaps (marks, as the
    headless loop stores them), the counterweight; ``tick`` once a second and ``close`` at the end.
    """

    def __init__(
        self,
        pipeline: Pipeline,
        target_hold_s: float = 30.0,
        cue_every_s: float = 10.0,
        recorder: SessionRecorder | None = None,
    ) -> None:
        self.loop = PacketLoop(pipeline, recorder, mark_gaps=True)
        self.pipeline = pipeline
        self.recorder = recorder
        self.target_hold_s = target_hold_s
        self.counterweight_kg: float | None = None
        self.marks: list[float] = []
        self.hold_durations_s: list[float] = []
        self.paused = False
        self.ended = False
        self.link: LinkStatus | None = None
        self.packets_while_paused = 0
        self._planner = CuePlanner(target_hold_s, cue_every_s)
        self._state = pipeline.live.state
        self._hold_start_s: float | None = None
        self._trace: deque[tuple[float, float]] = deque(maxlen=int(TRACE_S / TRACE_PERIOD_S) + 2)
        self._trace_t_s = -math.inf
        self._rate_mark: tuple[float, int] | None = None
        self._rate_hz: float | None = None

    # -- the stream --------------------------------------------------------------------------------------------
    def feed(self, packet: Packet) -> SessionUpdate:
        """Process one notification; while paused it is counted and dropped."""
        update = SessionUpdate()
        if self.paused:
            self.loop.record(packet)
            self.packets_while_paused += 1
            return update
        for output in self.loop.process(packet):
            self._after_sample(output, update)
        return update

    def on_link(self, status: LinkStatus) -> None:
        """The link changed: shown on screen, and marked in the stored session (lost, restored)."""
        self.link = status
        self.loop.link(status)

    def finish(self) -> SessionUpdate:
        """The stream ended: close what is open."""
        self.ended = True
        return self._absorb(self.loop.finish())

    # -- user actions ------------------------------------------------------------------------------------------
    def recalibrate(self) -> SessionUpdate:
        return self._absorb(self.loop.recalibrate())

    def toggle_pause(self) -> SessionUpdate:
        """Pause: a running hold ends now and packets are dropped until resumed. Resume: detection goes on."""
        self.paused = not self.paused
        return self._absorb(self.loop.finish()) if self.paused else SessionUpdate()

    def set_counterweight(self, kg: float | None) -> None:
        self.counterweight_kg = kg
        if self.recorder is not None:
            self.recorder.set_counterweight(kg)

    def tick(self) -> None:
        """Once a second of wall time: lets the recorder commit even while no packets arrive."""
        if self.recorder is not None:
            self.recorder.tick()

    def close(self) -> None:
        """The screen is going away: store how the session ended."""
        if self.recorder is not None and not self.recorder.closed:
            self.loop.close("completed" if self.ended else "stopped")

    def mark(self) -> float:
        """Remember this moment (sample time, s); returns it."""
        self.marks.append(self.pipeline.live.t_s)
        return self.marks[-1]

    # -- what the screen shows ---------------------------------------------------------------------------------
    @property
    def state(self) -> MotionState:
        return self._state

    @property
    def holding(self) -> bool:
        """Is a hold running (its timer counting)?"""
        return self._hold_start_s is not None

    def frame(self) -> LiveFrame:
        live = self.pipeline.live
        completed = self.hold_durations_s
        running = None if self._hold_start_s is None else max(0.0, live.t_s - self._hold_start_s)
        if running is not None:  # the caption's unobserved seconds: of the running hold, else of the last one
            unobserved = self.pipeline.hold_unobserved_s
        else:
            last = self.pipeline.last_hold
            unobserved = 0.0 if last is None else last.unobserved_s
        return LiveFrame(
            t_s=live.t_s,
            state=self._state,
            tilt_deg=live.tilt_deg,
            obliquity_deg=live.obliquity_deg,
            hold_s=running,
            last_hold_s=completed[-1] if completed else None,
            holds=len(completed) + (running is not None),
            best_hold_s=max([*completed, running or 0.0]),
            total_hold_s=sum(completed) + (running or 0.0),
            target_hold_s=self.target_hold_s,
            trace=tuple(self._trace),
            rate_hz=self._rate_hz,
            loss_fraction=self.pipeline.decode_stats.loss_fraction,
            link=self.link,
            paused=self.paused,
            ended=self.ended,
            counterweight_kg=self.counterweight_kg,
            marks=len(self.marks),
            hold_unobserved_s=unobserved,
        )

    # -- internals ---------------------------------------------------------------------------------------------
    def _after_sample(self, output: Output, update: SessionUpdate) -> None:
        for event in output.events:
            self._absorb_event(event, update)
        t_s = output.t_s
        cue = self._planner.on_sample(t_s)
        if cue is not None:
            update.cues.append(cue)
        if output.state is not self._state:
            self._state = output.state
            update.states.append((t_s, output.state))
        if t_s - self._trace_t_s >= TRACE_PERIOD_S - 1e-6 and not math.isnan(output.tilt_deg):
            # on a grid of TRACE_PERIOD_S, so that a sensor whose samples come a little early or late (clock error,
            # jitter) is not thinned out; after a gap the grid starts again from this sample
            on_grid = t_s - self._trace_t_s < 2.0 * TRACE_PERIOD_S
            self._trace_t_s = self._trace_t_s + TRACE_PERIOD_S if on_grid else t_s
            trace = self._trace
            trace.append((t_s, output.tilt_deg))
            while trace[0][0] < t_s - TRACE_S:
                trace.popleft()
        mark = self._rate_mark
        if mark is None or t_s < mark[0]:
            self._rate_mark = (t_s, self.pipeline.samples)
        elif t_s - mark[0] >= RATE_WINDOW_S:
            self._rate_hz = (self.pipeline.samples - mark[1]) / (t_s - mark[0])
            self._rate_mark = (t_s, self.pipeline.samples)

    def _absorb(self, events: list[Event]) -> SessionUpdate:
        """A session update for ``events`` (stored already) and the state they left."""
        update = SessionUpdate()
        for event in events:
            self._absorb_event(event, update)
        state = self.pipeline.live.state
        if state is not self._state:
            self._state = state
            update.states.append((self.pipeline.live.t_s, state))
        return update

    def _absorb_event(self, event: Event, update: SessionUpdate) -> None:
        update.events.append(event)
        if event.kind is EventKind.HOLD_START:
            self._hold_start_s = event.t_s
        elif event.kind is EventKind.HOLD_END and self._hold_start_s is not None:
            self.hold_durations_s.append(event.t_s - self._hold_start_s)
            self._hold_start_s = None
        cue = self._planner.on_event(event)
        if cue is not None:
            update.cues.append(cue)
