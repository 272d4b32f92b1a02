"""The built-in simulated sensor as a packet source: the demo routine, paced like a real sensor."""

from __future__ import annotations

from imuhold.sim.scenarios import routine
from imuhold.sim.simulation import simulate
from imuhold.source import ReplaySource


def simulated_source(seed: int = 1, seconds: float | None = None, speed: float = 1.0) -> ReplaySource:
    """The built-in simulated sensor running the demo routine."""
    simulation = simulate(routine(seed, seconds), seed)
    meta = simulation.metadata
    return ReplaySource(simulation.packets, meta["profile"], meta["rate_hz"], f"simulated sensor (seed {seed})", speed)
