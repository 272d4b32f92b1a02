"""The real radio: scanning and connecting with bleak (and bleak-retry-connector), behind the link's interfaces.

``backend=`` passes a bleak backend class through (bleak's own test seam); errors become imuhold's typed errors.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from bleak import BleakClient, BleakScanner
from bleak.backends.characteristic import BleakGATTCharacteristic
from bleak.exc import BleakBluetoothNotAvailableError, BleakDBusError, BleakDeviceNotFoundError, BleakError
from bleak_retry_connector import BleakClientWithServiceCache, establish_connection

from imuhold.ble.client import CharacteristicInfo, Discovered, NotifyCallback
from imuhold.ble.errors import BleError, LinkLostError, NoAdapterError, SensorNotFoundError
from imuhold.protocol import recognise

log = logging.getLogger(__name__)

CONNECT_ATTEMPTS = 2
"""bleak-retry-connector's own retries for transient errors inside one link attempt; the link backs off after."""
USE_SERVICES_CACHE = False
"""Never connect with bleak's cached services (bleak-retry-connector passes ``dangerous_use_bleak_cache`` by default):
with them a reconnect returns before BlueZ has checked the sensor's GATT database hash, so the link's start sequence
ran while BlueZ, finding the hash changed, removed and re-created every service object: a WriteValue on a removed
object was never answered, or the StartNotify sessions went with the old objects and nothing flowed (the silent
reconnect, docs/e2e.md). Without the cache bleak waits for ``ServicesResolved``, as on a first connection."""
_ADAPTER_MARKERS = ("org.bluez.Error.NotReady", "No Bluetooth adapters", "not powered", "ServiceUnknown", "adapter")


def adapter_error(exc: BaseException) -> NoAdapterError | None:
    """The NoAdapterError an exception means, or None when it is about something else."""
    if isinstance(exc, BleakBluetoothNotAvailableError):
        return NoAdapterError(f"Bluetooth is not available ({exc.reason.name.lower().replace('_', ' ')})")
    if isinstance(exc, FileNotFoundError | ConnectionRefusedError):
        return NoAdapterError("no Bluetooth service on this computer (BlueZ over D-Bus is not running)")
    if isinstance(exc, BleakDBusError | BleakError) and any(m in str(exc) for m in _ADAPTER_MARKERS):
        return NoAdapterError(f"no usable Bluetooth adapter ({exc})")
    return None


def _ble_error(exc: BaseException, what: str) -> BleError:
    return adapter_error(exc) or LinkLostError(f"{what}: {exc}")


class BleakGattClient:
    """A bleak client behind the link's GattClient interface."""

    def __init__(self, address: str, client: BleakClient) -> None:
        self.address = address
        self._client = client

    @property
    def is_connected(self) -> bool:
        return self._client.is_connected

    @property
    def mtu(self) -> int:
        return self._client.mtu_size  # BlueZ reports 23 even when more was negotiated (bleak#738)

    def characteristics(self) -> dict[str, CharacteristicInfo]:
        found = {}
        for service in self._client.services:
            for char in service.characteristics:
                uuid = char.uuid.lower()
                has_cccd = any(d.uuid.lower().startswith("00002902") for d in char.descriptors)
                found[uuid] = CharacteristicInfo(uuid, frozenset(char.properties), service.uuid.lower(), has_cccd)
        return found

    async def start_notify(self, uuid: str, callback: NotifyCallback) -> None:
        def on_notify(_char: BleakGATTCharacteristic, data: bytearray) -> None:
            callback(uuid, data)  # the link copies the bytes and stamps the time

        try:
            await self._client.start_notify(uuid, on_notify)
        except (BleakError, OSError, TimeoutError) as exc:
            raise _ble_error(exc, f"enabling notifications on {uuid}") from exc

    async def stop_notify(self, uuid: str) -> None:
        try:
            await self._client.stop_notify(uuid)
        except (BleakError, OSError, TimeoutError) as exc:
            raise _ble_error(exc, f"disabling notifications on {uuid}") from exc

    async def read(self, uuid: str) -> bytes:
        try:
            return bytes(await self._client.read_gatt_char(uuid))
        except (BleakError, OSError, TimeoutError) as exc:
            raise _ble_error(exc, f"reading {uuid}") from exc

    async def write(self, uuid: str, data: bytes, response: bool) -> None:
        try:
            await self._client.write_gatt_char(uuid, data, response=response)
        except (BleakError, OSError, TimeoutError) as exc:
            raise _ble_error(exc, f"writing {uuid}") from exc

    async def disconnect(self) -> None:
        try:
            await self._client.disconnect()
        except (BleakError, OSError, TimeoutError) as exc:
            log.debug("disconnect failed: %s", exc)


class BleakConnector:
    """Scans with BleakScanner and connects with bleak-retry-connector's ``establish_connection``."""

    def __init__(self, *, scanner_backend: type | None = None, client_backend: type | None = None) -> None:
        self._scanner_kwargs: dict[str, Any] = {"backend": scanner_backend} if scanner_backend else {}
        self._client_kwargs: dict[str, Any] = {"backend": client_backend} if client_backend else {}

    async def scan(self, timeout_s: float) -> list[Discovered]:
        try:
            found = await BleakScanner.discover(timeout=timeout_s, return_adv=True, **self._scanner_kwargs)
        except Exception as exc:
            raise _ble_error(exc, "scanning failed") from exc
        devices = []
        for device, adv in found.values():
            uuids = frozenset(u.lower() for u in adv.service_uuids)
            companies = frozenset(adv.manufacturer_data)
            name = adv.local_name or device.name
            devices.append(
                Discovered(device.address, name, adv.rssi, uuids, companies, recognise(name, uuids, companies))
            )
        return sorted(devices, key=lambda d: (d.profile is None, -(d.rssi or -999)))

    async def connect(self, address: str, on_disconnect: Callable[[], None], timeout_s: float) -> BleakGattClient:
        try:
            device = await BleakScanner.find_device_by_address(address, timeout=timeout_s, **self._scanner_kwargs)
        except Exception as exc:
            raise _ble_error(exc, f"looking for {address}") from exc
        if device is None:
            raise SensorNotFoundError(address)
        try:
            client = await establish_connection(
                BleakClientWithServiceCache,
                device,
                device.name or address,
                disconnected_callback=lambda _client: on_disconnect(),
                max_attempts=CONNECT_ATTEMPTS,
                use_services_cache=USE_SERVICES_CACHE,
                timeout=timeout_s,
                **self._client_kwargs,
            )
        except BleakDeviceNotFoundError as exc:
            raise SensorNotFoundError(address) from exc
        except Exception as exc:
            raise _ble_error(exc, f"connecting to {address}") from exc
        return BleakGattClient(address, client)
