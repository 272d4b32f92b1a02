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
from imuhold.sim.errors import NO_ERRORS, PROFILES, ErrorRanges, SensorErrors, draw_errors
from imuhold.sim.mounting import ATTITUDES, PLACES, Mounting, draw_mounting, mount_at
from imuhold.sim.scenarios import SCENARIOS, on_sensor, routine, with_sensor_errors
from imuhold.sim.sensor import SensorConfig
from imuhold.sim.simulation import Scenario, Simulation, simulate

__all__ = [
    "ATTITUDES",
    "NO_ERRORS",
    "PLACES",
    "PROFILES",
    "SCENARIOS",
    "STYLES",
    "Activity",
    "BriefWobble",
    "Chair",
    "ErrorRanges",
    "Hold",
    "Mounting",
    "Pause",
    "Scenario",
    "SensorConfig",
    "SensorErrors",
    "Shift",
    "Simulation",
    "Squat",
    "Stand",
    "Stoop",
    "Walk",
    "draw_errors",
    "draw_mounting",
    "mount_at",
    "on_sensor",
    "routine",
    "simulate",
    "with_sensor_errors",
]
