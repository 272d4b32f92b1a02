"""The conformance checker against emulated imuhold-v1 sensors: a good one passes, broken ones fail the right R's."""

from __future__ import annotations

import pytest

from imuhold.ble import conformance
from imuhold.ble.conformance import REQUIREMENTS, ConformanceRun, passed
from imuhold.sim.emulate import MotionTrack
from imuhold.sim.emulate.imuhold_v1 import ImuholdV1Sensor
from imuhold.sim.emulate.world import RadioWorld

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def _quick(monkeypatch) -> None:
    monkeypatch.setattr(conformance, "FIRST_FRAME_S", 0.3)


async def _check(quirks: frozenset[str] = frozenset()) -> dict[str, str]:
    world = RadioWorld()
    sensor = ImuholdV1Sensor(MotionTrack.standing_still(), quirks=quirks)
    address = await world.add_sensor(sensor)
    try:
        results = await ConformanceRun(await world.central(), address, seconds=1.0, still=True, scan_s=0.3).run()
    finally:
        await sensor.stop()
    assert [r.rid for r in results] == list(REQUIREMENTS)
    return {r.rid: r.outcome for r in results}


async def test_a_conforming_sensor_passes_every_automatic_check() -> None:
    outcomes = await _check()
    assert {rid for rid, outcome in outcomes.items() if outcome != "pass"} == {"R21", "R23"}
    assert outcomes["R21"] == "skip" and outcomes["R23"] == "manual"


async def test_broken_sequence_gravity_and_reconnect_are_caught() -> None:
    outcomes = await _check(frozenset({"skip-seq", "wrong-gravity", "stream-after-reconnect"}))
    assert outcomes["R16"] == "warn" and outcomes["R17"] == "fail"
    assert outcomes["R20"] == "fail" and outcomes["R22"] == "fail"
    assert outcomes["R9"] == outcomes["R10"] == outcomes["R13"] == "pass"


async def test_a_sensor_that_never_answers_fails_the_control_point_checks(monkeypatch) -> None:
    monkeypatch.setattr(conformance, "RESPONSE_TIMEOUT_S", 0.1)
    outcomes = await _check(frozenset({"no-response"}))
    assert {rid for rid, outcome in outcomes.items() if outcome == "fail"} >= {"R9", "R10", "R11", "R12", "R13"}
    assert outcomes["R1"] == outcomes["R3"] == outcomes["R5"] == "pass"


def test_passed_ignores_warnings_but_not_failures() -> None:
    ok = conformance.CheckResult("R2", "warn")
    bad = conformance.CheckResult("R1", "fail")
    assert passed([ok]) and not passed([ok, bad])
