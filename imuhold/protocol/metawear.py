"""MbientLab MetaMotion (MetaWear protocol): UUIDs, sensor-fusion notifications and their stream decoder.

Every notification is ``[module][register][payload]``. imuhold streams the sensor-fusion quaternion (module 0x19,
register 0x07) plus either the fusion's corrected acceleration (0x04, mg, gravity included) or its linear
acceleration (0x0A, m/s², gravity removed, which the decoder adds back with the quaternion). Fusion runs at a
fixed 100 Hz and notifications carry no time, so times come from the nominal rate and the host clock.
See ``firmware_specs/metamotion.md``.
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
from imuhold.protocol.clock import HostClock

log = logging.getLogger(__name__)

NAME = "metamotion"
SERVICE_UUID = "326a9000-85cb-9195-d9dd-464cfbbae75a"
COMMAND_CHAR_UUID = "326a9001-85cb-9195-d9dd-464cfbbae75a"
NOTIFY_CHAR_UUID = "326a9006-85cb-9195-d9dd-464cfbbae75a"
FUSION_RATE_HZ = 100.0

MODULE_ACCELEROMETER = 0x03
MODULE_SETTINGS = 0x11
MODULE_GYRO = 0x13
MODULE_MAGNETOMETER = 0x15
MODULE_FUSION = 0x19


class FusionRegister(IntEnum):
    """Sensor-fusion module registers (module 0x19)."""

    ENABLE = 0x01
    MODE = 0x02
    OUTPUT_ENABLE = 0x03
    CORRECTED_ACC = 0x04
    CORRECTED_GYRO = 0x05
    CORRECTED_MAG = 0x06
    QUATERNION = 0x07
    EULER = 0x08
    GRAVITY = 0x09
    LINEAR_ACC = 0x0A


_QUATERNION = struct.Struct("<BB4f")
_VECTOR = struct.Struct("<BB3f")
_CORRECTED = struct.Struct("<BB3fB")
_EULER = struct.Struct("<BB4f")


@dataclass(frozen=True, slots=True)
class FusionValue:
    """One decoded fusion notification in wire units (see the spec): which register, floats, accuracy byte."""

    register: int
    values: tuple[float, ...]
    accuracy: int | None = None


_LAYOUTS: dict[int, struct.Struct] = {
    FusionRegister.QUATERNION: _QUATERNION,
    FusionRegister.EULER: _EULER,
    FusionRegister.GRAVITY: _VECTOR,
    FusionRegister.LINEAR_ACC: _VECTOR,
    FusionRegister.CORRECTED_ACC: _CORRECTED,
    FusionRegister.CORRECTED_GYRO: _CORRECTED,
    FusionRegister.CORRECTED_MAG: _CORRECTED,
}


def parse_fusion(data: bytes) -> FusionValue:
    """Parse a sensor-fusion data notification; ValueError for another module, register, length or a NaN/inf."""
    if len(data) < 2 or data[0] != MODULE_FUSION:
        raise ValueError(f"not a sensor-fusion notification: {data[:2].hex(' ')}")
    layout = _LAYOUTS.get(data[1])
    if layout is None:
        raise ValueError(f"sensor-fusion register 0x{data[1]:02x} carries no data imuhold reads")
    if len(data) != layout.size:
        raise ValueError(f"fusion register 0x{data[1]:02x}: {len(data)} bytes, expected {layout.size}")
    _, register, *rest = layout.unpack(data)
    if not all(math.isfinite(v) for v in rest):
        raise ValueError(f"fusion register 0x{register:02x}: non-finite value")
    if layout is _CORRECTED:
        return FusionValue(register, tuple(rest[:3]), rest[3])
    return FusionValue(register, tuple(rest))


def encode_quaternion(quat: Quat) -> bytes:
    return _QUATERNION.pack(MODULE_FUSION, FusionRegister.QUATERNION, *quat)


def encode_linear_acc(linear_acc_m_s2: Vec3) -> bytes:
    """Linear acceleration in the sensor frame, gravity removed, m/s² on the wire."""
    return _VECTOR.pack(MODULE_FUSION, FusionRegister.LINEAR_ACC, *linear_acc_m_s2)


def encode_corrected_acc(acc_m_s2: Vec3, accuracy: int = 3) -> bytes:
    """Corrected acceleration in the sensor frame, gravity included, mg on the wire."""
    mg = (units.m_s2_to_mg(v) for v in acc_m_s2)
    return _CORRECTED.pack(MODULE_FUSION, FusionRegister.CORRECTED_ACC, *mg, accuracy)


STALE_PERIODS = 3.0
"""Acceleration older than this many fusion periods is not paired with a quaternion."""


@dataclass(slots=True)
class MetaWearDecoder:
    """Stream decoder: pairs each quaternion with the latest acceleration and emits one sample per quaternion.

    Linear acceleration gets gravity added back (rotated into the sensor frame with the quaternion it is paired
    with). Notifications of other modules (command echoes, settings) are ignored; malformed fusion data is bad.
    """

    rate_hz: float = FUSION_RATE_HZ
    stats: DecodeStats = field(default_factory=DecodeStats)
    _acc: tuple[int, Vec3, bool] | None = None  # host ns, vector, is linear (gravity removed)
    _clock: HostClock | None = None

    def feed(self, packet: Packet) -> list[Sample]:
        self.stats.packets += 1
        data = packet.payload
        if packet.characteristic != NOTIFY_CHAR_UUID or len(data) < 2 or data[0] != MODULE_FUSION:
            self.stats.ignored_packets += 1
            return []
        try:
            value = parse_fusion(data)
        except ValueError as exc:
            self._bad(str(exc))
            return []
        if value.register == FusionRegister.CORRECTED_ACC:
            x, y, z = (units.mg_to_m_s2(v) for v in value.values)
            self._acc = (packet.t_host_ns, (x, y, z), False)
            return []
        if value.register == FusionRegister.LINEAR_ACC:
            x, y, z = value.values
            self._acc = (packet.t_host_ns, (x, y, z), True)
            return []
        if value.register != FusionRegister.QUATERNION:
            self.stats.unknown_frames += 1
            return []
        w, x, y, z = value.values
        quat = rotation.normalised((w, x, y, z))
        if quat is None:
            self._bad("degenerate quaternion")
            return []
        if self._clock is None:
            self._clock = HostClock(self.rate_hz)
        (t_s,), lost = self._clock.stamp(packet.t_host_ns, 1)
        self.stats.lost_frames += lost
        self.stats.frames += 1
        return [Sample(t_s, quat, self._paired_acc(packet.t_host_ns, quat), None, None)]

    def _paired_acc(self, t_host_ns: int, quat: Quat) -> Vec3 | None:
        if self._acc is None:
            return None
        t_ns, acc, linear = self._acc
        if t_host_ns - t_ns > STALE_PERIODS / self.rate_hz * units.NS_PER_S:
            return None
        return rotation.linear_to_specific_force(quat, acc) if linear else acc

    def _bad(self, reason: str) -> None:
        self.stats.count_bad(reason)
        log.debug("metamotion: bad notification: %s", reason)


@dataclass(frozen=True, slots=True)
class MetaWearProfile:
    """MbientLab MetaMotion: sensor-fusion quaternion plus acceleration, fixed 100 Hz."""

    name: str = NAME
    service_uuid: str = SERVICE_UUID
    data_characteristics: frozenset[str] = frozenset({NOTIFY_CHAR_UUID})
    nominal_rate_hz: float = FUSION_RATE_HZ

    def decoder(self, rate_hz: float | None = None) -> MetaWearDecoder:
        return MetaWearDecoder(rate_hz or self.nominal_rate_hz)


PROFILE = MetaWearProfile()
