"""The live training screen: feeds the session from the source in a worker and shows it; keys act on it."""

from __future__ import annotations

import time
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container
from textual.screen import Screen
from textual.widgets import Footer, Static

from imuhold.model import MotionState
from imuhold.report import EVENT_WORDS
from imuhold.source import PacketSource
from imuhold.tui.feed import post_update, run_feed
from imuhold.tui.messages import CueDue, DetectorEvent, FrameReady, LinkChanged, SourceEnded, StateChanged
from imuhold.tui.screens.counterweight import CounterweightScreen
from imuhold.tui.session import LiveFrame, SessionUpdate, TrainingSession
from imuhold.tui.sound import CuePlayer
from imuhold.tui.widgets import HoldTimer, LinkBar, SessionStats, StateBanner, TiltGauge, TiltTrace
from imuhold.tui.widgets.timer import duration_text


class TrainingScreen(Screen[None]):
    """Big timer, state banner, numbers, gauge, trace and link bar for one session; hands-free once started."""

    CSS_PATH = "training.tcss"
    HORIZONTAL_BREAKPOINTS: ClassVar = [(0, "-narrow"), (120, "-wide")]
    BINDINGS: ClassVar = [
        Binding("r", "recalibrate", "Recalibrate"),
        Binding("p", "pause", "Pause"),
        Binding("w", "counterweight", "Weight"),
        Binding("m", "mark", "Mark"),
    ]

    def __init__(
        self, source: PacketSource, session: TrainingSession, cues: CuePlayer, stall_after_s: float | None = 3.0
    ) -> None:
        super().__init__()
        self.source = source
        self.session = session
        self.cues = cues
        self.stall_after_s = stall_after_s
        self.frame: LiveFrame = session.frame()
        self._last_frame_wall = time.monotonic()

    def compose(self) -> ComposeResult:
        yield StateBanner()
        with Container(id="middle"):
            yield HoldTimer()
            yield SessionStats()
            yield TiltGauge()
        yield TiltTrace()
        yield Static("waiting for the sensor…", id="events")
        yield LinkBar()
        yield Footer()

    def on_mount(self) -> None:
        # Looked up once: the screen shows five to ten frames a second and the tree never changes.
        self._banner = self.query_one(StateBanner)
        self._timer = self.query_one(HoldTimer)
        self._stats = self.query_one(SessionStats)
        self._gauge = self.query_one(TiltGauge)
        self._trace = self.query_one(TiltTrace)
        self._link = self.query_one(LinkBar)
        self._events = self.query_one("#events", Static)
        self._show(self.frame)
        self.run_worker(run_feed(self.source, self.session, self), name="feed", group="feed", exclusive=True)
        # One timer, not two: each turn of it wakes the process.
        self.set_interval(1.0 if self.stall_after_s is None else min(1.0, self.stall_after_s / 2), self._every_second)

    # -- messages from the feed ------------------------------------------------------------------------------
    def on_frame_ready(self, message: FrameReady) -> None:
        self._last_frame_wall = time.monotonic()
        self._show(message.frame)

    def on_state_changed(self, message: StateChanged) -> None:
        self._banner.state = message.state

    def on_detector_event(self, message: DetectorEvent) -> None:
        event = message.event
        back_dated = event.t_detected_s - event.t_s >= 0.05
        suffix = f", from {event.t_s:.1f} s" if back_dated else ""
        self._say(f"{event.t_detected_s:.1f} s  {EVENT_WORDS[event.kind]}{suffix}")

    def on_cue_due(self, message: CueDue) -> None:
        self.cues.play(message.cue)

    def on_link_changed(self, message: LinkChanged) -> None:
        self._last_frame_wall = time.monotonic()
        status = message.status
        line = f"connected to {status.sensor}" if status.connected else f"{status.sensor}: {status.note or 'lost'}"
        self._say(line)

    def on_source_ended(self, message: SourceEnded) -> None:
        frame = self.frame
        self._say(
            f"{message.reason}: {frame.holds} holds, {duration_text(frame.total_hold_s)} held, "
            f"best {duration_text(frame.best_hold_s)}  (q quits)"
        )

    # -- keys ----------------------------------------------------------------------------------------------
    def action_recalibrate(self) -> None:
        self._apply(self.session.recalibrate())
        self.notify("Recalibrating: stand still, upright.")

    def action_pause(self) -> None:
        self._apply(self.session.toggle_pause())

    def action_mark(self) -> None:
        t_s = self.session.mark()
        self.notify(f"Mark {len(self.session.marks)} at {t_s:.1f} s")
        self._apply(None)

    def action_counterweight(self) -> None:
        def chosen(result: tuple[float | None] | None) -> None:
            if result is not None:
                self.session.set_counterweight(result[0])
                self._apply(None)

        self.app.push_screen(CounterweightScreen(self.session.counterweight_kg), chosen)

    # -- attributes down -------------------------------------------------------------------------------------
    def _apply(self, update: SessionUpdate | None) -> None:
        if update is not None:
            post_update(self, update)
        self.post_message(FrameReady(self.session.frame()))

    def _show(self, frame: LiveFrame) -> None:
        self.frame = frame
        self._banner.state = frame.state
        self._banner.paused = frame.paused
        self._timer.show(frame)
        self._stats.show(frame)
        self._gauge.show(frame.tilt_deg, frame.obliquity_deg, frame.state is MotionState.HOLDING)
        self._trace.show(frame.trace, frame.t_s)
        self._link.show(frame, self._stalled_s())

    def _say(self, line: str) -> None:
        self._events.update(line, layout=False)

    def _stalled_s(self) -> float | None:
        frame = self.frame
        if self.stall_after_s is None or frame.link is None or not frame.link.connected or frame.ended:
            return None
        silent_s = time.monotonic() - self._last_frame_wall
        return silent_s if silent_s >= self.stall_after_s else None

    def _every_second(self) -> None:
        """The recorder commits even while no packets arrive; the link bar says when the sensor went silent."""
        self.session.tick()
        if self.stall_after_s is not None:
            self._link.show(self.frame, self._stalled_s())
