"""A live session: any packet source through the pipeline, with events, link state and loss, recorded with marks.

With a ``recorder`` (imuhold.store.SessionRecorder) the session is also stored as it goes. Gaps are marked in the
recording (``#mark``) and stored with the session: ``link-lost``/``link-restored`` from the source's link statuses,
and ``gap`` whenever the decoder finds frames missing (sequence numbers, device time or host arrival times).
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from imuhold.model import Event, MotionState, Packet
from imuhold.pipeline import Pipeline
from imuhold.recording.format import Mark
from imuhold.recording.writer import RecordingWriter
from imuhold.report import event_line, summary_lines
from imuhold.source import LinkStatus, PacketSource

if TYPE_CHECKING:
    from imuhold.store import SessionRecorder

STATUS_EVERY_NS = 5_000_000_000


@dataclass(slots=True)
class LiveStats:
    """Link quality as the session saw it."""

    packets: int = 0
    drops: int = 0
    gaps: int = 0
    first_ns: int | None = None
    last_ns: int | None = None
    samples_at_last_status: int = 0
    last_status_ns: int | None = None


@dataclass(slots=True)
class LiveSession:
    """Feeds ``source`` into ``pipeline``; reports through ``say`` (one line per event, state or link change)."""

    source: PacketSource
    pipeline: Pipeline
    say: Callable[[str], None]
    writer: RecordingWriter | None = None
    on_event: Callable[[Event], None] | None = None
    recorder: SessionRecorder | None = None
    stats: LiveStats = field(default_factory=LiveStats)
    _lost_seen: int = 0
    _state: MotionState | None = None
    _connected: bool | None = None

    @property
    def loss_pct(self) -> float:
        return 100.0 * self.pipeline.decode_stats.loss_fraction

    async def run(self) -> None:
        async for item in self.source.stream():
            if isinstance(item, LinkStatus):
                self._link(item)
            else:
                self._packet(item)

    def _link(self, status: LinkStatus) -> None:
        t_ns = self.stats.last_ns or 0
        if self._connected and not status.connected:
            self.stats.drops += 1
            self._mark(Mark(t_ns, "link-lost", {"note": status.note}))
        elif self._connected is False and status.connected:
            self._mark(Mark(t_ns, "link-restored", {"note": status.note}))
        self._connected = status.connected
        if self.recorder is not None:
            self.recorder.on_link(status.connected, status.note, t_ns, self.pipeline.live.t_s)
            self.recorder.tick()  # commits even while no packets arrive
        battery = "" if status.battery_pct is None else f", battery {status.battery_pct} %"
        state = "connected" if status.connected else "disconnected"
        self.say(f"link: {state} {status.sensor}{battery}" + (f" — {status.note}" if status.note else ""))

    def _packet(self, packet: Packet) -> None:
        stats = self.stats
        stats.packets += 1
        stats.first_ns = packet.t_host_ns if stats.first_ns is None else stats.first_ns
        stats.last_ns = packet.t_host_ns
        if self.writer is not None:
            try:
                self.writer.write(packet)
            except OSError as exc:
                self._writer_failed(exc)
        if self.recorder is not None:
            self.recorder.on_packet(packet)
        events = self.pipeline.feed(packet)
        if self.recorder is not None:
            self.recorder.on_events(events, self.pipeline)
        for event in events:
            self.say(event_line(event))
            if self.on_event is not None:
                self.on_event(event)
        decode = self.pipeline.decode_stats
        if decode.lost_frames > self._lost_seen:
            stats.gaps += 1
            self._mark(Mark(packet.t_host_ns, "gap", {"lost_frames": decode.lost_frames - self._lost_seen}))
        self._lost_seen = decode.lost_frames  # frames taken back as late, not lost, lower it
        state = self.pipeline.live.state
        if state is not self._state:
            self._state = state
            self.say(f"{self.pipeline.live.t_s:8.2f} s  → {state.value}")
        if stats.last_status_ns is None:
            stats.last_status_ns = packet.t_host_ns
        elif packet.t_host_ns - stats.last_status_ns >= STATUS_EVERY_NS:
            self.say(self._status_line(packet.t_host_ns))

    def _status_line(self, now_ns: int) -> str:
        stats = self.stats
        assert stats.last_status_ns is not None
        samples = self.pipeline.samples - stats.samples_at_last_status
        rate = samples / ((now_ns - stats.last_status_ns) / 1e9)
        stats.samples_at_last_status, stats.last_status_ns = self.pipeline.samples, now_ns
        tilt = self.pipeline.live.tilt_deg
        tilt_text = "" if math.isnan(tilt) else f", tilt {tilt:+.1f}°"
        return f"link: {rate:.1f} Hz, loss {self.loss_pct:.1f} %{tilt_text}"

    def _mark(self, mark: Mark) -> None:
        """Into the ``--record`` file; a ``gap`` also into the stored session (the recorder marks link changes)."""
        if self.writer is not None:
            try:
                self.writer.mark(mark)
            except OSError as exc:
                self._writer_failed(exc)
        if self.recorder is not None and mark.kind == "gap":
            self.recorder.on_mark(mark, self.pipeline.live.t_s)

    def _writer_failed(self, exc: OSError) -> None:
        """The ``--record`` file cannot be written: say so once and go on without it (it is ended where whole)."""
        writer, self.writer = self.writer, None
        assert writer is not None
        with contextlib.suppress(OSError):
            writer.close()
        self.say(f"imuhold: cannot write {writer.path} ({exc.strerror or exc}); it keeps what was written before")


def close_run(
    pipeline: Pipeline, recorder: SessionRecorder | None, end_reason: str, say: Callable[[str], None]
) -> None:
    """End a run: print the events that close it, store them and close the session, then print the summary."""
    events = pipeline.finish()
    for event in events:
        say(event_line(event))
    if recorder is not None:
        recorder.on_events(events, pipeline)
        recorder.close(end_reason)
    say("")
    for line in summary_lines(pipeline.analysis()):
        say(line)


def saved_line(recorder: SessionRecorder | None) -> str | None:
    """What was stored and where, for the last line of a run; None when nothing was to be stored.

    "saved" only when everything was: ``recorder.saved`` tells the caller whether to exit with an error.
    """
    if recorder is None:
        return None
    sid = recorder.session_id
    in_database = sid is not None and recorder.database_problem is None
    path = recorder.recording_path
    in_file = path is not None and recorder.recording_problem is None
    if recorder.stopped is not None:
        where = f"session {sid} (imuhold show {sid})" if in_database else f"its recording {path}"
        return f"disk full: {recorder.kept_s:.1f} s kept in {where}; free some space before the next session"
    if not in_database:
        if in_file:
            return (
                f"not saved in the sessions database; its recording {path} is kept and becomes a session the"
                " next time imuhold opens its sessions"
            )
        return "not saved: neither the sessions database nor a recording file could be written"
    if not in_file:
        return f"saved as session {sid} (imuhold show {sid}) without its raw recording, which could not be written"
    return f"saved as session {sid} (imuhold show {sid})"
