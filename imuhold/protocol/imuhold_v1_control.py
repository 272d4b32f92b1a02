"""The open imuhold BLE profile v1: control point commands and responses, and the info characteristic.

The normative description is ``firmware_specs/imuhold-profile.md`` (§7 control point, §8 info).
Host side: ``start_command``/``stop_command``/``set_rate_command`` and ``ControlResponse.parse``.
Device side (emulator, conformance): ``parse_command`` and ``ControlResponse.encode``. ``Info`` serves both.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from enum import IntEnum

from imuhold.protocol.imuhold_v1 import (
    FRAME_INVALID,
    FRAME_QUAT_ACC,
    FRAME_TYPES,
    PROFILE_MAJOR,
    PROFILE_MINOR,
)

RATE_MIN_HZ = 1
RATE_MAX_HZ = 1000
"""Protocol-wide bounds on any rate; a device's own range (``Info``) lies inside them."""


class Opcode(IntEnum):
    """First byte of a control point value."""

    START = 0x01
    STOP = 0x02
    SET_RATE = 0x03
    RESPONSE = 0x80
    """Only ever sent by the device, in a notification."""


class Status(IntEnum):
    """Result of a command, third byte of a response. 0x00 is unused: zeroed bytes never read as success."""

    SUCCESS = 0x01
    UNSUPPORTED_OPCODE = 0x02
    INVALID_PARAMETER = 0x03
    BUSY = 0x04
    FAILED = 0x05


_STOP = struct.Struct("<B")
_START = struct.Struct("<BB")
_SET_RATE = struct.Struct("<BH")
_RESPONSE_HEAD = struct.Struct("<BBB")
_APPLIED_RATE = struct.Struct("<H")
_INFO = struct.Struct("<BBHHHHB")
INFO_SIZE = _INFO.size


def _require_int(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be an int, got {value!r}")
    return value


def start_command(frame_type: int = FRAME_QUAT_ACC) -> bytes:
    """START streaming ``frame_type``. Raises ValueError for 0x00 or a value outside one byte."""
    frame_type = _require_int("frame_type", frame_type)
    if not FRAME_INVALID < frame_type <= 0xFF:
        raise ValueError(f"frame type must be 0x01..0xff, got {frame_type:#x}")
    return _START.pack(Opcode.START, frame_type)


def stop_command() -> bytes:
    """STOP streaming."""
    return _STOP.pack(Opcode.STOP)


def set_rate_command(rate_hz: int) -> bytes:
    """SET_RATE in whole Hz; raises ValueError outside RATE_MIN_HZ..RATE_MAX_HZ."""
    rate_hz = _require_int("rate_hz", rate_hz)
    if not RATE_MIN_HZ <= rate_hz <= RATE_MAX_HZ:
        raise ValueError(f"rate must be {RATE_MIN_HZ}..{RATE_MAX_HZ} Hz, got {rate_hz}")
    return _SET_RATE.pack(Opcode.SET_RATE, rate_hz)


@dataclass(frozen=True, slots=True)
class Command:
    """A control point write as the device sees it. ``frame_type`` None: START without a parameter."""

    opcode: int
    frame_type: int | None = None
    rate_hz: int | None = None


class CommandRejected(ValueError):
    """A control point write the device answers with an error ``status`` (echoing ``opcode``)."""

    def __init__(self, opcode: int, status: Status, message: str) -> None:
        self.opcode = opcode
        self.status = status
        super().__init__(message)


def parse_command(data: bytes) -> Command:
    """Parse a control point write (device side).

    Raises CommandRejected (a ValueError) carrying the status to answer with, or a plain ValueError for an
    empty write, which the device refuses at the ATT level instead.
    """
    if not data:
        raise ValueError("empty control point write")
    opcode = data[0]
    if opcode == Opcode.START and len(data) == 1:
        return Command(opcode)
    if opcode == Opcode.START and len(data) == _START.size:
        if data[1] == FRAME_INVALID:
            raise CommandRejected(opcode, Status.INVALID_PARAMETER, "START with frame type 0x00")
        return Command(opcode, frame_type=data[1])
    if opcode == Opcode.STOP and len(data) == _STOP.size:
        return Command(opcode)
    if opcode == Opcode.SET_RATE and len(data) == _SET_RATE.size:
        _, rate_hz = _SET_RATE.unpack(data)
        if not RATE_MIN_HZ <= rate_hz <= RATE_MAX_HZ:
            raise CommandRejected(opcode, Status.INVALID_PARAMETER, f"SET_RATE {rate_hz} Hz out of range")
        return Command(opcode, rate_hz=rate_hz)
    if opcode in (Opcode.START, Opcode.STOP, Opcode.SET_RATE):
        raise CommandRejected(opcode, Status.INVALID_PARAMETER, f"{len(data)}-byte {Opcode(opcode).name}")
    raise CommandRejected(opcode, Status.UNSUPPORTED_OPCODE, f"unsupported opcode 0x{opcode:02x}")


def _as_status(code: int) -> int:
    try:
        return Status(code)
    except ValueError:
        return code  # a status from a later minor version; hosts treat it as a failure


@dataclass(frozen=True, slots=True)
class ControlResponse:
    """A control point notification: which request it answers, its status, and the rate SET_RATE applied."""

    request_opcode: int
    status: int
    rate_hz: int | None = None

    @property
    def ok(self) -> bool:
        return self.status == Status.SUCCESS

    def encode(self) -> bytes:
        """The notification bytes; raises ValueError when ``rate_hz`` does not fit the request and status."""
        try:
            head = _RESPONSE_HEAD.pack(Opcode.RESPONSE, self.request_opcode, self.status)
            if self._carries_rate(self.request_opcode, self.status):
                if self.rate_hz is None:
                    raise ValueError("a successful SET_RATE response carries the applied rate")
                return head + _APPLIED_RATE.pack(self.rate_hz)
        except struct.error as exc:
            raise ValueError(f"control response field out of range: {exc}") from exc
        if self.rate_hz is not None:
            raise ValueError("only a successful SET_RATE response carries a rate")
        return head

    @classmethod
    def parse(cls, data: bytes) -> ControlResponse:
        """Parse a notification; ignores trailing bytes a later minor version may add. Raises ValueError."""
        if len(data) < _RESPONSE_HEAD.size:
            raise ValueError(f"control response is {len(data)} bytes, expected at least 3")
        code, request_opcode, status = _RESPONSE_HEAD.unpack_from(data)
        if code != Opcode.RESPONSE:
            raise ValueError(f"control response starts with 0x{code:02x}, expected 0x{Opcode.RESPONSE:02x}")
        if not cls._carries_rate(request_opcode, status):
            return cls(_as_opcode(request_opcode), _as_status(status))
        if len(data) < _RESPONSE_HEAD.size + _APPLIED_RATE.size:
            raise ValueError("successful SET_RATE response without the applied rate")
        (rate_hz,) = _APPLIED_RATE.unpack_from(data, _RESPONSE_HEAD.size)
        return cls(Opcode.SET_RATE, Status.SUCCESS, rate_hz)

    @staticmethod
    def _carries_rate(request_opcode: int, status: int) -> bool:
        return request_opcode == Opcode.SET_RATE and status == Status.SUCCESS


def _as_opcode(code: int) -> int:
    try:
        return Opcode(code)
    except ValueError:
        return code  # the device echoes whatever opcode it was sent, known or not


@dataclass(frozen=True, slots=True)
class Info:
    """The info characteristic: what the device supports and what it is doing now.

    ``frame_types_mask`` has bit k set when frame type k is supported (bit 0 is never set).
    ``rate_hz`` is the configured rate; ``active_frame_type`` is 0x00 while not streaming.
    """

    frame_types_mask: int
    min_rate_hz: int
    max_rate_hz: int
    rate_hz: int
    active_frame_type: int = FRAME_INVALID
    profile_major: int = PROFILE_MAJOR
    profile_minor: int = PROFILE_MINOR

    @property
    def frame_types(self) -> frozenset[int]:
        return frozenset(k for k in range(1, 16) if self.frame_types_mask >> k & 1)

    def supports(self, frame_type: int) -> bool:
        return frame_type in self.frame_types

    def encode(self) -> bytes:
        """The 11-byte value; raises ValueError when a field does not fit its wire type."""
        try:
            return _INFO.pack(
                self.profile_major,
                self.profile_minor,
                self.frame_types_mask,
                self.min_rate_hz,
                self.max_rate_hz,
                self.rate_hz,
                self.active_frame_type,
            )
        except struct.error as exc:
            raise ValueError(f"info field out of range: {exc}") from exc

    @classmethod
    def parse(cls, data: bytes) -> Info:
        """Parse the value; trailing bytes (a later minor version) are ignored.

        Raises ValueError when it is too short or its profile major is not ours, since a different major
        may lay out everything after byte 0 differently.
        """
        if data and data[0] != PROFILE_MAJOR:
            raise ValueError(f"device speaks profile major {data[0]}, this host speaks {PROFILE_MAJOR}")
        if len(data) < INFO_SIZE:
            raise ValueError(f"info is {len(data)} bytes, expected at least {INFO_SIZE}")
        major, minor, mask, min_rate, max_rate, rate, active = _INFO.unpack_from(data)
        return cls(mask, min_rate, max_rate, rate, active, major, minor)

    def problems(self) -> list[str]:
        """Ways this value breaks the spec's consistency rules (R6); empty when it is consistent."""
        found: list[str] = []
        if self.frame_types_mask & 1:
            found.append("frame type mask has bit 0 set (type 0x00 is never valid)")
        if not self.frame_types & FRAME_TYPES:
            found.append("supports neither frame type 0x01 nor 0x02")
        if not RATE_MIN_HZ <= self.min_rate_hz <= self.max_rate_hz <= RATE_MAX_HZ:
            found.append(f"rate range {self.min_rate_hz}..{self.max_rate_hz} Hz is not within 1..1000 Hz")
        if not self.min_rate_hz <= self.rate_hz <= self.max_rate_hz:
            found.append(f"rate {self.rate_hz} Hz outside {self.min_rate_hz}..{self.max_rate_hz} Hz")
        if self.active_frame_type != FRAME_INVALID and not self.supports(self.active_frame_type):
            found.append(f"active frame type 0x{self.active_frame_type:02x} is not in the supported mask")
        return found
