"""When to cue the trainee: ready, hold start, every N s of a hold, target reached, hold end (pure, no sound)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from imuhold.model import Event, EventKind


class CueKind(StrEnum):
    READY = "ready"
    HOLD_START = "hold_start"
    TICK = "tick"
    TARGET = "target"
    HOLD_END = "hold_end"


@dataclass(frozen=True, slots=True)
class Cue:
    """One cue: what, when (sample time, s) and the running hold time it refers to (s)."""

    kind: CueKind
    t_s: float
    hold_s: float

    @property
    def words(self) -> str:
        """What a voice says: short, so that it ends before the next cue."""
        seconds = math.floor(self.hold_s + 1e-6)
        if self.kind is CueKind.READY:
            return "ready"
        if self.kind is CueKind.HOLD_START:
            return "hold"
        if self.kind is CueKind.TICK:
            return str(seconds)
        if self.kind is CueKind.TARGET:
            return f"target, {seconds} seconds"
        return f"up, {seconds} seconds"


class CuePlanner:
    """Turns detector events and the running hold time into cues; at most one cue per sample."""

    def __init__(self, target_hold_s: float, every_s: float) -> None:
        self.target_hold_s = target_hold_s
        self.every_s = every_s
        self._start_s: float | None = None
        self._next_tick_s = every_s
        self._target_done = False

    def on_event(self, event: Event) -> Cue | None:
        if event.kind is EventKind.CALIBRATED:
            return Cue(CueKind.READY, event.t_detected_s, 0.0)
        if event.kind is EventKind.HOLD_START:
            self._start_s = event.t_s
            self._next_tick_s = self.every_s
            self._target_done = False
            return Cue(CueKind.HOLD_START, event.t_detected_s, event.t_detected_s - event.t_s)
        if event.kind is EventKind.HOLD_END and self._start_s is not None:
            duration_s = event.t_s - self._start_s
            self._start_s = None
            return Cue(CueKind.HOLD_END, event.t_detected_s, duration_s)
        return None

    def on_sample(self, t_s: float) -> Cue | None:
        """The tick or target cue due at ``t_s`` during a hold, if any (a crossed target wins over a tick)."""
        if self._start_s is None:
            return None
        hold_s = t_s - self._start_s
        if hold_s < self._next_tick_s and (self._target_done or hold_s < self.target_hold_s):
            return None
        if hold_s >= self._next_tick_s:  # skip ticks missed across a gap: say only the latest
            self._next_tick_s = (math.floor(hold_s / self.every_s + 1e-9) + 1) * self.every_s
        if not self._target_done and hold_s >= self.target_hold_s:
            self._target_done = True
            return Cue(CueKind.TARGET, t_s, hold_s)
        return Cue(CueKind.TICK, t_s, hold_s)
