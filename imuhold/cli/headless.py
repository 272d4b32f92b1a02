"""``imuhold live --headless``: a sensor through the pipeline, printing events and link state, storing the session,
and giving up (exit status 3) once the sensor has been out of reach for too long.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from imuhold.ble.link import LinkStats, SensorLink
from imuhold.errors import DiskFull
from imuhold.live import LiveSession, close_run, saved_line
from imuhold.pipeline import Pipeline
from imuhold.protocol import get_profile
from imuhold.recording import RecordingHeader, RecordingWriter

if TYPE_CHECKING:
    from imuhold.detect.params import DetectorParams
    from imuhold.store import SessionRecorder

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_SENSOR_GONE = 3
"""Exit statuses of ``imuhold live --headless`` (2 is click's, for a usage error)."""

OpenRecorder = Callable[[str, float, str], "SessionRecorder"]
"""(profile, rate_hz, sensor description) → a recorder storing the new session."""


@dataclass(slots=True)
class HeadlessLive:
    """Runs ``link`` through a pipeline until ``seconds`` pass (None: until stopped or the link ends), then
    ``finish`` prints the summary and closes the recording and the stored session.

    ``run`` is a coroutine and ``finish`` is not, so that a Ctrl-C (which ends the event loop) still finishes.
    """

    link: SensorLink
    say: Callable[[str], None]
    params: DetectorParams | None = None
    record_path: Path | None = None
    open_recorder: OpenRecorder | None = None
    session: LiveSession | None = None

    async def run(self, seconds: float | None) -> None:
        link = self.link
        writer = None
        if self.record_path is not None:
            header = RecordingHeader(link.profile, link.rate_hz, extra={"sensor": {"address": link.address}})
            writer = RecordingWriter(self.record_path, header)
        recorder = (
            None if self.open_recorder is None else self.open_recorder(link.profile, link.rate_hz, link.description)
        )
        pipeline = Pipeline(get_profile(link.profile), link.rate_hz, self.params)
        self.session = LiveSession(link, pipeline, self.say, writer, recorder=recorder)
        self.say(f"imuhold live: {link.description}; stand still to calibrate")
        try:
            async with asyncio.timeout(seconds):
                await self.session.run()
        except TimeoutError:
            pass
        except DiskFull:
            pass  # the recorder stopped the session; finish() says what was kept

    def finish(self, end_reason: str) -> None:
        """Print the last events, the summary and the link's numbers; close the recording and the session."""
        session = self.session
        if session is None:
            return
        close_run(session.loop, end_reason, self.say)
        if session.writer is not None:
            session.writer.close()
        self.say(f"loss {session.loss_pct:.1f} %")
        self.say(link_line(self.link.stats, session.pipeline.decode_stats.lost_frames))
        saved = saved_line(session.recorder)
        if saved is not None:
            self.say(saved)


def link_line(stats: LinkStats, lost_frames: int) -> str:
    """The link's numbers over the session, in one line: packets, frames lost, drops (of which stalls: connected but
    silent), notifications the stack delivered twice (dropped) and time to reconnect."""
    reconnects = ", ".join(f"{s:.2f}" for s in stats.reconnect_s) or "-"
    overflow = f", {stats.overflow} dropped from a full queue" if stats.overflow else ""
    return (
        f"link: {stats.packets} packets received, {lost_frames} frames lost, {stats.drops} drops,"
        f" {stats.stalls} stalls, {stats.duplicates} duplicates, reconnect s: {reconnects}{overflow}"
    )
