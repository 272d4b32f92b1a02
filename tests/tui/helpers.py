"""Helpers for the TUI tests: recordings as sources, a source that stays connected, waiting for the screen."""

from __future__ import annotations

import asyncio
import math
from pathlib import Path

from imuhold.model import Packet
from imuhold.source import LinkStatus, ReplaySource

SAMPLES = Path(__file__).resolve().parents[2] / "sample_recordings"


class HeldSource:
    """Yields its packets at once, then stays connected and silent, like a sensor the person stands still with."""

    def __init__(self, packets: list[Packet], profile: str, rate_hz: float, description: str, battery_pct=87):
        self.packets, self.profile, self.rate_hz, self.description = packets, profile, rate_hz, description
        self.battery_pct = battery_pct

    async def stream(self):
        yield LinkStatus(True, self.description, battery_pct=self.battery_pct)
        for packet in self.packets:
            yield packet
        yield LinkStatus(True, self.description, battery_pct=self.battery_pct)  # a fresh frame after the last packet
        await asyncio.Event().wait()


def cut(recording, until_s: float) -> list[Packet]:
    """The packets of ``recording`` received in its first ``until_s`` seconds."""
    t0 = recording.packets[0].t_host_ns
    return [p for p in recording.packets if (p.t_host_ns - t0) / 1e9 <= until_s]


def replay(recording, until_s: float = math.inf, name: str = "routine.imuhold.gz") -> ReplaySource:
    header = recording.header
    return ReplaySource(cut(recording, until_s), header.profile, header.rate_hz, name, math.inf)


def held(recording, until_s: float, name: str = "routine.imuhold.gz") -> HeldSource:
    header = recording.header
    return HeldSource(cut(recording, until_s), header.profile, header.rate_hz, name)


async def settle(pilot, condition, timeout_s: float = 20.0) -> None:
    """Let the app run until ``condition()`` holds (fails the test after ``timeout_s``)."""
    async def wait():
        while not condition():
            await pilot.pause()

    await asyncio.wait_for(wait(), timeout_s)
    await pilot.pause()


async def shown_latest(pilot) -> None:
    """Wait until the screen shows the session's latest frame (all queued frames handled), then let it render."""
    app = pilot.app
    await settle(pilot, lambda: app.screen.frame == app.session.frame())
