"""Scripted outages, the send log and the radio link's addressing, on bumble's in-process radio."""

from __future__ import annotations

import asyncio
import contextlib

import pytest
from bumble import att, gatt
from bumble.device import Peer
from bumble.hci import Address

from imuhold.ble.link import SensorLink
from imuhold.model import Packet
from imuhold.protocol import imuhold_v1 as v1
from imuhold.sim.emulate import EMULATORS, MotionTrack
from imuhold.sim.emulate.outages import Outages, play_outages
from imuhold.sim.emulate.sendlog import SendLog, SentNotification, matched, read_send_log
from imuhold.sim.emulate.vhci import HIDDEN_LE_FEATURES, is_vhci
from imuhold.sim.emulate.world import RadioWorld
from imuhold.source import LinkStatus

SPEED = 5.0


async def _world(**sensor_options):
    world = RadioWorld()
    sensor = EMULATORS[v1.NAME](MotionTrack.standing_still(30.0), speed=SPEED, **sensor_options)
    address = await world.add_sensor(sensor)
    return world, sensor, address, await world.central()


async def _items(link: SensorLink, count: int) -> list[Packet | LinkStatus]:
    items: list[Packet | LinkStatus] = []
    async with asyncio.timeout(30):
        async for item in link.stream():
            items.append(item)
            if len(items) == count:
                break
    return items


async def test_a_drop_disconnects_and_the_sensor_can_be_reconnected() -> None:
    _, sensor, address, central = await _world()
    said: list[str] = []
    outages = asyncio.create_task(play_outages(sensor, Outages(drop_at_s=(2.0,)), said.append))
    link = SensorLink(address, v1.NAME, central)
    try:
        statuses = [i for i in await _items(link, 250) if isinstance(i, LinkStatus)]
    finally:
        outages.cancel()
        await sensor.stop()
    assert [s.connected for s in statuses] == [True, False, True]
    assert sensor.stats.connections == 2 and sensor.stats.disconnections >= 1
    assert any("dropping the connection" in line for line in said)


async def test_a_vanished_sensor_stops_advertising_and_streaming() -> None:
    _, sensor, address, central = await _world()
    link = SensorLink(address, v1.NAME, central)
    items = await _items(link, 20)
    assert isinstance(items[0], LinkStatus) and items[0].connected
    said: list[str] = []
    await play_outages(sensor, Outages(vanish_at_s=sensor.sensor_time_s()), said.append)
    sent = sensor.stats.notifications
    found = await central.scan(0.5)
    await asyncio.sleep(0.2)
    assert address not in {d.address for d in found}
    assert sensor.connection is None and sensor.stats.notifications == sent
    assert any("vanishing" in line for line in said)


async def test_a_sensor_out_of_range_is_not_seen_then_comes_back() -> None:
    _, sensor, address, central = await _world()
    link = SensorLink(address, v1.NAME, central)
    await _items(link, 20)
    said: list[str] = []
    now = sensor.sensor_time_s()
    away = asyncio.create_task(play_outages(sensor, Outages(away=((now, 5.0),)), said.append))
    await asyncio.sleep(0.2)
    assert sensor.connection is None and address not in {d.address for d in await central.scan(0.3)}
    await away
    assert address in {d.address for d in await central.scan(0.5)}
    await sensor.stop()
    assert said[0].endswith("out of range for 5 s (disconnecting, not advertising)")
    assert said[1].endswith("back in range (advertising)")


async def test_a_refusing_sensor_advertises_but_drops_every_connection() -> None:
    _, sensor, address, central = await _world()
    said: list[str] = []
    await play_outages(sensor, Outages(refuse=True), said.append)
    try:
        with contextlib.suppress(Exception, asyncio.CancelledError):  # bumble cancels its pending GATT requests
            async with asyncio.timeout(3):
                await central.connect(address, lambda: None, 2.0)
        await asyncio.sleep(0.2)
    finally:
        await sensor.stop()
    assert sensor.stats.refused == sensor.stats.connections >= 1 and sensor.connection is None
    assert said == ["refusing every connection (still advertising)"]


def test_outages_are_checked() -> None:
    with pytest.raises(ValueError, match="before"):
        Outages(drop_at_s=(5.0,), vanish_at_s=4.0)
    with pytest.raises(ValueError, match="negative"):
        Outages(drop_at_s=(-1.0,))
    with pytest.raises(ValueError, match="negative"):
        Outages(away=((3.0, 0.0),))
    with pytest.raises(ValueError, match="before"):
        Outages(away=((5.0, 1.0),), vanish_at_s=4.0)
    assert not Outages() and Outages(vanish_at_s=1.0) and Outages(refuse=True) and Outages(away=((1.0, 2.0),))


async def test_the_send_log_matches_what_the_central_received(tmp_path) -> None:
    _, sensor, address, central = await _world()
    log = SendLog(tmp_path / "sent.txt")
    sensor.on_sent = log
    link = SensorLink(address, v1.NAME, central)
    try:
        packets = [i for i in await _items(link, 60) if isinstance(i, Packet)]
    finally:
        await sensor.stop()
        log.close()
    sent = read_send_log(tmp_path / "sent.txt")
    motion = [n for n in sent if n.uuid == v1.MOTION_CHAR_UUID]
    assert motion and all(n.frames == 1 and n.sensor_t_s is not None for n in motion)
    pairs = list(matched(sent, packets))
    assert len(pairs) == len(packets)
    assert all(n.value == p.payload and n.t_send_ns <= p.t_host_ns for n, p in pairs)


def test_send_log_lines_round_trip_and_repeated_bytes_match_in_order() -> None:
    first = SentNotification(10, 1.5, 4, "u", b"\x01\x02")
    again = SentNotification(20, None, 0, "u", b"\x01\x02")
    assert SentNotification.parse(first.line()) == first and SentNotification.parse(again.line()) == again
    received = [Packet(15, "u", b"\x01\x02"), Packet(25, "u", b"\x01\x02"), Packet(30, "u", b"\xff")]
    assert [(n.t_send_ns, p.t_host_ns) for n, p in matched([first, again], received)] == [(10, 15), (20, 25)]


async def test_data_still_flows_after_the_central_changes_its_random_address() -> None:
    # Linux sets a new random address for every active scan, also while connected (the e2e VM found this).
    world, sensor, address, central = await _world()
    link = SensorLink(address, v1.NAME, central)
    stream = link.stream()
    async with asyncio.timeout(30):
        async for item in stream:
            if isinstance(item, Packet):
                break
        (controller,) = [c for c in world.link.controllers if c.name == "imuhold-central"]
        controller.random_address = Address("2A:13:FC:4E:B8:10")
        await link.stop()
        async for _ in stream:
            pass
    await sensor.stop()
    assert (v1.CONTROL_CHAR_UUID, b"\x02") in sensor.stats.writes  # the stop command reached the sensor


def test_vhci_transport_names_and_hidden_features() -> None:
    assert is_vhci("vhci") and is_vhci("vhci:/dev/vhci") and not is_vhci("tcp-server:_:1234")
    assert HIDDEN_LE_FEATURES.name is not None and "LL_PRIVACY" in HIDDEN_LE_FEATURES.name


async def test_a_write_to_a_read_only_attribute_is_refused_and_the_database_hash_stays() -> None:
    """BlueZ with a stale GATT cache wrote 01 00 to a service declaration; bumble took it and its hash changed."""
    world, sensor, address, _ = await _world()
    central = world.device("raw-central")
    await central.power_on()
    try:
        connection = await central.connect(Address(address), timeout=10)
        hashed = sensor.device.gatt_service
        before = hashed.get_database_hash(connection)
        battery = next(
            a
            for a in sensor.device.gatt_server.attributes
            if a.type == gatt.GATT_PRIMARY_SERVICE_ATTRIBUTE_TYPE and a.uuid == gatt.GATT_BATTERY_SERVICE
        )
        client = Peer(connection).gatt_client
        with pytest.raises(att.ATT_Error) as refused:
            await client.write_value(battery.handle, b"\x01\x00", with_response=True)
        await client.write_value(battery.handle, b"\x01\x00", with_response=False)  # a command: dropped, no answer
        await asyncio.sleep(0.2)
        assert refused.value.error_code == att.ATT_WRITE_NOT_PERMITTED_ERROR
        assert hashed.get_database_hash(connection) == before
        assert battery.uuid == gatt.GATT_BATTERY_SERVICE
    finally:
        await sensor.stop()
