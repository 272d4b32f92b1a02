"""Battery level and Device Information strings, read where the sensor offers them."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from imuhold.ble.client import GattClient
from imuhold.protocol import movella_dot as dot
from imuhold.protocol.gatt import BATTERY_LEVEL_CHAR_UUID, DEVICE_INFO_CHARS

log = logging.getLogger(__name__)
BATTERY_CHARS = (BATTERY_LEVEL_CHAR_UUID, dot.BATTERY_CHAR_UUID)
"""Byte 0 is the level in percent in the SIG Battery Level and in the DOT's own battery characteristic."""


@dataclass(frozen=True, slots=True)
class DeviceInfo:
    """What the sensor says about itself; None where it does not say."""

    battery_pct: int | None = None
    manufacturer: str | None = None
    model: str | None = None
    serial: str | None = None
    firmware: str | None = None
    hardware: str | None = None

    def summary(self) -> str:
        parts = [p for p in (self.manufacturer, self.model) if p]
        if self.firmware:
            parts.append(f"firmware {self.firmware}")
        if self.battery_pct is not None:
            parts.append(f"battery {self.battery_pct} %")
        return ", ".join(parts) or "no device information"


async def read_battery(client: GattClient) -> int | None:
    available = client.characteristics()
    for uuid in BATTERY_CHARS:
        if uuid in available and "read" in available[uuid].properties:
            try:
                value = await client.read(uuid)
            except Exception as exc:  # optional information: never fail the link for it
                log.debug("battery read failed: %s", exc)
                return None
            return value[0] if value and value[0] <= 100 else None
    return None


async def read_device_info(client: GattClient) -> DeviceInfo:
    available = client.characteristics()
    strings: dict[str, str | None] = {}
    for field_name, uuid in DEVICE_INFO_CHARS.items():
        strings[field_name] = None
        if uuid in available:
            try:
                strings[field_name] = (await client.read(uuid)).decode("utf-8", "replace").strip("\x00 ") or None
            except Exception as exc:  # optional information
                log.debug("device information %s read failed: %s", field_name, exc)
    return DeviceInfo(await read_battery(client), **strings)
