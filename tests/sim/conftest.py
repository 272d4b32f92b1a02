"""Shared simulations for the simulator tests, built once per session."""

from __future__ import annotations

import functools

import pytest

from imuhold.sim import SCENARIOS, Simulation, simulate


@functools.cache
def _simulated(name: str, seed: int) -> Simulation:
    return simulate(SCENARIOS[name](seed), seed)


@pytest.fixture(scope="session")
def simulated():
    """simulated(name, seed=1) → the Simulation of a named scenario (cached)."""

    def get(name: str, seed: int = 1) -> Simulation:
        return _simulated(name, seed)

    return get
