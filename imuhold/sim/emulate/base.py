"""The shared machinery of every emulated sensor: a bumble GATT server that advertises, paces and notifies."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid as uuidlib
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field

from bumble import gatt
from bumble.core import UUID, AdvertisingData
from bumble.device import Connection, Device
from bumble.profiles.battery_service import BatteryService
from bumble.profiles.device_information_service import DeviceInformationService

from imuhold.model import Quat, Vec3
from imuhold.sim.emulate.motion import MotionTrack
from imuhold.sim.emulate.sendlog import SentNotification
from imuhold.sim.emulate.write_permissions import refuse_unpermitted_writes

Frame = tuple[float, Quat, Vec3]

log = logging.getLogger(__name__)

Props = gatt.Characteristic.Properties
ADV_MAX_BYTES = 31
LAG_RESET_S = 2.0
"""When the event loop falls this far behind the sensor clock, the pacing restarts (the samples in between are never
sent); less far behind, the late samples go out in a burst, with their own sensor times, as a real sensor's queued
notifications arrive after a stall. (At 0.5 s, a starved e2e guest skipped half a second of samples again and again,
and each skip reached imuhold as a gap in the data that a real sensor would not have made: docs/e2e.md.)"""


def full_uuid(uuid: UUID) -> str:
    """A bumble UUID as the lower-case 128-bit string that bleak reports (16-bit SIG UUIDs expanded)."""
    return str(uuidlib.UUID(bytes=uuid.to_bytes(force_128=True)[::-1]))


@dataclass(slots=True)
class EmulatorStats:
    """What the sensor did: notifications and frames sent, connections, and every write it received."""

    notifications: int = 0
    frames: int = 0
    connections: int = 0
    disconnections: int = 0
    refused: int = 0
    writes: list[tuple[str, bytes]] = field(default_factory=list)


class EmulatedSensor:
    """Base class: subclasses add their services and ``tick`` (called at ``rate_hz`` of sensor time).

    ``speed`` runs the sensor clock faster than the wall clock (tests); the sensor clock starts at 0 when
    ``start`` is called and keeps running while idle or disconnected, like a real device's.
    """

    profile = ""
    default_name = "sensor"
    rate_hz = 100.0

    def __init__(
        self,
        motion: MotionTrack,
        *,
        name: str | None = None,
        speed: float = 1.0,
        battery_pct: int = 87,
        record: bool = False,
    ):
        if not speed > 0:
            raise ValueError(f"speed must be positive, got {speed}")
        self.motion = motion
        self.name = name or self.default_name
        self.speed = speed
        self.battery_pct = battery_pct
        self.stats = EmulatorStats()
        self.record = record
        self.sent: list[Frame] = []
        """With ``record``: the motion of every frame notified, in order (sensor time, quaternion, specific force)."""
        self.on_sent: Callable[[SentNotification], None] | None = None
        """Called after every notification (``imuhold emulate --send-log`` writes them to a file)."""
        self.device: Device | None = None
        self.connection: Connection | None = None
        self.subscribed: set[str] = set()
        self._chars: dict[str, gatt.Characteristic] = {}
        self._task: asyncio.Task[None] | None = None
        self.advertising = False
        self.refuse_connections = False
        """Drop every connection as soon as it is made (a sensor that advertises but will not talk)."""
        self._readvertise: asyncio.Task[None] | None = None
        self._refusal: asyncio.Task[None] | None = None
        self._t0 = 0.0

    # -- set-up --------------------------------------------------------------------------------------------------
    def services(self) -> list[gatt.Service]:
        raise NotImplementedError

    def advertising_data(self) -> tuple[AdvertisingData, AdvertisingData | None]:
        """Advertising data and scan response; by default flags plus the complete local name."""
        return AdvertisingData([(AdvertisingData.FLAGS, bytes([0x06])), self._name_field()]), None

    def _name_field(self) -> tuple[int, bytes]:
        return (AdvertisingData.COMPLETE_LOCAL_NAME, self.name.encode())

    def _with_short_name(self, adv: AdvertisingData) -> bytes:
        """The advertising data, plus as much of the name as fits when it has none (bumble's in-process
        controller answers scan requests with the advertising data, so a name only in the scan response is lost).
        """
        data = bytes(adv)
        room = ADV_MAX_BYTES - len(data) - 2
        has_name = adv.get(AdvertisingData.COMPLETE_LOCAL_NAME) or adv.get(AdvertisingData.SHORTENED_LOCAL_NAME)
        if has_name or room <= 0:
            return data
        name = self.name.encode()
        kind = AdvertisingData.COMPLETE_LOCAL_NAME if len(name) <= room else AdvertisingData.SHORTENED_LOCAL_NAME
        return data + bytes(AdvertisingData([(kind, name[:room])]))

    def standard_services(self) -> list[gatt.Service]:
        return [
            BatteryService(lambda _connection: self.battery_pct),
            DeviceInformationService(manufacturer_name="imuhold", model_number=self.profile, firmware_revision="1.0.0"),
        ]

    def characteristic(
        self,
        uuid: str,
        properties: Props,
        *,
        read: Callable[[], bytes] | None = None,
        write: Callable[[bytes], Awaitable[None] | None] | None = None,
    ) -> gatt.Characteristic:
        """A characteristic that logs writes and hands them (and reads) to the subclass."""
        permissions = gatt.Characteristic.Permissions(0)
        if read is not None or properties & Props.NOTIFY:
            permissions |= gatt.Characteristic.READABLE
        if write is not None:
            permissions |= gatt.Characteristic.WRITEABLE

        def on_read(_connection: Connection) -> bytes:
            return read() if read is not None else b""

        async def on_write(_connection: Connection, value: bytes) -> None:
            data = bytes(value)
            self.stats.writes.append((uuid, data))
            if write is not None:
                result = write(data)
                if result is not None:
                    await result

        value = gatt.CharacteristicValue(read=on_read, write=on_write if write is not None else None)
        char = gatt.Characteristic(uuid, properties, permissions, value)
        self._chars[uuid] = char
        return char

    # -- life cycle ----------------------------------------------------------------------------------------------
    async def start(self, device: Device) -> None:
        """Add the services to ``device``, power it on, advertise and start the sensor clock."""
        self.device = device
        device.add_services([*self.services(), *self.standard_services()])
        refuse_unpermitted_writes(device.gatt_server)
        device.on("connection", self._on_connection)
        device.on("characteristic_subscription", self._on_subscription)
        await device.power_on()
        self.advertising = True
        await self._advertise()
        self._t0 = asyncio.get_running_loop().time()
        self._task = asyncio.create_task(self._run(), name=f"emulated {self.profile}")

    async def _advertise(self) -> None:
        """Advertise until a central connects (the sensor advertises again after every disconnection)."""
        assert self.device is not None
        adv, scan_response = self.advertising_data()
        await self.device.start_advertising(
            advertising_data=self._with_short_name(adv),
            scan_response_data=bytes(scan_response) if scan_response else b"",
            advertising_interval_min=100,
            advertising_interval_max=100,
        )

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def vanish(self) -> None:
        """Stop advertising, disconnect and stop the clock, for good: a sensor switched off or carried away."""
        await self.go_away()
        await self.stop()

    async def go_away(self) -> None:
        """Out of range: stop advertising and disconnect; the clock runs on (``come_back`` ends it)."""
        self.advertising = False
        if self._readvertise is not None:  # advertising again after a drop: let it finish, then stop it
            with contextlib.suppress(Exception):
                await self._readvertise
        if self.device is not None:
            await self.device.stop_advertising()
        await self.force_disconnect()

    async def come_back(self) -> None:
        """Back in range: advertise again."""
        self.advertising = True
        if self.connection is None:
            await self._advertise()

    async def force_disconnect(self) -> None:
        """Drop the connection from the sensor's side (as a link loss would)."""
        if self.connection is not None:
            await self.connection.disconnect()

    def sensor_time_s(self) -> float:
        return (asyncio.get_running_loop().time() - self._t0) * self.speed

    # -- events --------------------------------------------------------------------------------------------------
    def _on_connection(self, connection: Connection) -> None:
        self.connection = connection
        self.stats.connections += 1
        connection.on("disconnection", lambda _reason: self._on_disconnection(connection))
        if self.refuse_connections:
            self.stats.refused += 1
            self._refusal = asyncio.create_task(connection.disconnect())

    def _on_disconnection(self, connection: Connection) -> None:
        if self.connection is connection:
            self.connection = None
        self.stats.disconnections += 1
        self.subscribed.clear()
        self.on_disconnect()
        if self.advertising:
            self._readvertise = asyncio.create_task(self._advertise())

    def _on_subscription(
        self, _connection: Connection, characteristic: gatt.Characteristic, notify: bool, indicate: bool
    ) -> None:
        uuid = full_uuid(characteristic.uuid)
        if notify or indicate:
            self.subscribed.add(uuid)
        else:
            self.subscribed.discard(uuid)
        self.on_subscription(uuid, notify or indicate)

    def on_disconnect(self) -> None:
        """Back to idle (subclasses reset their streaming state)."""

    def on_subscription(self, uuid: str, enabled: bool) -> None:
        """Notifications on ``uuid`` were enabled or disabled."""

    # -- streaming -----------------------------------------------------------------------------------------------
    async def notify(self, uuid: str, value: bytes, frames: int = 1, truth: Iterable[Frame] = ()) -> bool:
        """Notify ``value`` on ``uuid`` if the central subscribed; True when sent. ``truth``: the frames' motion."""
        if self.device is None or uuid not in self.subscribed or self.connection is None:
            return False
        t_send_ns = time.monotonic_ns()
        await self.device.notify_subscribers(self._chars[uuid], value)
        self.stats.notifications += 1
        self.stats.frames += frames
        truth = list(truth)
        if self.record:
            self.sent.extend(truth)
        if self.on_sent is not None:
            sensor_t_s = truth[0][0] if truth else None
            self.on_sent(SentNotification(t_send_ns, sensor_t_s, frames, uuid, bytes(value)))
        return True

    async def tick(self, t_s: float) -> None:
        """One sensor period at sensor time ``t_s``."""
        raise NotImplementedError

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        next_wall = loop.time()
        while True:
            t_s = (next_wall - self._t0) * self.speed
            try:
                await self.tick(t_s)
            except Exception:  # a dropped connection mid-notify must not stop the sensor
                log.debug("emulated %s: tick failed", self.profile, exc_info=True)
            next_wall += 1.0 / (self.rate_hz * self.speed)
            delay = next_wall - loop.time()
            if delay < -LAG_RESET_S:
                next_wall = loop.time()
            await asyncio.sleep(max(0.0, delay))
