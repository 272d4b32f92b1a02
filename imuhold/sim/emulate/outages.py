"""Scripted outages of an emulated sensor: drop the connection at given sensor times, go out of range for a while,
refuse every connection, or vanish for good."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

from imuhold.sim.emulate.base import EmulatedSensor


@dataclass(frozen=True, slots=True)
class Outages:
    """``drop_at_s``: sensor times at which the sensor drops the connection (and goes on advertising), or, when
    nothing is subscribed then, as soon as something is (drops never pass unnoticed on a slow host);
    ``away``: (sensor time, seconds) pairs: out of range for that long (disconnected, not advertising), then back;
    ``refuse``: the sensor advertises but drops every connection as soon as it is made;
    ``vanish_at_s``: the sensor time at which it disconnects, stops advertising and streaming, for good.
    """

    drop_at_s: tuple[float, ...] = ()
    vanish_at_s: float | None = None
    away: tuple[tuple[float, float], ...] = ()
    refuse: bool = False

    def __post_init__(self) -> None:
        times = [*self.drop_at_s, *(t for t, _ in self.away), *([] if self.vanish_at_s is None else [self.vanish_at_s])]
        if any(t < 0 for t in times) or any(s <= 0 for _, s in self.away):
            raise ValueError(f"outage times must not be negative, got {times} (away: {self.away})")
        if self.vanish_at_s is not None and any(t >= self.vanish_at_s for t in times[:-1]):
            raise ValueError("every drop must come before the sensor vanishes")

    def __bool__(self) -> bool:
        return bool(self.drop_at_s) or bool(self.away) or self.refuse or self.vanish_at_s is not None


NO_OUTAGES = Outages()


async def play_outages(sensor: EmulatedSensor, outages: Outages, say: Callable[[str], None]) -> None:
    """Carry out ``outages`` on a started sensor; returns once the last one happened."""
    if outages.refuse:
        sensor.refuse_connections = True
        say("refusing every connection (still advertising)")
    timeline = sorted([(t, "drop", 0.0) for t in outages.drop_at_s] + [(t, "away", s) for t, s in outages.away])
    for t_s, kind, away_s in timeline:
        await _sensor_time(sensor, t_s)
        if kind == "away":
            say(f"{sensor.sensor_time_s():.2f} s: out of range for {away_s:g} s (disconnecting, not advertising)")
            await sensor.go_away()
            await _sensor_time(sensor, t_s + away_s)
            say(f"{sensor.sensor_time_s():.2f} s: back in range (advertising)")
            await sensor.come_back()
        else:
            if sensor.connection is None or not sensor.subscribed:
                say(f"{sensor.sensor_time_s():.2f} s: drop due, waiting for a subscribed connection")
                while sensor.connection is None or not sensor.subscribed:
                    await asyncio.sleep(0.05)
            say(f"{sensor.sensor_time_s():.2f} s: dropping the connection (still advertising)")
            await sensor.force_disconnect()
    if outages.vanish_at_s is not None:
        await _sensor_time(sensor, outages.vanish_at_s)
        say(f"{sensor.sensor_time_s():.2f} s: vanishing (disconnecting, no more advertising)")
        await sensor.vanish()


async def _sensor_time(sensor: EmulatedSensor, t_s: float) -> None:
    """Sleep until the sensor clock reads ``t_s``."""
    while (remaining_s := t_s - sensor.sensor_time_s()) > 0:
        await asyncio.sleep(remaining_s / sensor.speed)
