"""The built-in simulated sensor as a packet source: the demo routine on a typical real chip, paced like a sensor."""

from __future__ import annotations

from imuhold.sim.scenarios import routine, with_sensor_errors
from imuhold.sim.simulation import simulate
from imuhold.source import ReplaySource


def simulated_source(seed: int = 1, seconds: float | None = None, speed: float = 1.0) -> ReplaySource:
    """The built-in simulated sensor running the demo routine: raw gyro and acceleration with a typical chip's errors
    (offsets, scale, noise, clock; ``docs/simulator.md``), strapped as the seed draws, so the host's orientation
    filter and the bias-aware calibration run as they do on a DIY sensor."""
    simulation = simulate(with_sensor_errors(routine(seed, seconds), seed, "typical", frame_type="raw"), seed)
    meta = simulation.metadata
    return ReplaySource(simulation.packets, meta["profile"], meta["rate_hz"], f"simulated sensor (seed {seed})", speed)
