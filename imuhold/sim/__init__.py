"""Body-motion simulator of a squat-training session with exact ground truth, emitting imuhold-v1 packets."""

from __future__ import annotations

from imuhold.sim.activities import (
    STYLES,
    Activity,
    BriefWobble,
    Chair,
    Hold,
    Pause,
    Shift,
    Squat,
    Stand,
    Stoop,
    Walk,
)
from imuhold.sim.scenarios import SCENARIOS, routine
from imuhold.sim.sensor import SensorConfig
from imuhold.sim.simulation import Scenario, Simulation, simulate

__all__ = [
    "SCENARIOS",
    "STYLES",
    "Activity",
    "BriefWobble",
    "Chair",
    "Hold",
    "Pause",
    "Scenario",
    "SensorConfig",
    "Shift",
    "Simulation",
    "Squat",
    "Stand",
    "Stoop",
    "Walk",
    "routine",
    "simulate",
]
