"""The link against scripted fakes: start sequence, timestamps, overflow, reconnect with backoff, clean stop."""

from __future__ import annotations

import asyncio
import itertools

import pytest

from imuhold.ble import link as link_module
from imuhold.ble.backoff import backoff_s
from imuhold.ble.errors import NoAdapterError, SensorGoneError, SensorNotFoundError, UnsupportedSensorError
from imuhold.ble.link import SensorLink
from imuhold.model import Packet
from imuhold.protocol import imuhold_v1 as v1
from imuhold.protocol import witmotion
from imuhold.protocol.gatt import BATTERY_LEVEL_CHAR_UUID
from imuhold.source import LinkStatus

from .fakes import FakeClient, FakeConnector, not_found

ADDRESS = "AA:BB"
FRAME = v1.encode_quat_acc(0, 0, (1.0, 0.0, 0.0, 0.0), (0.0, 0.0, 9.8))


def make_link(connector: FakeConnector, **kwargs) -> tuple[SensorLink, list[float]]:
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        await asyncio.sleep(0)

    counter = itertools.count(1000)
    kwargs.setdefault("clock_ns", lambda: next(counter))
    return SensorLink(ADDRESS, v1.NAME, connector, sleep=sleep, **kwargs), slept


async def take(stream, n: int) -> list[Packet | LinkStatus]:
    items = []
    async with asyncio.timeout(5):
        async for item in stream:
            items.append(item)
            if len(items) == n:
                break
    return items


async def test_start_sequence_then_packets_stamped_in_the_callback() -> None:
    connector = FakeConnector()
    link, _ = make_link(connector, rate_hz=50)
    stream = link.stream()
    (status,) = await take(stream, 1)
    assert status == LinkStatus(True, link.description, 64, note="firmware 2.1.0, battery 64 %")
    client = connector.clients[0]
    assert [entry[0] for entry in client.log[:5]] == ["read", "subscribe", "subscribe", "write", "write"]
    assert client.log[3][2] == bytes.fromhex("03 32 00") and client.log[4][2] == b"\x01"
    payload = bytearray(FRAME)
    client.notify(v1.MOTION_CHAR_UUID, payload)
    payload[0] = 0xEE  # the stack may reuse its buffer: the link must have copied it
    (packet,) = await take(stream, 1)
    assert packet == Packet(1000, v1.MOTION_CHAR_UUID, FRAME)
    await stream.aclose()


async def test_failed_attempts_back_off_then_connect() -> None:
    connector = FakeConnector(script=[not_found(), not_found(), not_found()])
    link, slept = make_link(connector)
    items = await take(link.stream(), 4)
    assert [i.connected for i in items] == [False, False, False, True]
    assert "retrying in 0.25 s" in items[0].note
    assert slept == [backoff_s(1), backoff_s(2), backoff_s(3)]
    assert link.stats.failed_attempts == 3 and link.stats.connects == 1


async def test_gives_up_after_max_attempts() -> None:
    link, _ = make_link(FakeConnector(script=[not_found()] * 5), max_attempts=2)
    with pytest.raises(SensorNotFoundError):
        await take(link.stream(), 10)


async def test_no_adapter_is_not_retried() -> None:
    connector = FakeConnector(script=[NoAdapterError("none")])
    link, _ = make_link(connector)
    with pytest.raises(NoAdapterError):
        await take(link.stream(), 10)
    assert connector.attempts == 1


async def test_an_adapter_gone_mid_session_is_waited_for() -> None:
    connector = FakeConnector(script=[None, NoAdapterError("not powered"), NoAdapterError("not powered")])
    link, slept = make_link(connector)
    stream = link.stream()
    await take(stream, 1)
    connector.clients[0].drop()  # the adapter was powered off
    items = await take(stream, 4)
    assert [i.connected for i in items] == [False, False, False, True]
    assert "not powered; retrying" in items[1].note
    assert slept == [backoff_s(1), backoff_s(2)] and link.stats.connects == 2
    await stream.aclose()


async def test_a_sensor_of_another_protocol_is_refused_and_disconnected() -> None:
    def other(address, on_disconnect):
        client = FakeClient(address, on_disconnect)
        client.values[v1.INFO_CHAR_UUID] = bytes.fromhex("02 00 06 00 19 00 c8 00 64 00 00")
        return client

    connector = FakeConnector(make_client=other)
    link, _ = make_link(connector)
    with pytest.raises(UnsupportedSensorError, match="major"):
        await take(link.stream(), 10)
    assert connector.clients[0].log[-1][0] == "disconnect"


async def test_a_sensor_missing_a_characteristic_is_refused() -> None:
    def bare(address, on_disconnect):
        client = FakeClient(address, on_disconnect)
        del client.chars[v1.CONTROL_CHAR_UUID]
        return client

    link, _ = make_link(FakeConnector(make_client=bare))
    with pytest.raises(UnsupportedSensorError, match="does not look like"):
        await take(link.stream(), 10)


async def test_a_drop_reconnects_and_sends_start_again() -> None:
    connector = FakeConnector(script=[None, not_found()])
    link, slept = make_link(connector)
    stream = link.stream()
    await take(stream, 1)
    connector.clients[0].notify(v1.MOTION_CHAR_UUID, FRAME)
    connector.clients[0].drop()
    items = await take(stream, 4)
    assert isinstance(items[0], Packet)
    assert [(i.connected, i.note.split(";")[0]) for i in items[1:]] == [
        (False, "connection lost"),
        (False, f"no sensor at {ADDRESS} (is it on, in range, and not connected elsewhere?)"),
        (True, "firmware 2.1.0, battery 64 %"),
    ]
    assert slept == [backoff_s(1)]
    # the dropped client is disconnected too (bleak then closes its D-Bus connection: bleak issue #2002)
    assert connector.clients[0].log[-1][0] == "disconnect"
    assert ("write", v1.CONTROL_CHAR_UUID, b"\x01") in connector.clients[1].log
    assert link.stats.drops == 1 and len(link.stats.reconnect_s) == 1
    await stream.aclose()


async def test_overflow_is_counted_and_reported() -> None:
    connector = FakeConnector()
    clock = itertools.count(0, 600_000_000)
    link, _ = make_link(connector, queue_packets=4, clock_ns=lambda: next(clock))
    stream = link.stream()
    await take(stream, 1)
    for i in range(10):
        connector.clients[0].notify(v1.MOTION_CHAR_UUID, v1.encode_quat_acc(i, i, (1.0, 0.0, 0.0, 0.0), (0, 0, 9.8)))
    items = await take(stream, 5)
    assert link.stats.overflow == 6
    assert sum(isinstance(i, Packet) for i in items) == 4
    assert any(isinstance(i, LinkStatus) and "6 packets dropped" in i.note for i in items)
    await stream.aclose()


async def test_a_notification_delivered_twice_is_dropped_and_counted() -> None:
    connector = FakeConnector()
    times_ns = iter([0, 10_000_000, 210_000_000, 220_000_000, 1_300_000_000])
    link, _ = make_link(connector, clock_ns=lambda: next(times_ns))
    stream = link.stream()
    await take(stream, 1)
    other = v1.encode_quat_acc(1, 10_000, (1.0, 0.0, 0.0, 0.0), (0.0, 0.0, 9.8))
    client = connector.clients[0]
    for payload in (FRAME, other, other, FRAME, FRAME):  # at 0, 10, 210, 220 and 1300 ms
        client.notify(v1.MOTION_CHAR_UUID, payload)
    packets = await take(stream, 4)
    assert [(p.t_host_ns, p.payload) for p in packets] == [
        (0, FRAME),
        (10_000_000, other),
        (220_000_000, FRAME),  # the same bytes again, but not right after themselves
        (1_300_000_000, FRAME),  # the same bytes over a second later: a new notification
    ]
    assert link.stats.duplicates == 1 and link.stats.packets == 4
    await stream.aclose()


def test_a_counterless_profile_keeps_notifications_that_repeat_their_bytes() -> None:
    link = SensorLink(ADDRESS, witmotion.NAME, FakeConnector(), clock_ns=lambda: 0)
    for _ in range(3):  # a WitMotion lying still can send the same bytes: they cannot be told from copies
        link._on_notify(witmotion.DATA_CHAR_UUID, FRAME)
    assert link.pending_packets() == 3 and link.stats.duplicates == 0


async def test_stop_sends_the_stop_sequence_and_disconnects() -> None:
    connector = FakeConnector()
    link, _ = make_link(connector)
    stream = link.stream()
    await take(stream, 1)
    await link.stop()
    assert await take(stream, 10) == []
    log = connector.clients[0].log
    assert log[-4:] == [
        ("write", v1.CONTROL_CHAR_UUID, b"\x02"),
        ("unsubscribe", v1.MOTION_CHAR_UUID, b""),
        ("unsubscribe", v1.CONTROL_CHAR_UUID, b""),
        ("disconnect", "", b""),
    ]


async def test_a_failing_gatt_operation_while_starting_is_a_lost_connection() -> None:
    def flaky(address, on_disconnect):
        client = FakeClient(address, on_disconnect)
        client.fail_writes = len(connector.clients) == 0
        return client

    connector = FakeConnector(make_client=flaky)
    link, _ = make_link(connector)
    items = await take(link.stream(), 2)
    assert [i.connected for i in items] == [False, True]


def test_rate_the_sensor_cannot_do_fails_at_once() -> None:
    with pytest.raises(ValueError, match="60"):
        SensorLink(ADDRESS, "movella-dot", FakeConnector(), rate_hz=100)


def test_backoff_grows_and_caps() -> None:
    assert [backoff_s(k) for k in range(0, 8)] == [0.0, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 8.0]


async def test_gives_up_once_out_of_reach_for_too_long() -> None:
    clock = itertools.count(0.0, 7.0)  # each look at the clock is 7 s later
    connector = FakeConnector(script=[not_found()] * 10)
    link, _ = make_link(connector, give_up_after_s=20.0, monotonic=lambda: next(clock))
    with pytest.raises(SensorGoneError) as caught:
        await take(link.stream(), 10)
    assert caught.value.sensor == link.description and caught.value.gone_s >= 20.0
    assert connector.attempts == 3
    assert "no connection for 21 s, gave up" in str(caught.value)


async def test_the_time_out_of_reach_counts_from_the_last_drop() -> None:
    now = [0.0]
    connector = FakeConnector(script=[None, not_found(), not_found()])
    link, _ = make_link(connector, give_up_after_s=5.0, monotonic=lambda: now[0])
    stream = link.stream()
    await take(stream, 1)
    now[0] = 100.0  # streaming for long does not count
    connector.clients[0].drop()
    (lost,) = await take(stream, 1)
    now[0] = 103.0
    (failed,) = await take(stream, 1)
    assert (lost.connected, failed.connected) == (False, False)  # 3 s after the drop: still trying
    now[0] = 106.0
    with pytest.raises(SensorGoneError):
        await take(stream, 10)


class SilentBattery(FakeClient):
    """A sensor whose battery read never answers."""

    async def read(self, uuid: str) -> bytes:
        if uuid == BATTERY_LEVEL_CHAR_UUID:
            await asyncio.Event().wait()
        return await super().read(uuid)


async def test_device_information_that_never_comes_does_not_stop_the_stream(monkeypatch) -> None:
    monkeypatch.setattr(link_module, "INFO_TIMEOUT_S", 0.05)
    connector = FakeConnector(make_client=SilentBattery)
    link, _ = make_link(connector, rate_hz=50)
    stream = link.stream()
    (status,) = await take(stream, 1)
    assert status.connected and status.battery_pct is None  # streaming without it
    connector.clients[0].notify(v1.MOTION_CHAR_UUID, FRAME)
    (packet,) = await take(stream, 1)
    assert packet.payload == FRAME
    await stream.aclose()


class SilentControl(FakeClient):
    """A sensor that accepts the connection but never answers the start command."""

    async def write(self, uuid: str, data: bytes, response: bool) -> None:
        await asyncio.Event().wait()


async def test_a_start_sequence_that_never_answers_is_retried() -> None:
    connector = FakeConnector(make_client=SilentControl)
    link, slept = make_link(connector, rate_hz=50, connect_timeout_s=0.05)
    stream = link.stream()
    first, second = await take(stream, 2)
    assert not first.connected and "timed out after 0.05 s" in first.note
    assert connector.clients[0].log[-1][0] == "disconnect"
    assert connector.attempts == 2 and slept[0] == backoff_s(1) and not second.connected
    await stream.aclose()


async def test_a_connected_sensor_that_sends_nothing_is_reconnected() -> None:
    connector = FakeConnector()
    link, _ = make_link(connector, rate_hz=50, stall_s=0.05)
    stream = link.stream()
    connected, stalled, reconnected = await take(stream, 3)
    assert connected.connected and reconnected.connected
    assert not stalled.connected and stalled.note == "no data for 0.05 s; reconnecting"
    assert connector.clients[0].log[-1][0] == "disconnect" and not connector.clients[0].connected
    connector.clients[1].notify(v1.MOTION_CHAR_UUID, FRAME)
    (packet,) = await take(stream, 1)
    assert packet.payload == FRAME
    assert (link.stats.drops, link.stats.stalls, link.stats.connects) == (1, 1, 2)
    await stream.aclose()
