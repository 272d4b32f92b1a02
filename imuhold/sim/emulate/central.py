"""A bumble central behind the link's Connector/GattClient interface, for tests and benchmarks without hardware."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

from bumble import gatt
from bumble.core import AdvertisingData
from bumble.device import Advertisement, Connection, Device, Peer
from bumble.gatt_client import CharacteristicProxy
from bumble.hci import Address

from imuhold.ble.client import CharacteristicInfo, Discovered, NotifyCallback
from imuhold.ble.errors import LinkLostError, SensorNotFoundError
from imuhold.protocol import recognise
from imuhold.sim.emulate.base import full_uuid

Props = gatt.Characteristic.Properties
PROPERTY_NAMES = {
    Props.READ: "read",
    Props.WRITE: "write",
    Props.WRITE_WITHOUT_RESPONSE: "write-without-response",
    Props.NOTIFY: "notify",
    Props.INDICATE: "indicate",
}
MTU = 247
_UUID_FIELDS = (
    AdvertisingData.COMPLETE_LIST_OF_128_BIT_SERVICE_CLASS_UUIDS,
    AdvertisingData.INCOMPLETE_LIST_OF_128_BIT_SERVICE_CLASS_UUIDS,
    AdvertisingData.COMPLETE_LIST_OF_16_BIT_SERVICE_CLASS_UUIDS,
    AdvertisingData.INCOMPLETE_LIST_OF_16_BIT_SERVICE_CLASS_UUIDS,
)


def _address(address: Address) -> str:
    return str(address).split("/")[0]


def _uuids(data: AdvertisingData) -> set[str]:
    found: set[str] = set()
    for kind in _UUID_FIELDS:
        for uuid in data.get_all(kind) or ():
            found.update(full_uuid(u) for u in (uuid if isinstance(uuid, list) else [uuid]))
    return found


class BumbleGattClient:
    """A connection made by a bumble central; characteristic UUIDs are lower-case 128-bit strings."""

    def __init__(self, address: str, connection: Connection, peer: Peer) -> None:
        self.address = address
        self._connection = connection
        self._peer = peer
        self._chars: dict[str, CharacteristicProxy] = {}
        self._info: dict[str, CharacteristicInfo] = {}
        self._subscribers: dict[str, Callable[[bytes], None]] = {}
        self._mtu = 23

    async def setup(self) -> None:
        self._mtu = await self._peer.request_mtu(MTU)
        await self._peer.discover_services()
        for service in self._peer.services:
            await service.discover_characteristics()
            for char in service.characteristics:
                uuid = full_uuid(char.uuid)
                props = frozenset(name for flag, name in PROPERTY_NAMES.items() if char.properties & flag)
                self._chars[uuid] = char
                self._info[uuid] = CharacteristicInfo(uuid, props, full_uuid(service.uuid))

    @property
    def is_connected(self) -> bool:
        return self._connection.handle in (self._connection.device.connections or {})

    @property
    def mtu(self) -> int:
        return self._mtu

    def characteristics(self) -> dict[str, CharacteristicInfo]:
        return dict(self._info)

    def _char(self, uuid: str) -> CharacteristicProxy:
        try:
            return self._chars[uuid]
        except KeyError:
            raise LinkLostError(f"the sensor has no characteristic {uuid}") from None

    async def start_notify(self, uuid: str, callback: NotifyCallback) -> None:
        def subscriber(value: bytes) -> None:
            callback(uuid, bytes(value))

        self._subscribers[uuid] = subscriber
        await self._peer.subscribe(self._char(uuid), subscriber)

    async def stop_notify(self, uuid: str) -> None:
        subscriber = self._subscribers.pop(uuid, None)
        await self._peer.unsubscribe(self._char(uuid), subscriber)

    async def read(self, uuid: str) -> bytes:
        return bytes(await self._peer.read_value(self._char(uuid)))

    async def write(self, uuid: str, data: bytes, response: bool) -> None:
        await self._peer.write_value(self._char(uuid), data, with_response=response)

    async def disconnect(self) -> None:
        if not self.is_connected:  # dropped already: bumble would wait for a disconnection that never comes
            return
        with contextlib.suppress(Exception):
            await self._connection.disconnect()


class BumbleConnector:
    """Scans and connects through a bumble central device."""

    def __init__(self, device: Device) -> None:
        self.device = device

    async def scan(self, timeout_s: float) -> list[Discovered]:
        seen: dict[str, Discovered] = {}

        def on_advertisement(advertisement: Advertisement) -> None:
            address = _address(advertisement.address)
            data = advertisement.data
            before = seen.get(address)
            uuids = _uuids(data) | (before.service_uuids if before else set())
            in_adv = None if before is None else before.advertised_uuids
            if not advertisement.is_scan_response:
                in_adv = frozenset(_uuids(data)) | (in_adv or frozenset())
            name = data.get(AdvertisingData.COMPLETE_LOCAL_NAME) or data.get(AdvertisingData.SHORTENED_LOCAL_NAME)
            name = name or (before.name if before else None)
            manufacturer = data.get(AdvertisingData.MANUFACTURER_SPECIFIC_DATA)
            companies = frozenset({manufacturer[0]}) if manufacturer else frozenset()
            companies |= before.manufacturer_ids if before else frozenset()
            seen[address] = Discovered(
                address,
                name,
                advertisement.rssi,
                frozenset(uuids),
                companies,
                recognise(name, frozenset(uuids), companies),
                in_adv,
            )

        self.device.on("advertisement", on_advertisement)
        await self.device.start_scanning(active=True, filter_duplicates=False)
        try:
            await asyncio.sleep(timeout_s)
        finally:
            await self.device.stop_scanning()
            self.device.remove_listener("advertisement", on_advertisement)
        return sorted(seen.values(), key=lambda d: d.address)

    async def connect(self, address: str, on_disconnect: Callable[[], None], timeout_s: float) -> BumbleGattClient:
        try:
            async with asyncio.timeout(timeout_s):
                connection = await self.device.connect(Address(address), timeout=timeout_s)
        except (TimeoutError, Exception) as exc:
            raise SensorNotFoundError(address) from exc
        connection.on("disconnection", lambda _reason: on_disconnect())
        client = BumbleGattClient(address, connection, Peer(connection))
        try:
            async with asyncio.timeout(timeout_s):
                await client.setup()
        except (TimeoutError, Exception) as exc:
            await client.disconnect()
            raise LinkLostError(f"GATT discovery on {address} failed: {exc}") from exc
        return client
