"""Where packets come from — a recording replayed at any speed, the simulated sensor (imuhold.sim.source), a BLE
link (imuhold.ble) — as one async interface, so live training, demo and replay share the same app and pipeline.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import AsyncIterator, Iterable, Iterator, Sequence
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


PACING_TICK_S = 0.02
"""A replay hands over at once every packet due within this of now: it wakes at most about 50 times a second whatever
its rate (as a BLE link delivers in connection events, 7.5 ms to 4 s apart), never more than this early."""


class Pacer:
    """When each packet of a replay is due: its host time from the first packet's, divided by ``speed`` times real
    time (``math.inf``: at once), measured from when the first packet was asked about. Packets due within ``tick_s``
    are handed over together (one wake-up, not one per packet)."""

    def __init__(self, speed: float, tick_s: float = PACING_TICK_S) -> None:
        if not speed > 0:
            raise ValueError(f"replay speed must be positive, got {speed}")
        self.speed = speed
        self.tick_s = tick_s
        self._t0_ns: int | None = None
        self._start = 0.0

    def wait_s(self, t_host_ns: int) -> float:
        """Seconds to wait before the packet at ``t_host_ns`` is due (≤ 0: now)."""
        if not math.isfinite(self.speed):
            return 0.0
        if self._t0_ns is None:
            self._t0_ns, self._start = t_host_ns, time.monotonic()
        return (t_host_ns - self._t0_ns) / 1e9 / self.speed - (time.monotonic() - self._start)

    def sleep_s(self, t_host_ns: int) -> float:
        """Seconds to sleep before handing over the packet at ``t_host_ns``: 0 when it is due within ``tick_s``."""
        delay = self.wait_s(t_host_ns)
        return delay if delay > self.tick_s else 0.0

    def paced(self, packets: Iterable[Packet]) -> Iterator[Packet]:
        """``packets``, each when it is due (sleeping in between)."""
        for packet in packets:
            delay = self.sleep_s(packet.t_host_ns)
            if delay > 0:
                time.sleep(delay)
            yield packet

    async def paced_async(self, packets: Iterable[Packet]) -> AsyncIterator[Packet]:
        """``packets``, each when it is due (awaiting in between)."""
        for packet in packets:
            delay = self.sleep_s(packet.t_host_ns)
            if delay > 0:
                await asyncio.sleep(delay)
            yield packet


class RecordingPackets:
    """The packets of a recording file, read a block at a time each time they are iterated (memory stays bounded
    by a block, whatever the recording's length); ``warnings`` holds the reader's from the latest pass."""

    def __init__(self, path: Path) -> None:
        from imuhold.recording import iter_recording

        self.path = path
        self.header, stream = iter_recording(path)  # a bad file or header fails here, at once
        stream.close()
        self.warnings: list[str] = []

    def __iter__(self) -> Iterator[Packet]:
        from imuhold.recording import iter_recording

        _, stream = iter_recording(self.path)
        self.warnings = stream.warnings  # fills as the pass goes
        with stream:
            for item in stream:
                if isinstance(item, Packet):
                    yield item


class ReplaySource:
    """Packets from memory or a recording file (any iterable, iterated once per stream), paced by their host times
    divided by ``speed`` (``math.inf``: no pacing)."""

    def __init__(self, packets: Iterable[Packet], profile: str, rate_hz: float, description: str, speed: float = 1.0):
        Pacer(speed)  # checks the speed
        self.packets = packets
        self.profile = profile
        self.rate_hz = rate_hz
        self.description = description
        self.speed = speed

    def duration_s(self) -> float:
        """From the first packet's host time to the last's (a recording file is read through once for it)."""
        packets = self.packets
        if isinstance(packets, Sequence):
            return (packets[-1].t_host_ns - packets[0].t_host_ns) / 1e9 if packets else 0.0
        first = last = None
        for packet in packets:
            first = packet.t_host_ns if first is None else first
            last = packet.t_host_ns
        return 0.0 if first is None or last is None else (last - first) / 1e9

    async def stream(self) -> AsyncIterator[Packet | LinkStatus]:
        yield LinkStatus(True, self.description)
        empty = True
        async for packet in Pacer(self.speed).paced_async(self.packets):
            empty = False
            yield packet
        if not empty:
            yield LinkStatus(False, self.description, note="end of recording")


def replay_source(path: Path, speed: float = 1.0) -> tuple[ReplaySource, RecordingPackets]:
    """A recording file replayed at ``speed``, read as it goes; also returns its packets, whose ``warnings`` (the
    reader's) are known once a pass over them has ended."""
    from imuhold.errors import RecordingError, UnknownProfileError
    from imuhold.protocol import get_profile

    packets = RecordingPackets(path)
    header = packets.header
    try:
        get_profile(header.profile)
    except UnknownProfileError as exc:
        raise RecordingError(str(path), f"header: {exc}", line=1) from exc
    return ReplaySource(packets, header.profile, header.rate_hz, path.name, speed), packets
