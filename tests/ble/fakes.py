"""Scripted fakes of the BLE stack for link tests: a connector whose attempts fail or succeed as told."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from imuhold.ble.client import CharacteristicInfo, Discovered, NotifyCallback
from imuhold.ble.errors import LinkLostError, SensorNotFoundError
from imuhold.protocol import imuhold_v1 as v1
from imuhold.protocol.gatt import BATTERY_LEVEL_CHAR_UUID, DEVICE_INFO_CHARS

INFO_V1 = bytes.fromhex("01 00 06 00 19 00 c8 00 64 00 00")


def v1_characteristics() -> dict[str, CharacteristicInfo]:
    chars = {
        v1.MOTION_CHAR_UUID: {"notify"},
        v1.CONTROL_CHAR_UUID: {"write", "notify"},
        v1.INFO_CHAR_UUID: {"read"},
        BATTERY_LEVEL_CHAR_UUID: {"read"},
        DEVICE_INFO_CHARS["firmware"]: {"read"},
    }
    return {uuid: CharacteristicInfo(uuid, frozenset(props), "service") for uuid, props in chars.items()}


@dataclass
class FakeClient:
    """A connected sensor that records what the host does and lets the test notify and drop."""

    address: str
    on_disconnect: Callable[[], None]
    chars: dict[str, CharacteristicInfo] = field(default_factory=v1_characteristics)
    values: dict[str, bytes] = field(
        default_factory=lambda: {
            v1.INFO_CHAR_UUID: INFO_V1,
            BATTERY_LEVEL_CHAR_UUID: bytes([64]),
            DEVICE_INFO_CHARS["firmware"]: b"2.1.0",
        }
    )
    log: list[tuple[str, str, bytes]] = field(default_factory=list)
    callbacks: dict[str, NotifyCallback] = field(default_factory=dict)
    connected: bool = True
    fail_writes: bool = False

    @property
    def is_connected(self) -> bool:
        return self.connected

    @property
    def mtu(self) -> int:
        return 247

    def characteristics(self) -> dict[str, CharacteristicInfo]:
        return self.chars

    async def start_notify(self, uuid: str, callback: NotifyCallback) -> None:
        self.log.append(("subscribe", uuid, b""))
        self.callbacks[uuid] = callback

    async def stop_notify(self, uuid: str) -> None:
        self.log.append(("unsubscribe", uuid, b""))
        self.callbacks.pop(uuid, None)

    async def read(self, uuid: str) -> bytes:
        self.log.append(("read", uuid, b""))
        return self.values[uuid]

    async def write(self, uuid: str, data: bytes, response: bool) -> None:
        if self.fail_writes:
            raise LinkLostError("write failed")
        self.log.append(("write", uuid, data))

    async def disconnect(self) -> None:
        self.log.append(("disconnect", "", b""))
        self.drop()

    # -- test controls -------------------------------------------------------------------------------------------
    def notify(self, uuid: str, data: bytes) -> None:
        self.callbacks[uuid](uuid, bytearray(data))

    def drop(self) -> None:
        if self.connected:
            self.connected = False
            self.on_disconnect()


@dataclass
class FakeConnector:
    """``script``: one entry per connection attempt, an exception to raise or None to connect."""

    script: list[BaseException | None] = field(default_factory=list)
    make_client: Callable[[str, Callable[[], None]], FakeClient] = FakeClient
    clients: list[FakeClient] = field(default_factory=list)
    attempts: int = 0
    devices: list[Discovered] = field(default_factory=list)

    async def scan(self, timeout_s: float) -> list[Discovered]:
        return list(self.devices)

    async def connect(self, address: str, on_disconnect: Callable[[], None], timeout_s: float) -> FakeClient:
        self.attempts += 1
        outcome = self.script.pop(0) if self.script else None
        if outcome is not None:
            raise outcome
        client = self.make_client(address, on_disconnect)
        self.clients.append(client)
        return client


def not_found(address: str = "AA:BB") -> SensorNotFoundError:
    return SensorNotFoundError(address)
