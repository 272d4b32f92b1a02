"""Movella DOT control: measurement start/stop, the 32-byte device-control value (output rate), link sequences."""

from __future__ import annotations

import struct
from dataclasses import dataclass

from imuhold.protocol import movella_dot as dot
from imuhold.protocol.gatt import Advertised, LinkSpec, ReadModifyWrite, Step, Subscribe, Unsubscribe, Write
from imuhold.protocol.movella_dot import PayloadMode

MEASUREMENT = 0x01
ACTION_START = 0x01
ACTION_STOP = 0x00
STREAMING_RATES_HZ = (1.0, 4.0, 10.0, 12.0, 15.0, 20.0, 30.0, 60.0)
"""120 Hz exists for on-device recording only."""

VISIT_OUTPUT_RATE = 0x10
HEADING_RESET = bytes.fromhex("01 00")
HEADING_REVERT = bytes.fromhex("07 00")

_CONTROL = struct.Struct("<BBB")
_DEVICE_CONTROL = struct.Struct("<8B16sHB5s")
DEVICE_CONTROL_SIZE = _DEVICE_CONTROL.size
_RATE_OFFSET = 24
_RATE = struct.Struct("<H")


def start_command(mode: PayloadMode = PayloadMode.COMPLETE_QUATERNION) -> bytes:
    return _CONTROL.pack(MEASUREMENT, ACTION_START, mode)


def stop_command(mode: PayloadMode = PayloadMode.COMPLETE_QUATERNION) -> bytes:
    return _CONTROL.pack(MEASUREMENT, ACTION_STOP, mode)


@dataclass(frozen=True, slots=True)
class ControlCommand:
    """A write to the measurement control characteristic as the device sees it."""

    start: bool
    mode: int


def parse_control(data: bytes) -> ControlCommand:
    """Parse ``01 <action> <mode>``; ValueError otherwise."""
    if len(data) != _CONTROL.size or data[0] != MEASUREMENT or data[1] not in (ACTION_START, ACTION_STOP):
        raise ValueError(f"not a measurement control write: {data.hex(' ')}")
    return ControlCommand(data[1] == ACTION_START, data[2])


@dataclass(frozen=True, slots=True)
class DeviceControl:
    """The 32-byte device-control value: power settings, tag, output rate, filter profile."""

    visit_index: int
    identify: int
    power_options: int
    timeout_x_min: int
    timeout_x_s: int
    timeout_y_min: int
    timeout_y_s: int
    tag: str
    output_rate_hz: int
    filter_profile: int

    @classmethod
    def parse(cls, data: bytes) -> DeviceControl:
        if len(data) != DEVICE_CONTROL_SIZE:
            raise ValueError(f"device control is {len(data)} bytes, expected {DEVICE_CONTROL_SIZE}")
        visit, identify, power, x_min, x_s, y_min, y_s, tag_len, tag, rate, profile, _ = _DEVICE_CONTROL.unpack(data)
        if tag_len > len(tag):
            raise ValueError(f"device control tag length {tag_len} exceeds 16")
        return cls(
            visit, identify, power, x_min, x_s, y_min, y_s, tag[:tag_len].decode("utf-8", "replace"), rate, profile
        )

    def encode(self) -> bytes:
        tag = self.tag.encode("utf-8")[:16]
        return _DEVICE_CONTROL.pack(
            self.visit_index,
            self.identify,
            self.power_options,
            self.timeout_x_min,
            self.timeout_x_s,
            self.timeout_y_min,
            self.timeout_y_s,
            len(tag),
            tag,
            self.output_rate_hz,
            self.filter_profile,
            b"",
        )


def check_rate(rate_hz: float) -> int:
    if float(rate_hz) not in STREAMING_RATES_HZ:
        known = ", ".join(f"{r:g}" for r in STREAMING_RATES_HZ)
        raise ValueError(f"Movella DOT streams at {known} Hz, not {rate_hz:g} Hz")
    return int(rate_hz)


def with_output_rate(device_control: bytes, rate_hz: float) -> bytes:
    """The read device-control value changed to set only the output rate (visit index bit 4)."""
    if len(device_control) != DEVICE_CONTROL_SIZE:
        raise ValueError(f"device control is {len(device_control)} bytes, expected {DEVICE_CONTROL_SIZE}")
    out = bytearray(device_control)
    out[0] = VISIT_OUTPUT_RATE
    _RATE.pack_into(out, _RATE_OFFSET, check_rate(rate_hz))
    return bytes(out)


def start_sequence(
    rate_hz: float | None = None, mode: PayloadMode = PayloadMode.COMPLETE_QUATERNION
) -> tuple[Step, ...]:
    """Rate first (it cannot change while measuring), then notifications on, then start (the vendor's order)."""
    rate = dot.DEFAULT_RATE_HZ if rate_hz is None else rate_hz
    check_rate(rate)
    return (
        ReadModifyWrite(dot.DEVICE_CONTROL_CHAR_UUID, lambda value: with_output_rate(value, rate)),
        Subscribe(dot.PAYLOAD_CHAR[mode]),
        Write(dot.CONTROL_CHAR_UUID, start_command(mode)),
    )


def stop_sequence(mode: PayloadMode = PayloadMode.COMPLETE_QUATERNION) -> tuple[Step, ...]:
    return (Write(dot.CONTROL_CHAR_UUID, stop_command(mode)), Unsubscribe(dot.PAYLOAD_CHAR[mode]))


LINK = LinkSpec(
    profile=dot.NAME,
    advertised=Advertised(
        service_uuids=frozenset({dot.MEASUREMENT_SERVICE_UUID, dot.CONFIG_SERVICE_UUID}),
        names=dot.NAMES,
        manufacturer_ids=frozenset({dot.COMPANY_ID}),
    ),
    start=start_sequence,
    stop=stop_sequence,
    rates_hz=STREAMING_RATES_HZ,
    numbered=True,
    note="Complete (Quaternion) payload at ≤ 60 Hz; needs an ATT MTU of at least 35.",
)
