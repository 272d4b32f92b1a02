"""The live link to one paired sensor, as a PacketSource: connect, start, stream, reconnect with backoff, stop.

The notify callback does the least possible: it stamps the host time, drops (and counts) a notification delivered
twice, and queues a copy of the bytes. The queue is bounded; when the consumer falls behind, new packets are dropped and
counted (reported as a link status).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

from imuhold.ble.backoff import backoff_s
from imuhold.ble.client import Connector, GattClient
from imuhold.ble.device_info import DeviceInfo, read_device_info
from imuhold.ble.errors import BleError, LinkLostError, NoAdapterError, SensorGoneError, UnsupportedSensorError
from imuhold.ble.steps import run_steps
from imuhold.model import Packet
from imuhold.protocol import get_link, get_profile
from imuhold.source import LinkStatus

log = logging.getLogger(__name__)

QUEUE_PACKETS = 4096
"""About 40 s of a 100 Hz sensor: the consumer would have to stall for that long before anything is dropped."""
CONNECT_TIMEOUT_S = 10.0
STOP_TIMEOUT_S = 2.0
INFO_TIMEOUT_S = 3.0
"""Battery and device information are nice to have: a read that does not answer in this time is given up and the
sensor streams without them (the e2e VM saw a reconnect stall after notifications had resumed)."""
STALL_S = 3.0
"""A connected sensor that sends nothing for this long has stalled (the stack says connected, no data flows: seen
after a reconnect in the e2e VM); the link drops that connection and reconnects. Sensors stream at 10 Hz or more."""
DUPLICATE_WINDOW_NS = 1_000_000_000
"""For a profile whose data notifications are numbered (``LinkSpec.numbered``): one with the same bytes on the same
characteristic as the one just before it, within this time, is the stack delivering one notification twice (BlueZ
with a stale notify session: see ``_release``). In the e2e VM the two copies came 0.06–207 ms apart, always adjacent.
A counter-less profile can repeat its bytes (a sensor lying still): there a copy cannot be told and is kept."""
OVERFLOW_REPORT_NS = 1_000_000_000
_LOST = object()


@dataclass(slots=True)
class LinkStats:
    """Counts over the life of the link; ``reconnect_s`` holds, per drop, the time until streaming resumed."""

    packets: int = 0
    overflow: int = 0
    connects: int = 0
    drops: int = 0
    stalls: int = 0
    """Drops that were a connected sensor sending nothing for ``STALL_S`` (also counted in ``drops``)."""
    failed_attempts: int = 0
    duplicates: int = 0
    """Notifications the stack delivered twice; the copies were dropped before the queue."""
    reconnect_s: list[float] = field(default_factory=list)


class SensorLink:
    """Streams packets from the sensor at ``address`` speaking ``profile``; reconnects until ``stop()``.

    ``max_attempts`` bounds consecutive failed connection attempts (None: forever); ``give_up_after_s`` bounds the
    time without a connection (from the start or the last drop, on ``monotonic``): the first attempt that fails after
    it ends the stream with SensorGoneError. A sensor that answers but speaks another protocol
    (UnsupportedSensorError) ends the stream at once, and so does a missing adapter (NoAdapterError) before the first
    connection; after it (the adapter powered off, BlueZ restarted) the link retries as for a lost connection.
    """

    def __init__(
        self,
        address: str,
        profile: str,
        connector: Connector,
        *,
        rate_hz: float | None = None,
        queue_packets: int = QUEUE_PACKETS,
        connect_timeout_s: float = CONNECT_TIMEOUT_S,
        stall_s: float = STALL_S,
        max_attempts: int | None = None,
        give_up_after_s: float | None = None,
        backoff: Callable[[int], float] = backoff_s,
        clock_ns: Callable[[], int] = time.monotonic_ns,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        read_info: bool = True,
    ) -> None:
        self.address = address
        self.profile = profile
        self.spec = get_link(profile)
        self.rate_hz = rate_hz or get_profile(profile).nominal_rate_hz
        self.start_steps = self.spec.start(rate_hz)  # ValueError now for a rate the sensor cannot do
        self.description = f"{profile} {address}"
        self.connector = connector
        self.connect_timeout_s = connect_timeout_s
        self.stall_s = stall_s
        self.max_attempts = max_attempts
        self.give_up_after_s = give_up_after_s
        self.backoff = backoff
        self.clock_ns = clock_ns
        self.monotonic = monotonic
        self.sleep = sleep
        self.read_info = read_info
        self.stats = LinkStats()
        self.info = DeviceInfo()
        self._queue: asyncio.Queue[object] = asyncio.Queue(maxsize=queue_packets)
        self._client: GattClient | None = None
        self._stopping = False
        self._stalled = False
        self._reported_overflow = 0
        self._last_report_ns = 0
        self._last_notify: dict[str, tuple[int, bytes]] = {}
        self._numbered = get_profile(profile).data_characteristics if self.spec.numbered else frozenset()

    # -- the notify path (runs on every notification: keep it tiny) -----------------------------------------------
    def _on_notify(self, uuid: str, data: bytes) -> None:
        t_ns, payload = self.clock_ns(), bytes(data)
        if uuid in self._numbered:
            last = self._last_notify.get(uuid)
            if last is not None and last[1] == payload and t_ns - last[0] < DUPLICATE_WINDOW_NS:
                self.stats.duplicates += 1
                return
            self._last_notify[uuid] = (t_ns, payload)
        packet = Packet(t_ns, uuid, payload)
        try:
            self._queue.put_nowait(packet)
        except asyncio.QueueFull:
            self.stats.overflow += 1

    def _on_disconnect(self) -> None:
        if self._queue.full():
            with contextlib.suppress(asyncio.QueueEmpty):
                self._queue.get_nowait()
                self.stats.overflow += 1
        self._queue.put_nowait(_LOST)

    # -- the stream ----------------------------------------------------------------------------------------------
    async def stream(self) -> AsyncIterator[Packet | LinkStatus]:
        attempt = 0
        dropped_at: float | None = None
        unreachable_since = self.monotonic()
        try:
            while not self._stopping:
                try:
                    await self._connect_and_start()
                except UnsupportedSensorError:
                    raise
                except BleError as exc:
                    if isinstance(exc, NoAdapterError) and not self.stats.connects:
                        raise  # no adapter from the start; mid-session (powered off, BlueZ restarting) it is waited for
                    attempt += 1
                    self.stats.failed_attempts += 1
                    if self.max_attempts is not None and attempt >= self.max_attempts:
                        raise
                    self._give_up_if_gone(unreachable_since, exc)
                    delay = self.backoff(attempt)
                    yield LinkStatus(False, self.description, note=f"{exc}; retrying in {delay:.2g} s")
                    await self.sleep(delay)
                    continue
                attempt = 0
                self.stats.connects += 1
                if dropped_at is not None:
                    self.stats.reconnect_s.append(self.monotonic() - dropped_at)
                yield LinkStatus(True, self.description, self.info.battery_pct, note=self.info.summary())
                async for packet in self._pump():
                    yield packet
                    if self.stats.overflow != self._reported_overflow:
                        status = self._overflow_status()
                        if status is not None:
                            yield status
                if self._stopping:
                    break
                self.stats.drops += 1
                dropped_at = unreachable_since = self.monotonic()
                note = "connection lost; reconnecting"
                if self._stalled:  # connected, but nothing came
                    self.stats.stalls += 1
                    note = f"no data for {self.stall_s:g} s; reconnecting"
                await self._release()
                yield LinkStatus(False, self.description, note=note)
        finally:
            await self._shutdown()

    async def _pump(self) -> AsyncIterator[Packet]:
        """Packets until the connection is lost, or nothing has come for ``stall_s``."""
        queue = self._queue
        self._stalled = False
        while True:
            try:
                async with asyncio.timeout(self.stall_s):
                    item = await queue.get()
            except TimeoutError:
                self._stalled = True
                return
            if item is _LOST:
                return
            assert isinstance(item, Packet)
            self.stats.packets += 1
            yield item

    def _give_up_if_gone(self, unreachable_since: float, exc: BleError) -> None:
        if self.give_up_after_s is None:
            return
        gone_s = self.monotonic() - unreachable_since
        if gone_s >= self.give_up_after_s:
            raise SensorGoneError(self.description, gone_s) from exc

    def _overflow_status(self) -> LinkStatus | None:
        now = self.clock_ns()
        if now - self._last_report_ns < OVERFLOW_REPORT_NS:
            return None
        self._last_report_ns = now
        self._reported_overflow = self.stats.overflow
        note = f"falling behind: {self.stats.overflow} packets dropped from a full queue"
        return LinkStatus(True, self.description, self.info.battery_pct, note=note)

    async def _connect_and_start(self) -> None:
        self._drain()
        client = await self.connector.connect(self.address, self._on_disconnect, self.connect_timeout_s)
        self._client = client
        try:
            async with asyncio.timeout(self.connect_timeout_s):
                await run_steps(client, self.start_steps, self._on_notify, self.profile, self.sleep)
            if self.read_info:
                await self._read_info(client)
        except TimeoutError as exc:
            await self._disconnect(client)
            raise LinkLostError(f"starting {self.description} timed out after {self.connect_timeout_s:g} s") from exc
        except UnsupportedSensorError:
            await self._disconnect(client)
            raise
        except BleError:
            await self._disconnect(client)
            raise
        except Exception as exc:  # a GATT operation failed half-way: treat as a lost connection
            await self._disconnect(client)
            raise LinkLostError(f"starting {self.description} failed: {exc}") from exc

    async def _read_info(self, client: GattClient) -> None:
        """Battery and device information, or what was known before if the sensor does not answer in time."""
        try:
            async with asyncio.timeout(INFO_TIMEOUT_S):
                self.info = await read_device_info(client)
        except TimeoutError:
            log.warning("%s: no device information within %g s; streaming without it", self.description, INFO_TIMEOUT_S)

    async def _release(self) -> None:
        """Disconnect the client of a connection that dropped or stalled, before connecting again.

        Also after the sensor dropped it: bleak (since 3.0, PR #1923) keeps a connection's own D-Bus connection open
        after a peripheral-initiated disconnect until ``disconnect()`` is called, and BlueZ re-enables the StartNotify
        session of a D-Bus client still there on the next connection; with the new session every notification
        then arrives twice (bleak issue #2002; traced in docs/e2e.md). ``disconnect()`` closes that D-Bus connection.
        """
        if self._client is not None:
            await self._disconnect(self._client)
        self._client = None
        self._last_notify.clear()

    def _drain(self) -> None:
        while not self._queue.empty():
            self._queue.get_nowait()

    async def _disconnect(self, client: GattClient) -> None:
        self._client = None
        with contextlib.suppress(Exception):
            async with asyncio.timeout(self.connect_timeout_s):
                await client.disconnect()

    def pending_packets(self) -> int:
        """Packets received but not yet taken from the queue (for accounting at the end of a run)."""
        return sum(isinstance(item, Packet) for item in list(self._queue._queue))  # type: ignore[attr-defined]

    async def stop(self) -> None:
        """Ask the stream to end: it sends the profile's stop sequence and disconnects."""
        self._stopping = True
        self._on_disconnect()

    async def _shutdown(self) -> None:
        self._stopping = True
        client, self._client = self._client, None
        if client is None:
            return
        try:
            async with asyncio.timeout(STOP_TIMEOUT_S):
                if client.is_connected:
                    await run_steps(client, self.spec.stop(), self._on_notify, self.profile, self.sleep)
        except Exception as exc:  # stopping a sensor that is going away anyway
            log.debug("stop sequence failed: %s", exc)
        await self._disconnect(client)
