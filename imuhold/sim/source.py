"""The built-in simulated sensor as a packet source: the demo routine on a typical real chip, paced like a sensor."""

from __future__ import annotations

import dataclasses

from imuhold.sim.scenarios import routine, with_sensor_errors
from imuhold.sim.simulation import simulate
from imuhold.source import ReplaySource

CONN_INTERVAL_S = 0.03
"""Notifications reach the host in BLE connection events, as from a real link: 30 ms is BlueZ's default shortest
connection interval (and what firmware_specs/imuhold-profile.md allows with a larger MTU), three samples an event at
100 Hz. Only arrival times change; every sample, and so every result, stays the same."""


def simulated_source(seed: int = 1, seconds: float | None = None, speed: float = 1.0) -> ReplaySource:
    """The built-in simulated sensor running the demo routine: raw gyro and acceleration with a typical chip's errors
    (offsets, scale, noise, clock; ``docs/simulator.md``), strapped as the seed draws, so the host's orientation
    filter and the bias-aware calibration run as they do on a DIY sensor."""
    scenario = with_sensor_errors(routine(seed, seconds), seed, "typical", frame_type="raw")
    sensor = dataclasses.replace(scenario.sensor, conn_interval_s=CONN_INTERVAL_S)
    simulation = simulate(dataclasses.replace(scenario, sensor=sensor), seed)
    meta = simulation.metadata
    return ReplaySource(simulation.packets, meta["profile"], meta["rate_hz"], f"simulated sensor (seed {seed})", speed)
