"""How a host talks to each profile's device over GATT: recognition by advertisement, and command sequences as data.

Sequences are tuples of steps that the BLE link (or an emulator test) executes in order, so this module knows
nothing of bleak: subscribe to a characteristic, write bytes, read and check a value, read-modify-write, wait.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


def sig_uuid(short: int) -> str:
    """A Bluetooth SIG 16-bit UUID in the full lower-case 128-bit form that bleak reports."""
    return f"0000{short:04x}-0000-1000-8000-00805f9b34fb"


BATTERY_LEVEL_CHAR_UUID = sig_uuid(0x2A19)
DEVICE_INFO_CHARS: dict[str, str] = {
    "manufacturer": sig_uuid(0x2A29),
    "model": sig_uuid(0x2A24),
    "serial": sig_uuid(0x2A25),
    "firmware": sig_uuid(0x2A26),
    "hardware": sig_uuid(0x2A27),
}


@dataclass(frozen=True, slots=True)
class Subscribe:
    """Enable notifications (or indications) on a characteristic."""

    characteristic: str


@dataclass(frozen=True, slots=True)
class Unsubscribe:
    """Disable notifications on a characteristic."""

    characteristic: str


@dataclass(frozen=True, slots=True)
class Write:
    """Write ``data``; ``response`` True: ATT Write Request, False: Write Command (without response)."""

    characteristic: str
    data: bytes
    response: bool = True


@dataclass(frozen=True, slots=True)
class Read:
    """Read a value and pass it to ``check``, which raises ValueError when the device speaks another protocol."""

    characteristic: str
    check: Callable[[bytes], object] = field(compare=False)


@dataclass(frozen=True, slots=True)
class ReadModifyWrite:
    """Read a value, change it with ``modify`` (ValueError: unexpected value) and write it back with response."""

    characteristic: str
    modify: Callable[[bytes], bytes] = field(compare=False)


@dataclass(frozen=True, slots=True)
class Wait:
    """Give the device time, e.g. between unlocking and writing a register."""

    seconds: float


Step = Subscribe | Unsubscribe | Write | Read | ReadModifyWrite | Wait


@dataclass(frozen=True, slots=True)
class Advertised:
    """How a profile's devices show up in a scan. Names match as case-sensitive substrings ("WT", not "wt")."""

    service_uuids: frozenset[str] = frozenset()
    names: tuple[str, ...] = ()
    excluded_names: tuple[str, ...] = ()
    manufacturer_ids: frozenset[int] = frozenset()

    def matches(self, name: str | None, service_uuids: frozenset[str], manufacturer_ids: frozenset[int]) -> bool:
        """True when the advertisement lists the service or a known company ID or name, and no excluded name."""
        name = name or ""
        if any(bad in name for bad in self.excluded_names):
            return False
        if self.service_uuids & {u.lower() for u in service_uuids}:
            return True
        if self.manufacturer_ids & manufacturer_ids:
            return True
        return bool(name) and any(good in name for good in self.names)


@dataclass(frozen=True, slots=True)
class LinkSpec:
    """What the link needs to stream from one profile's devices.

    ``start(rate_hz)`` returns the steps from a fresh connection to streaming (``None``: the profile's nominal
    rate); it raises ValueError for a rate the device cannot do. ``stop()`` returns the steps back to idle.
    ``rates_hz`` lists the rates ``start`` accepts. ``numbered``: every notification on the profile's data
    characteristics carries a frame counter or a device time, so two identical ones in a row are one notification
    delivered twice (a profile without either can send the same bytes twice, e.g. a sensor lying still).
    """

    profile: str
    advertised: Advertised
    start: Callable[[float | None], tuple[Step, ...]] = field(compare=False)
    stop: Callable[[], tuple[Step, ...]] = field(compare=False)
    rates_hz: tuple[float, ...]
    needs_pairing: bool = False
    numbered: bool = False
    note: str = ""
