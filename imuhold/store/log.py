"""Turn what the pipeline produces into store rows: every event, each squat as it exits, tilt every 0.1 s, and
link marks."""

from __future__ import annotations

import math
from typing import Any, Protocol

from imuhold.model import Event, Squat
from imuhold.store.rows import LinkMark, SessionBatch, TiltPoint

TILT_PERIOD_S = 0.1
"""The tilt series keeps one point per this much sample time (10 Hz)."""


class _Live(Protocol):
    t_s: float
    tilt_deg: float
    obliquity_deg: float
    state: Any


class PipelineView(Protocol):
    """What the log reads from ``imuhold.pipeline.Pipeline`` (duck-typed, so the store needs no numpy)."""

    live: _Live
    frame: Any
    samples: int
    squats: list[Squat]


def calibration_dict(frame: Any, t_s: float) -> dict[str, Any]:
    """A pelvis frame as JSON: the standing vertical and, once learned, the right axis (sensor frame)."""
    return {
        "t_s": round(t_s, 3),
        "up0": [round(v, 6) for v in frame.up0],
        "right": None if frame.right is None else [round(v, 6) for v in frame.right],
    }


class SessionLog:
    """Collects rows from ``(events, pipeline)`` after each packet or sample; ``take()`` hands over a batch."""

    def __init__(self, tilt_period_s: float = TILT_PERIOD_S) -> None:
        self.tilt_period_s = tilt_period_s
        self.pending = SessionBatch()
        self.squats_seen = 0
        self.t_s = 0.0
        """Sample time of the last sample seen."""
        self._next_tilt_t_s = -math.inf
        self._frame: Any = None

    def on_events(self, events: list[Event], pipeline: PipelineView) -> None:
        pending = self.pending
        if events:
            pending.events.extend(events)
        squats = pipeline.squats
        if len(squats) > self.squats_seen:
            pending.squats.extend(squats[self.squats_seen :])
            self.squats_seen = len(squats)
        if pipeline.samples == 0:
            return
        live = pipeline.live
        t_s = live.t_s
        if t_s >= self._next_tilt_t_s - 1e-6:
            pending.tilt.append(
                TiltPoint(t_s, _finite(live.tilt_deg), _finite(live.obliquity_deg), str(live.state.value))
            )
            step = self.tilt_period_s
            self._next_tilt_t_s = t_s + step if t_s > self._next_tilt_t_s + step else self._next_tilt_t_s + step
        frame = pipeline.frame
        if frame is not self._frame:
            self._frame = frame
            if frame is not None:
                pending.calibration = calibration_dict(frame, t_s)
        pending.duration_s = self.t_s = t_s
        pending.samples = pipeline.samples

    def on_mark(self, mark: LinkMark) -> None:
        self.pending.marks.append(mark)

    def set_counterweight(self, kg: float | None) -> None:
        self.pending.counterweight_kg = kg
        self.pending.counterweight_changed = True

    def take(self) -> SessionBatch:
        """The rows gathered since the last ``take``; the log starts a new batch."""
        batch, self.pending = self.pending, SessionBatch()
        return batch

    def put_back(self, batch: SessionBatch) -> None:
        """A batch that could not be written goes back before the rows gathered since, for the next ``take``."""
        pending = self.pending
        pending.events[:0] = batch.events
        pending.squats[:0] = batch.squats
        pending.tilt[:0] = batch.tilt
        if pending.duration_s is None:
            pending.duration_s, pending.samples = batch.duration_s, batch.samples
        if pending.calibration is None:
            pending.calibration = batch.calibration
        if not pending.counterweight_changed and batch.counterweight_changed:
            pending.counterweight_kg, pending.counterweight_changed = batch.counterweight_kg, True


def _finite(value: float) -> float | None:
    return None if math.isnan(value) else value
