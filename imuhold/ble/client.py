"""What the link needs from a BLE stack: a scanner, a connector and a connected GATT client (bleak or bumble)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

NotifyCallback = Callable[[str, bytes], None]
"""Called with the characteristic UUID (lower-case, 128-bit) and the notification bytes."""


@dataclass(frozen=True, slots=True)
class Discovered:
    """One device seen in a scan; ``profile`` is the imuhold profile it advertises like, or None."""

    address: str
    name: str | None
    rssi: int | None
    service_uuids: frozenset[str] = frozenset()
    manufacturer_ids: frozenset[int] = frozenset()
    profile: str | None = None
    advertised_uuids: frozenset[str] | None = None
    """UUIDs in the advertising data proper (not the scan response), when the stack can tell them apart."""


@dataclass(frozen=True, slots=True)
class CharacteristicInfo:
    """A characteristic's UUID and properties ("read", "write", "write-without-response", "notify", "indicate")."""

    uuid: str
    properties: frozenset[str]
    service: str
    has_cccd: bool = field(default=True)


class GattClient(Protocol):
    """A connected peripheral."""

    address: str

    @property
    def is_connected(self) -> bool: ...

    @property
    def mtu(self) -> int: ...

    def characteristics(self) -> dict[str, CharacteristicInfo]: ...

    async def start_notify(self, uuid: str, callback: NotifyCallback) -> None: ...

    async def stop_notify(self, uuid: str) -> None: ...

    async def read(self, uuid: str) -> bytes: ...

    async def write(self, uuid: str, data: bytes, response: bool) -> None: ...

    async def disconnect(self) -> None: ...


class Connector(Protocol):
    """Scans and connects; ``on_disconnect`` is called once when an established connection drops."""

    async def scan(self, timeout_s: float) -> list[Discovered]: ...

    async def connect(self, address: str, on_disconnect: Callable[[], None], timeout_s: float) -> GattClient: ...
