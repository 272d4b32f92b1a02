"""Where packets come from — a recording replayed at any speed, the simulated sensor (imuhold.sim.source), a BLE
link (imuhold.ble) — as one async interface, so live training, demo and replay share the same app and pipeline.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from imuhold.model import Packet


@dataclass(frozen=True, slots=True)
class LinkStatus:
    """The state of the link to the sensor, emitted by a source whenever it changes."""

    connected: bool
    sensor: str
    battery_pct: int | None = None
    note: str = ""


class PacketSource(Protocol):
    """An async stream of packets (and link-status changes) from one sensor."""

    profile: str
    rate_hz: float
    description: str

    def stream(self) -> AsyncIterator[Packet | LinkStatus]: ...


class ReplaySource:
    """Packets from memory, paced by their host times divided by ``speed`` (``math.inf``: no pacing)."""

    def __init__(self, packets: Sequence[Packet], profile: str, rate_hz: float, description: str, speed: float = 1.0):
        if not speed > 0:
            raise ValueError(f"replay speed must be positive, got {speed}")
        self.packets = packets
        self.profile = profile
        self.rate_hz = rate_hz
        self.description = description
        self.speed = speed

    async def stream(self) -> AsyncIterator[Packet | LinkStatus]:
        yield LinkStatus(True, self.description)
        if not self.packets:
            return
        t0_ns = self.packets[0].t_host_ns
        start = time.monotonic()
        for packet in self.packets:
            if math.isfinite(self.speed):
                delay = (packet.t_host_ns - t0_ns) / 1e9 / self.speed - (time.monotonic() - start)
                if delay > 0:
                    await asyncio.sleep(delay)
            yield packet
        yield LinkStatus(False, self.description, note="end of recording")


def replay_source(path: Path, speed: float = 1.0) -> tuple[ReplaySource, list[str]]:
    """A recording file replayed at ``speed``; also returns the reader's warnings."""
    from imuhold.errors import RecordingError, UnknownProfileError
    from imuhold.protocol import get_profile
    from imuhold.recording import read_recording

    recording = read_recording(path)
    header = recording.header
    try:
        get_profile(header.profile)
    except UnknownProfileError as exc:
        raise RecordingError(str(path), f"header: {exc}", line=1) from exc
    return ReplaySource(recording.packets, header.profile, header.rate_hz, path.name, speed), recording.warnings
