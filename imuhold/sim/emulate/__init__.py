"""Emulated BLE sensors: a bumble GATT server per profile that advertises like the device and streams the
simulator's motion in that profile's bytes, honouring its start, stop and rate commands.
"""

from __future__ import annotations

from imuhold.sim.emulate.base import EmulatedSensor, EmulatorStats
from imuhold.sim.emulate.dot import DotSensor
from imuhold.sim.emulate.imuhold_v1 import ImuholdV1Sensor
from imuhold.sim.emulate.metawear import MetaWearSensor
from imuhold.sim.emulate.motion import MotionTrack, routine_track
from imuhold.sim.emulate.thingy import ThingySensor
from imuhold.sim.emulate.witmotion import WitMotionSensor

EMULATORS: dict[str, type[EmulatedSensor]] = {
    cls.profile: cls for cls in (ImuholdV1Sensor, WitMotionSensor, MetaWearSensor, DotSensor, ThingySensor)
}

__all__ = ["EMULATORS", "EmulatedSensor", "EmulatorStats", "MotionTrack", "routine_track"]
