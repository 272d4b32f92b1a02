"""WitMotion BLE 5.0 commands (unlock, save, return rate, register reads) and the link's start/stop sequences."""

from __future__ import annotations

import struct
from dataclasses import dataclass

from imuhold.protocol import witmotion as wit
from imuhold.protocol.gatt import Advertised, LinkSpec, Step, Subscribe, Unsubscribe, Wait, Write

_COMMAND = struct.Struct("<BBBBB")
_PREFIX = (0xFF, 0xAA)

REG_SAVE = 0x00
REG_CALIBRATE = 0x01
REG_RATE = 0x03
REG_BANDWIDTH = 0x1F
REG_READ = 0x27
REG_UNLOCK = 0x69
UNLOCK_KEY = (0x88, 0xB5)

REG_MAGNETOMETER = 0x3A
REG_TEMPERATURE = 0x40
REG_QUATERNION = 0x51
REG_BATTERY = 0x64

RATE_CODES: dict[float, int] = {
    0.2: 0x01,
    0.5: 0x02,
    1.0: 0x03,
    2.0: 0x04,
    5.0: 0x05,
    10.0: 0x06,
    20.0: 0x07,
    50.0: 0x08,
    100.0: 0x09,
}
"""Return-rate codes every source agrees on. 200 Hz is 0x0A or 0x0B depending on the document: not offered."""

SETTLE_S = 0.1
"""The official sequence waits 100 ms after unlocking and after setting a register."""


def command(register: int, low: int, high: int = 0) -> bytes:
    """``FF AA <register> <low> <high>``."""
    return _COMMAND.pack(*_PREFIX, register, low, high)


def unlock_command() -> bytes:
    return command(REG_UNLOCK, *UNLOCK_KEY)


def save_command() -> bytes:
    return command(REG_SAVE, 0x00)


def read_command(register: int) -> bytes:
    """Ask for eight registers from ``register``; the sensor answers with a ``55 71`` frame on the data char."""
    return command(REG_READ, register)


def rate_command(rate_hz: float) -> bytes:
    """Set the return rate; ValueError for a rate without an agreed code."""
    code = RATE_CODES.get(float(rate_hz))
    if code is None:
        known = ", ".join(f"{r:g}" for r in RATE_CODES)
        raise ValueError(f"WitMotion return rate {rate_hz:g} Hz is not supported (use one of {known} Hz)")
    return command(REG_RATE, code)


def rate_from_code(code: int) -> float | None:
    """The rate of a return-rate code, None when unknown."""
    return next((rate for rate, c in RATE_CODES.items() if c == code), None)


@dataclass(frozen=True, slots=True)
class Command:
    """A ``FF AA`` write as the device sees it."""

    register: int
    low: int
    high: int


def parse_command(data: bytes) -> Command:
    """Parse a 5-byte ``FF AA`` command (device side); ValueError otherwise."""
    if len(data) != _COMMAND.size or data[0] != 0xFF or data[1] != 0xAA:
        raise ValueError(f"not a WitMotion command: {data.hex(' ')}")
    _, _, register, low, high = _COMMAND.unpack(data)
    return Command(register, low, high)


def start_sequence(rate_hz: float | None = None) -> tuple[Step, ...]:
    """Notifications on, then unlock → rate → save (the rate survives a power cycle). Data flows at once."""
    rate = wit.DEFAULT_RATE_HZ if rate_hz is None else rate_hz
    return (
        Subscribe(wit.DATA_CHAR_UUID),
        Write(wit.COMMAND_CHAR_UUID, unlock_command()),
        Wait(SETTLE_S),
        Write(wit.COMMAND_CHAR_UUID, rate_command(rate)),
        Wait(SETTLE_S),
        Write(wit.COMMAND_CHAR_UUID, save_command()),
    )


def stop_sequence() -> tuple[Step, ...]:
    """There is no stop command over BLE 5.0: disabling notifications stops the stream."""
    return (Unsubscribe(wit.DATA_CHAR_UUID),)


LINK = LinkSpec(
    profile=wit.NAME,
    advertised=Advertised(
        service_uuids=frozenset({wit.SERVICE_UUID}),
        names=(wit.NAME_MARK,),
        excluded_names=(wit.VIBRATION_NAME_MARK,),
    ),
    start=start_sequence,
    stop=stop_sequence,
    rates_hz=tuple(RATE_CODES),
    note="Euler angles streamed; yaw drifts; keep the pitch axis away from ±90°.",
)
