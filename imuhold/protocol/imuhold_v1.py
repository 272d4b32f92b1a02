"""The open imuhold BLE profile v1: UUIDs, the 20-byte motion frame, and its encoder and stream decoder.

The normative description is ``firmware_specs/imuhold-profile.md``; this module follows it byte for byte.
"""

from __future__ import annotations

import logging
import math
import struct
from dataclasses import dataclass, field
from typing import NamedTuple

from imuhold import units
from imuhold.model import Packet, Quat, Sample, Vec3
from imuhold.protocol.base import DecodeStats

log = logging.getLogger(__name__)

NAME = "imuhold-v1"
SERVICE_UUID = "7a3c0001-4e1b-4d2f-9c6a-2f8e5b1d0c47"
MOTION_CHAR_UUID = "7a3c0002-4e1b-4d2f-9c6a-2f8e5b1d0c47"
CONTROL_CHAR_UUID = "7a3c0003-4e1b-4d2f-9c6a-2f8e5b1d0c47"
INFO_CHAR_UUID = "7a3c0004-4e1b-4d2f-9c6a-2f8e5b1d0c47"

PROFILE_MAJOR = 1
"""Incompatible changes bump the major version; hosts refuse a device whose major differs."""
PROFILE_MINOR = 0
"""Additions (frame types, opcodes, status codes, trailing bytes) bump the minor version; hosts accept any."""


def _sig_uuid(short: int) -> str:
    """A Bluetooth SIG 16-bit UUID in the full lower-case 128-bit form that bleak reports."""
    return f"0000{short:04x}-0000-1000-8000-00805f9b34fb"


BATTERY_SERVICE_UUID = _sig_uuid(0x180F)
BATTERY_LEVEL_CHAR_UUID = _sig_uuid(0x2A19)
DEVICE_INFO_SERVICE_UUID = _sig_uuid(0x180A)
MANUFACTURER_NAME_CHAR_UUID = _sig_uuid(0x2A29)
MODEL_NUMBER_CHAR_UUID = _sig_uuid(0x2A24)
FIRMWARE_REVISION_CHAR_UUID = _sig_uuid(0x2A26)

FRAME_SIZE = 20
FRAME_INVALID = 0x00
"""Never sent: a zero-filled buffer must not look like a frame."""
FRAME_QUAT_ACC = 0x01
"""Orientation computed on the sensor (quaternion) plus specific force."""
FRAME_GYR_ACC = 0x02
"""Raw angular rate plus specific force, for sensors without on-board fusion; the host fuses orientation."""
FRAME_TYPES = frozenset({FRAME_QUAT_ACC, FRAME_GYR_ACC})
"""The frame types this host decodes; other non-zero types (later minor versions, vendor) are skipped."""

QUAT_SCALE = 1 << 14  # Q14 fixed point: 16384 == 1.0
GYR_LSB_DEG_S = 1.0 / 16.0  # ±2048 °/s range, 0.0625 °/s resolution
T_US_WRAP = 1 << 32
SEQ_WRAP = 1 << 8

_QUAT_ACC = struct.Struct("<BBI4h3h")
_GYR_ACC = struct.Struct("<BBI3h2x3h")


class MotionFrame(NamedTuple):
    """One decoded v1 frame in raw integer units (as on the wire); a named tuple: made for every sample, it is
    cheaper to build than a frozen dataclass."""

    frame_type: int
    seq: int
    t_us: int
    quat_q14: tuple[int, int, int, int] | None
    gyr_lsb: tuple[int, int, int] | None
    acc_mg: tuple[int, int, int]


def _clamp_i16(value: float) -> int:
    return max(-32768, min(32767, round(value)))


def encode_quat_acc(seq: int, t_us: int, quat: Quat, acc_m_s2: Vec3) -> bytes:
    """Encode one orientation frame (type 0x01). ``quat`` is w,x,y,z; ``acc_m_s2`` in the sensor frame."""
    q = [_clamp_i16(c * QUAT_SCALE) for c in quat]
    a = [_clamp_i16(units.m_s2_to_mg(c)) for c in acc_m_s2]
    return _QUAT_ACC.pack(FRAME_QUAT_ACC, seq % SEQ_WRAP, t_us % T_US_WRAP, *q, *a)


def encode_gyr_acc(seq: int, t_us: int, gyr_rad_s: Vec3, acc_m_s2: Vec3) -> bytes:
    """Encode one raw-IMU frame (type 0x02). ``gyr_rad_s`` and ``acc_m_s2`` in the sensor frame."""
    g = [_clamp_i16(units.rad_to_deg(c) / GYR_LSB_DEG_S) for c in gyr_rad_s]
    a = [_clamp_i16(units.m_s2_to_mg(c)) for c in acc_m_s2]
    return _GYR_ACC.pack(FRAME_GYR_ACC, seq % SEQ_WRAP, t_us % T_US_WRAP, *g, *a)


def parse_frame(frame: bytes) -> MotionFrame:
    """Parse exactly one 20-byte frame; raises ValueError on a wrong size or unknown frame type."""
    if len(frame) != FRAME_SIZE:
        raise ValueError(f"frame is {len(frame)} bytes, expected {FRAME_SIZE}")
    kind = frame[0]
    if kind == FRAME_QUAT_ACC:
        _, seq, t_us, qw, qx, qy, qz, ax, ay, az = _QUAT_ACC.unpack(frame)
        return MotionFrame(kind, seq, t_us, (qw, qx, qy, qz), None, (ax, ay, az))
    if kind == FRAME_GYR_ACC:
        _, seq, t_us, gx, gy, gz, ax, ay, az = _GYR_ACC.unpack(frame)
        return MotionFrame(kind, seq, t_us, None, (gx, gy, gz), (ax, ay, az))
    raise ValueError(f"unknown frame type 0x{kind:02x}")


_M_S2_PER_MG = units.mg_to_m_s2(1.0)
"""As ``units.mg_to_m_s2``: its factor, the same double."""
_RAD_S_PER_LSB = units.deg_to_rad(GYR_LSB_DEG_S)
_US_PER_S = units.US_PER_S
_HALF_T_US_WRAP = T_US_WRAP // 2
_HALF_SEQ_WRAP = SEQ_WRAP // 2
_new_tuple = tuple.__new__
"""Builds a named tuple from its fields without the Python-level ``__new__`` (half the cost, for every sample)."""


def frame_to_sample(frame: MotionFrame, t_s: float) -> Sample | None:
    """Convert a raw frame to SI units; None when its quaternion is degenerate (all zero)."""
    ax, ay, az = frame.acc_mg
    if frame.quat_q14 is not None:
        return _quat_acc_sample(t_s, frame.seq, *frame.quat_q14, ax, ay, az)
    gx, gy, gz = frame.gyr_lsb or (0, 0, 0)
    return _gyr_acc_sample(t_s, frame.seq, gx, gy, gz, ax, ay, az)


def _quat_acc_sample(t_s: float, seq: int, w: int, x: int, y: int, z: int, ax: int, ay: int, az: int) -> Sample | None:
    """A type 0x01 frame's fields (raw integer units) as a sample in SI units; None for a degenerate quaternion."""
    norm = math.sqrt(w * w + x * x + y * y + z * z)
    if norm < QUAT_SCALE / 2:
        return None
    k = _M_S2_PER_MG  # units.mg_to_m_s2, without a call each
    return _new_tuple(Sample, (t_s, (w / norm, x / norm, y / norm, z / norm), (ax * k, ay * k, az * k), None, seq))


def _gyr_acc_sample(t_s: float, seq: int, gx: int, gy: int, gz: int, ax: int, ay: int, az: int) -> Sample:
    """A type 0x02 frame's fields (raw integer units) as a sample in SI units."""
    k, g = _M_S2_PER_MG, _RAD_S_PER_LSB
    return _new_tuple(Sample, (t_s, None, (ax * k, ay * k, az * k), (gx * g, gy * g, gz * g), seq))


@dataclass(slots=True)
class ImuholdV1Decoder:
    """Stream decoder: unwraps the 32-bit µs clock, counts lost frames from the 8-bit sequence number.

    A notification carries one or more whole frames. Bad frames are counted and skipped, never raised.
    Frames of a type this host does not know are skipped and counted in ``stats.unknown_frames``, not as bad:
    every frame shares the 6-byte header, so their ``seq`` still counts towards loss detection.
    """

    stats: DecodeStats = field(default_factory=DecodeStats)
    _last_seq: int | None = None
    _last_t_us: int | None = None
    _t_us_offset: int = 0

    def feed(self, packet: Packet) -> list[Sample]:
        stats = self.stats
        stats.packets += 1
        if packet.characteristic != MOTION_CHAR_UUID:
            stats.ignored_packets += 1
            return []
        payload = packet.payload
        size = len(payload)
        if not size or size % FRAME_SIZE:
            self._bad(f"notification of {size} bytes is not a multiple of {FRAME_SIZE}")
            return []
        samples: list[Sample] = []
        for start in range(0, size, FRAME_SIZE):  # the fields unpacked in place: this runs for every sample
            kind = payload[start]
            if kind == FRAME_GYR_ACC:
                _, seq, t_us, gx, gy, gz, ax, ay, az = _GYR_ACC.unpack_from(payload, start)
                sample = _gyr_acc_sample(self._unwrap_time_s(t_us), seq, gx, gy, gz, ax, ay, az)
            elif kind == FRAME_QUAT_ACC:
                _, seq, t_us, qw, qx, qy, qz, ax, ay, az = _QUAT_ACC.unpack_from(payload, start)
                sample = _quat_acc_sample(self._unwrap_time_s(t_us), seq, qw, qx, qy, qz, ax, ay, az)
            elif kind == FRAME_INVALID:
                self._bad("frame type 0x00")
                continue
            else:
                stats.unknown_frames += 1
                self._count_seq(payload[start + 1])
                continue
            # The frame arrived, so its seq counts even when its content is unusable: it was not lost.
            self._count_seq(seq)
            if sample is None:
                self._bad("degenerate quaternion")
                continue
            stats.frames += 1
            samples.append(sample)
        return samples

    def _bad(self, reason: str) -> None:
        self.stats.count_bad(reason)
        log.debug("imuhold-v1: bad frame: %s", reason)

    def _unwrap_time_s(self, t_us: int) -> float:
        last_t_us = self._last_t_us
        if last_t_us is not None and t_us < last_t_us - _HALF_T_US_WRAP:
            self._t_us_offset += T_US_WRAP
        self._last_t_us = t_us
        return (t_us + self._t_us_offset) / _US_PER_S

    def _count_seq(self, seq: int) -> None:
        last_seq = self._last_seq
        if last_seq is not None:
            skipped = (seq - last_seq - 1) % SEQ_WRAP
            # A step of 128 or more is read as a duplicate or a reordering, not as a huge loss.
            if skipped < _HALF_SEQ_WRAP:
                self.stats.lost_frames += skipped
        self._last_seq = seq


@dataclass(frozen=True, slots=True)
class ImuholdV1Profile:
    """The open imuhold profile v1."""

    name: str = NAME
    service_uuid: str = SERVICE_UUID
    data_characteristics: frozenset[str] = frozenset({MOTION_CHAR_UUID})
    nominal_rate_hz: float = 100.0

    def decoder(self, rate_hz: float | None = None) -> ImuholdV1Decoder:
        return ImuholdV1Decoder()  # time comes from the device clock: the rate is not needed


PROFILE = ImuholdV1Profile()
