"""Emulated sensors over bumble's in-process link: recognition, command sequences, decoding, a drop mid-hold.

Each test starts a bumble GATT server (the emulated sensor) and a bumble central on one LocalLink and streams
through the real link (``imuhold.ble.link.SensorLink``) with the profile's own start and stop sequences.
"""

from __future__ import annotations

import asyncio
import functools
import math
import time

import pytest

from imuhold.ble.link import SensorLink
from imuhold.model import Packet
from imuhold.pipeline import Pipeline
from imuhold.protocol import LINKS, get_link, get_profile
from imuhold.protocol.gatt import ReadModifyWrite, Write
from imuhold.sim import Hold, Scenario, Squat, Stand, simulate
from imuhold.sim.emulate import EMULATORS, MotionTrack
from imuhold.sim.emulate.world import RadioWorld
from imuhold.source import LinkStatus

PROFILE_NAMES = sorted(EMULATORS)
SPEED = 5.0
HOLD = (8.0, 23.0)
DROP_AT_S = 15.0
TOLERANCE = {  # quaternion angle (deg) and acceleration (m/s²) the wire format keeps
    "imuhold-v1": (0.02, 0.006),
    "witmotion-ble5": (0.03, 0.005),
    "metamotion": (1e-4, 1e-4),
    "movella-dot": (1e-4, 1e-4),
    "thingy52": (1e-4, 0.006),
}


@functools.cache
def _hold_track() -> MotionTrack:
    scenario = Scenario("emulated-hold", (Stand(6.0), Squat(bottom=(Hold(15.0),)), Stand(4.0)), heading_deg=0.0)
    return MotionTrack.from_simulation(simulate(scenario, 1))


def _angle_deg(a, b) -> float:
    dot = abs(sum(x * y for x, y in zip(a, b, strict=True)))
    return math.degrees(2 * math.acos(min(1.0, dot)))


async def _start(profile: str, motion: MotionTrack, speed: float = 1.0):
    world = RadioWorld()
    sensor = EMULATORS[profile](motion, speed=speed, record=True)
    address = await world.add_sensor(sensor)
    return sensor, address, await world.central()


async def _collect(link: SensorLink, until, on_packet=None) -> tuple[list[Packet], list[LinkStatus]]:
    packets: list[Packet] = []
    statuses: list[LinkStatus] = []
    async with asyncio.timeout(60):
        async for item in link.stream():
            if isinstance(item, LinkStatus):
                statuses.append(item)
            else:
                packets.append(item)
                if on_packet is not None:
                    await on_packet(item)
            if until(packets, statuses):
                break
    return packets, statuses


@pytest.mark.parametrize("profile", PROFILE_NAMES)
async def test_scan_recognises_the_emulated_sensor(profile: str) -> None:
    sensor, address, central = await _start(profile, MotionTrack.standing_still())
    try:
        found = {d.address: d for d in await central.scan(0.3)}
    finally:
        await sensor.stop()
    assert found[address].profile == profile
    assert found[address].rssi is not None


@pytest.mark.parametrize("profile", PROFILE_NAMES)
async def test_start_and_stop_sequences_reach_the_sensor_and_decode(profile: str) -> None:
    sensor, address, central = await _start(profile, MotionTrack.standing_still(5.0), speed=2.0)
    link = SensorLink(address, profile, central)
    decoder = get_profile(profile).decoder()
    try:
        packets, statuses = await _collect(link, lambda p, _s: len(p) >= 60)
        await asyncio.sleep(0.05)
        sent_while_streaming = sensor.stats.notifications
        await asyncio.sleep(0.3)
        assert sensor.stats.notifications == sent_while_streaming, "the sensor kept streaming after stop"
    finally:
        await sensor.stop()
    assert statuses[0].connected and statuses[0].battery_pct == sensor.battery_pct
    spec = get_link(profile)
    expected = [(s.characteristic, s.data) for s in (*spec.start(None), *spec.stop()) if isinstance(s, Write)]
    rmw = {s.characteristic for s in spec.start(None) if isinstance(s, ReadModifyWrite)}
    writes = [w for w in sensor.stats.writes if w[0] not in rmw]
    assert writes == expected
    assert {w[0] for w in sensor.stats.writes} >= rmw
    samples = [s for p in packets for s in decoder.feed(p)]
    assert samples and decoder.stats.bad_frames == 0 and decoder.stats.lost_frames == 0
    angle_tol, acc_tol = TOLERANCE[profile]
    for sample, (_, quat, acc) in zip(samples, sensor.sent, strict=False):
        assert _angle_deg(sample.quat, quat) < angle_tol
        assert max(abs(a - b) for a, b in zip(sample.acc_m_s2, acc, strict=True)) < acc_tol


@pytest.mark.slow
@pytest.mark.parametrize("profile", PROFILE_NAMES)
async def test_a_hold_survives_a_disconnect_in_the_middle(profile: str) -> None:
    track = _hold_track()
    sensor, address, central = await _start(profile, track, speed=SPEED)
    link = SensorLink(address, profile, central, clock_ns=lambda: round(time.monotonic_ns() * SPEED))
    pipeline = Pipeline(get_profile(profile))
    dropped = False

    async def feed(packet: Packet) -> None:
        nonlocal dropped
        pipeline.feed(packet)
        if not dropped and sensor.sensor_time_s() > DROP_AT_S:
            dropped = True
            await sensor.force_disconnect()

    try:
        _, statuses = await _collect(link, lambda _p, _s: sensor.sensor_time_s() > track.duration_s - 0.5, feed)
    finally:
        await sensor.stop()
    pipeline.finish()
    assert [s.connected for s in statuses] == [True, False, True]
    assert link.stats.drops == 1 and len(link.stats.reconnect_s) == 1
    holds = [(h.start_s, h.end_s) for squat in pipeline.analysis().squats for h in squat.holds]
    assert len(holds) == 1, f"{holds} (decoder {pipeline.decode_stats})"
    (start_s, end_s), offset = holds[0], _first_sample_offset(sensor)
    assert start_s + offset == pytest.approx(HOLD[0], abs=0.6)
    assert end_s + offset == pytest.approx(HOLD[1], abs=0.6)


def _first_sample_offset(sensor) -> float:
    """Pipeline times start at the first sample; the track's time of that sample (mod its length)."""
    return sensor.sent[0][0] % sensor.motion.duration_s


def test_every_profile_has_an_emulator() -> None:
    assert set(EMULATORS) == set(LINKS)
