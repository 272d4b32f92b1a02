"""The packet loop, written once: each packet recorded (file and store) before it is decoded, fed to the pipeline,
its events stored with the state after it; link changes and gaps marked.

Live (headless), demo, replay, the training screen and export all run packets through ``PacketLoop``; they differ
only in what they show. Pacing is ``imuhold.source.Pacer``'s.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Protocol

from imuhold.model import Event, MotionState, Packet
from imuhold.pipeline import Output, Pipeline
from imuhold.recording.format import Mark
from imuhold.recording.writer import RecordingWriter
from imuhold.source import LinkStatus


class Recorder(Protocol):
    """What the loop needs of a session recorder (``imuhold.store.SessionRecorder``)."""

    def on_packet(self, packet: Packet) -> None: ...
    def on_events(self, events: list[Event], pipeline: Pipeline) -> None: ...
    def on_link(self, connected: bool, note: str, t_host_ns: int, t_s: float) -> None: ...
    def on_mark(self, mark: Mark, t_s: float) -> None: ...
    def tick(self) -> None: ...
    def close(self, reason: str = "completed") -> None: ...


class PacketLoop:
    """One sensor stream through ``pipeline``: every packet into the ``writer`` (a ``--record`` file) and the
    ``recorder`` (the stored session), then decoded and processed; its events stored with the pipeline's state after
    it. A link change is marked in both (``link-lost``, ``link-restored``); with ``mark_gaps``, so is every packet
    after which the decoder found frames missing (``gap``).

    A writer that fails is closed and dropped, and ``on_writer_failed`` hears why (the session goes on); a recorder
    stopped by a full disk raises DiskFull from ``record``, and the caller ends the loop (``close`` still works).
    """

    def __init__(
        self,
        pipeline: Pipeline,
        recorder: Recorder | None = None,
        writer: RecordingWriter | None = None,
        *,
        mark_gaps: bool = False,
        on_writer_failed: Callable[[RecordingWriter, OSError], None] | None = None,
    ) -> None:
        self.pipeline = pipeline
        self.recorder = recorder
        self.writer = writer
        self.mark_gaps = mark_gaps
        self.on_writer_failed = on_writer_failed
        self.packets = 0
        self.first_ns: int | None = None
        self.last_ns: int | None = None
        """Host times of the first and the last packet recorded."""
        self.drops = 0
        self.gaps = 0
        self.connected: bool | None = None
        self.shown_state: MotionState | None = pipeline.live.state
        """The display state last returned by ``new_state`` (None: none yet, so the first is new)."""
        self._lost_seen = 0

    # -- one packet --------------------------------------------------------------------------------------------
    def record(self, packet: Packet) -> None:
        """Keep ``packet`` (file, then store) without processing it: what a paused session does."""
        self.packets += 1
        if self.first_ns is None:
            self.first_ns = packet.t_host_ns
        self.last_ns = packet.t_host_ns
        writer = self.writer
        if writer is not None:
            try:
                writer.write(packet)
            except OSError as exc:
                self._writer_failed(exc)
        if self.recorder is not None:
            self.recorder.on_packet(packet)

    def feed(self, packet: Packet) -> list[Event]:
        """Record ``packet``, process it and store its events; returns them."""
        self.record(packet)
        events = self.pipeline.feed(packet)
        self._after(packet, events)
        return events

    def process(self, packet: Packet) -> list[Output]:
        """Record ``packet``, process it and store its events; returns one output record per processed sample."""
        self.record(packet)
        outputs = self.pipeline.process(packet)
        self._after(packet, [event for output in outputs for event in output.events])
        return outputs

    def new_state(self) -> MotionState | None:
        """The pipeline's display state if it changed since this was last asked, else None."""
        state = self.pipeline.live.state
        if state is self.shown_state:
            return None
        self.shown_state = state
        return state

    def _after(self, packet: Packet, events: list[Event]) -> None:
        if self.recorder is not None:
            self.recorder.on_events(events, self.pipeline)
        lost_frames = self.pipeline.decode_stats.lost_frames
        if self.mark_gaps and lost_frames > self._lost_seen:
            self.gaps += 1
            self.mark(Mark(packet.t_host_ns, "gap", {"lost_frames": lost_frames - self._lost_seen}))
        self._lost_seen = lost_frames  # frames taken back as late, not lost, lower it

    # -- the link and the end ----------------------------------------------------------------------------------
    def link(self, status: LinkStatus) -> None:
        """The link changed: a drop (``link-lost``) or a reconnection (``link-restored``) is marked at the last
        packet's host time, and whatever the recorder holds is committed (no packets may come for a while)."""
        t_ns = self.last_ns or 0
        if self.connected and not status.connected:
            self.drops += 1
            self._write_mark(Mark(t_ns, "link-lost", {"note": status.note}))
        elif self.connected is False and status.connected:
            self._write_mark(Mark(t_ns, "link-restored", {"note": status.note}))
        self.connected = status.connected
        if self.recorder is not None:
            self.recorder.on_link(status.connected, status.note, t_ns, self.pipeline.live.t_s)
            self.recorder.tick()

    def mark(self, mark: Mark) -> None:
        """A mark into the file and the stored session (the recorder marks link changes itself, from ``link``)."""
        self._write_mark(mark)
        if self.recorder is not None:
            self.recorder.on_mark(mark, self.pipeline.live.t_s)

    def finish(self) -> list[Event]:
        """Close what the pipeline has open (the stream ended, or was paused), storing the events; returns them."""
        events = self.pipeline.finish()
        if self.recorder is not None:
            self.recorder.on_events(events, self.pipeline)
        return events

    def recalibrate(self) -> list[Event]:
        """The pipeline forgets its standing reference (``Pipeline.recalibrate``), storing the events that close
        what was open; returns them."""
        events = self.pipeline.recalibrate()
        if self.recorder is not None:
            self.recorder.on_events(events, self.pipeline)
        return events

    def close(self, end_reason: str) -> list[Event]:
        """End the stream (``finish``) and close the stored session with ``end_reason``; returns the last events."""
        events = self.finish()
        if self.recorder is not None:
            self.recorder.close(end_reason)
        return events

    def _write_mark(self, mark: Mark) -> None:
        if self.writer is not None:
            try:
                self.writer.mark(mark)
            except OSError as exc:
                self._writer_failed(exc)

    def _writer_failed(self, exc: OSError) -> None:
        """The file cannot be written: end it where it is whole and go on without it."""
        writer, self.writer = self.writer, None
        assert writer is not None
        with contextlib.suppress(OSError):
            writer.close()
        if self.on_writer_failed is not None:
            self.on_writer_failed(writer, exc)
