"""A live session: any packet source through the pipeline, with events, link state and loss, recorded with marks.

With a ``recorder`` (imuhold.store.SessionRecorder) the session is also stored as it goes. Gaps are marked in the
recording (``#mark``) and stored with the session: ``link-lost``/``link-restored`` from the source's link statuses,
and ``gap`` whenever the decoder finds frames missing (sequence numbers, device time or host arrival times).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from imuhold.loop import PacketLoop
from imuhold.model import Event, Packet
from imuhold.pipeline import Pipeline
from imuhold.recording.writer import RecordingWriter
from imuhold.report import event_line, summary_lines
from imuhold.source import LinkStatus, PacketSource

if TYPE_CHECKING:
    from imuhold.store import SessionRecorder

STATUS_EVERY_NS = 5_000_000_000


class LiveSession:
    """Feeds ``source`` into ``pipeline`` through the packet loop (recording to ``writer`` and ``recorder``, gaps
    marked); reports through ``say`` (one line per event, state or link change, and the rate every 5 s)."""

    def __init__(
        self,
        source: PacketSource,
        pipeline: Pipeline,
        say: Callable[[str], None],
        writer: RecordingWriter | None = None,
        recorder: SessionRecorder | None = None,
    ) -> None:
        self.source = source
        self.say = say
        self.loop = PacketLoop(pipeline, recorder, writer, mark_gaps=True, on_writer_failed=self._writer_failed)
        self.loop.shown_state = None  # the first packet says the state the session starts in
        self._samples_at_status = 0
        self._status_ns: int | None = None

    @property
    def pipeline(self) -> Pipeline:
        return self.loop.pipeline

    @property
    def recorder(self) -> SessionRecorder | None:
        return self.loop.recorder  # type: ignore[return-value]  # the one given

    @property
    def writer(self) -> RecordingWriter | None:
        """The ``--record`` file; None once it failed."""
        return self.loop.writer

    @property
    def stats(self) -> PacketLoop:
        """Link quality as the session saw it: ``packets``, ``drops``, ``gaps``, ``first_ns``, ``last_ns``."""
        return self.loop

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
        self.loop.link(status)
        battery = "" if status.battery_pct is None else f", battery {status.battery_pct} %"
        state = "connected" if status.connected else "disconnected"
        self.say(f"link: {state} {status.sensor}{battery}" + (f" — {status.note}" if status.note else ""))

    def _packet(self, packet: Packet) -> None:
        for line in step_lines(self.loop.feed(packet), self.loop):
            self.say(line)
        if self._status_ns is None:
            self._status_ns = packet.t_host_ns
        elif packet.t_host_ns - self._status_ns >= STATUS_EVERY_NS:
            self.say(self._status_line(packet.t_host_ns))

    def _status_line(self, now_ns: int) -> str:
        assert self._status_ns is not None
        samples = self.pipeline.samples - self._samples_at_status
        rate = samples / ((now_ns - self._status_ns) / 1e9)
        self._samples_at_status, self._status_ns = self.pipeline.samples, now_ns
        tilt = self.pipeline.live.tilt_deg
        tilt_text = "" if math.isnan(tilt) else f", tilt {tilt:+.1f}°"
        return f"link: {rate:.1f} Hz, loss {self.loss_pct:.1f} %{tilt_text}"

    def _writer_failed(self, writer: RecordingWriter, exc: OSError) -> None:
        """The ``--record`` file cannot be written: say so once (the loop goes on without it, ended where whole)."""
        self.say(f"imuhold: cannot write {writer.path} ({exc.strerror or exc}); it keeps what was written before")


def step_lines(events: list[Event], loop: PacketLoop) -> list[str]:
    """What a headless run prints after a packet: its events, then the state it left the pipeline in if changed."""
    lines = [event_line(event) for event in events]
    state = loop.new_state()
    if state is not None:
        lines.append(f"{loop.pipeline.live.t_s:8.2f} s  → {state.value}")
    return lines


def close_run(loop: PacketLoop, end_reason: str, say: Callable[[str], None]) -> None:
    """End a run: print the events that close it, store them and close the session, then print the summary."""
    for event in loop.close(end_reason):
        say(event_line(event))
    say("")
    for line in summary_lines(loop.pipeline.analysis()):
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
