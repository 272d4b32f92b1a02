"""Movella (Xsens) DOT: UUIDs, measurement payloads (quaternion, free acceleration) and their stream decoder.

Payloads start with a 32-bit µs device clock (unwrapped here). The quaternion is w,x,y,z sensor → local earth
(ENU, z up). Free acceleration is in the earth frame with gravity removed; the decoder rotates it back into the
sensor frame and adds gravity, giving the specific force the pipeline expects. Real devices send more bytes than
a mode documents (zero padding; newer firmware's longer payloads): only the documented prefix is read, and then
only when it looks intact. See ``firmware_specs/movella-dot.md``.
"""

from __future__ import annotations

import logging
import math
import struct
from dataclasses import dataclass, field
from enum import IntEnum

from imuhold import units
from imuhold.model import Packet, Quat, Sample, Vec3
from imuhold.protocol import rotation
from imuhold.protocol.base import DecodeStats

log = logging.getLogger(__name__)

NAME = "movella-dot"


def dot_uuid(short: int) -> str:
    return f"1517{short:04x}-4947-11e9-8646-d663bd873d93"


CONFIG_SERVICE_UUID = dot_uuid(0x1000)
DEVICE_INFO_CHAR_UUID = dot_uuid(0x1001)
DEVICE_CONTROL_CHAR_UUID = dot_uuid(0x1002)
MEASUREMENT_SERVICE_UUID = dot_uuid(0x2000)
CONTROL_CHAR_UUID = dot_uuid(0x2001)
LONG_PAYLOAD_CHAR_UUID = dot_uuid(0x2002)
MEDIUM_PAYLOAD_CHAR_UUID = dot_uuid(0x2003)
SHORT_PAYLOAD_CHAR_UUID = dot_uuid(0x2004)
HEADING_RESET_CHAR_UUID = dot_uuid(0x2006)
BATTERY_SERVICE_UUID = dot_uuid(0x3000)
BATTERY_CHAR_UUID = dot_uuid(0x3001)
COMPANY_ID = 0x0886
NAMES = ("Movella DOT", "Xsens DOT")
DEFAULT_RATE_HZ = 60.0
T_US_WRAP = 1 << 32


class PayloadMode(IntEnum):
    """The measurement payload modes imuhold decodes (others are not requested)."""

    EXTENDED_QUATERNION = 2
    COMPLETE_QUATERNION = 3
    ORIENTATION_QUATERNION = 5


PAYLOAD_CHAR: dict[PayloadMode, str] = {
    PayloadMode.EXTENDED_QUATERNION: MEDIUM_PAYLOAD_CHAR_UUID,
    PayloadMode.COMPLETE_QUATERNION: MEDIUM_PAYLOAD_CHAR_UUID,
    PayloadMode.ORIENTATION_QUATERNION: SHORT_PAYLOAD_CHAR_UUID,
}

_ORIENTATION = struct.Struct("<I4f")
_COMPLETE = struct.Struct("<I4f3f")
_EXTENDED = struct.Struct("<I4f3fHBB")
_LAYOUT: dict[PayloadMode, struct.Struct] = {
    PayloadMode.EXTENDED_QUATERNION: _EXTENDED,
    PayloadMode.COMPLETE_QUATERNION: _COMPLETE,
    PayloadMode.ORIENTATION_QUATERNION: _ORIENTATION,
}

FREE_ACCELERATION_MODE = 6
"""Free acceleration only (t, free acc): no orientation, so never streamed; parsed to check real bytes."""
_FREE_ACCELERATION = struct.Struct("<I3f")

UNIT_NORM_TOLERANCE = 0.01
"""How far from 1 the quaternion of a payload longer than documented may be and still be read."""


@dataclass(frozen=True, slots=True)
class Measurement:
    """One payload in wire units: µs clock, quaternion, free acceleration (m/s², earth, no gravity), status."""

    t_us: int
    quat: Quat
    free_acc_m_s2: Vec3 | None = None
    status: int | None = None
    clip_acc: int | None = None
    clip_gyr: int | None = None


def _documented_prefix(data: bytes, layout: struct.Struct, what: str) -> tuple[int | float, ...]:
    """The fields of the documented prefix; bytes after it (zero padding, newer firmware's additions) are skipped.

    ValueError when the payload is shorter than documented or a float is NaN or infinite.
    """
    if len(data) < layout.size:
        raise ValueError(f"{what} payload is {len(data)} bytes, expected {layout.size}")
    fields = layout.unpack_from(data)
    if not all(math.isfinite(v) for v in fields):
        raise ValueError(f"{what} payload has a non-finite value")
    return fields


def parse_payload(data: bytes, mode: PayloadMode) -> Measurement:
    """Parse one payload of ``mode`` from its documented prefix; ValueError when the prefix is not intact.

    Intact: long enough and finite; when the payload is longer than documented (padding, or newer firmware's
    longer payloads), the quaternion must also be of unit norm, which a shifted or changed layout seldom gives.
    """
    layout = _LAYOUT[mode]
    fields = _documented_prefix(data, layout, mode.name)
    t_us, quat = int(fields[0]), (fields[1], fields[2], fields[3], fields[4])
    if len(data) > layout.size and abs(math.sqrt(sum(c * c for c in quat)) - 1.0) > UNIT_NORM_TOLERANCE:
        raise ValueError(f"{mode.name} payload of {len(data)} bytes, not {layout.size}, without a unit quaternion")
    if mode == PayloadMode.ORIENTATION_QUATERNION:
        return Measurement(t_us, quat)
    acc = (fields[5], fields[6], fields[7])
    if mode == PayloadMode.COMPLETE_QUATERNION:
        return Measurement(t_us, quat, acc)
    return Measurement(t_us, quat, acc, int(fields[8]), int(fields[9]), int(fields[10]))


@dataclass(frozen=True, slots=True)
class FreeAcceleration:
    """One free-acceleration-only payload (mode 6): µs clock and earth-frame acceleration without gravity."""

    t_us: int
    free_acc_m_s2: Vec3


def parse_free_acceleration(data: bytes) -> FreeAcceleration:
    """Parse a mode-6 payload (16 bytes documented, 20 sent: zero padding); ValueError as ``parse_payload``."""
    fields = _documented_prefix(data, _FREE_ACCELERATION, "FREE_ACCELERATION")
    return FreeAcceleration(int(fields[0]), (fields[1], fields[2], fields[3]))


def encode_payload(t_us: int, quat: Quat, acc_m_s2: Vec3 | None, mode: PayloadMode) -> bytes:
    """The payload the sensor sends for sensor-frame specific force ``acc_m_s2`` (emulation)."""
    t = t_us % T_US_WRAP
    if mode == PayloadMode.ORIENTATION_QUATERNION:
        return _ORIENTATION.pack(t, *quat)
    free = rotation.free_acc_from_specific_force(quat, acc_m_s2 or (0.0, 0.0, units.STANDARD_GRAVITY_M_S2))
    if mode == PayloadMode.COMPLETE_QUATERNION:
        return _COMPLETE.pack(t, *quat, *free)
    return _EXTENDED.pack(t, *quat, *free, 0, 0, 0)


@dataclass(slots=True)
class DotDecoder:
    """Stream decoder: unwraps the µs clock and counts lost samples from timestamp steps (no counter exists)."""

    mode: PayloadMode = PayloadMode.COMPLETE_QUATERNION
    rate_hz: float = DEFAULT_RATE_HZ
    stats: DecodeStats = field(default_factory=DecodeStats)
    _last_t_us: int | None = None
    _offset_us: int = 0

    def feed(self, packet: Packet) -> list[Sample]:
        self.stats.packets += 1
        if packet.characteristic != PAYLOAD_CHAR[self.mode]:
            self.stats.ignored_packets += 1
            return []
        try:
            measurement = parse_payload(packet.payload, self.mode)
        except ValueError as exc:
            return self._bad(str(exc))
        quat = rotation.normalised(measurement.quat)
        if quat is None:
            return self._bad("degenerate quaternion")
        acc = measurement.free_acc_m_s2
        sensor_acc = None if acc is None else rotation.specific_force_from_free_acc(quat, acc)
        self.stats.frames += 1
        return [Sample(self._unwrap_s(measurement.t_us), quat, sensor_acc, None, None)]

    def _unwrap_s(self, t_us: int) -> float:
        last = self._last_t_us
        if last is not None:
            if t_us < last - T_US_WRAP // 2:
                self._offset_us += T_US_WRAP
            step_us = (t_us + T_US_WRAP - last) % T_US_WRAP
            periods = round(step_us * self.rate_hz / units.US_PER_S)
            if periods > 1 and step_us < T_US_WRAP // 2:
                self.stats.lost_frames += periods - 1
        self._last_t_us = t_us
        return (t_us + self._offset_us) / units.US_PER_S

    def _bad(self, reason: str) -> list[Sample]:
        self.stats.count_bad(reason)
        log.debug("movella-dot: bad payload: %s", reason)
        return []


@dataclass(frozen=True, slots=True)
class DotProfile:
    """Movella DOT streaming Complete (Quaternion): µs time, quaternion, free acceleration."""

    name: str = NAME
    service_uuid: str = MEASUREMENT_SERVICE_UUID
    data_characteristics: frozenset[str] = frozenset({MEDIUM_PAYLOAD_CHAR_UUID})
    nominal_rate_hz: float = DEFAULT_RATE_HZ
    mode: PayloadMode = PayloadMode.COMPLETE_QUATERNION

    def decoder(self, rate_hz: float | None = None) -> DotDecoder:
        return DotDecoder(self.mode, rate_hz or self.nominal_rate_hz)


PROFILE = DotProfile()
