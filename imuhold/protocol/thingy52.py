"""Nordic Thingy:52 motion service: UUIDs, quaternion (2Q30) and raw-data (acc, gyro, compass) notifications.

The quaternion (w,x,y,z, from the MPU-9250 DMP) and the raw data arrive as separate notifications at the motion
processing frequency, without a time field; the decoder pairs each quaternion with the latest raw data and
stamps times from the configured rate and the host clock. See ``firmware_specs/thingy52.md``.
"""

from __future__ import annotations

import logging
import math
import struct
from dataclasses import dataclass, field

from imuhold import units
from imuhold.model import Packet, Quat, Sample, Vec3
from imuhold.protocol import rotation
from imuhold.protocol.base import DecodeStats
from imuhold.protocol.clock import HostClock

log = logging.getLogger(__name__)

NAME = "thingy52"


def thingy_uuid(short: int) -> str:
    return f"ef68{short:04x}-9b35-4933-9b10-52ffa9740042"


CONFIG_SERVICE_UUID = thingy_uuid(0x0100)
MOTION_SERVICE_UUID = thingy_uuid(0x0400)
MOTION_CONFIG_CHAR_UUID = thingy_uuid(0x0401)
QUATERNION_CHAR_UUID = thingy_uuid(0x0404)
RAW_CHAR_UUID = thingy_uuid(0x0406)
EULER_CHAR_UUID = thingy_uuid(0x0407)
ROTATION_MATRIX_CHAR_UUID = thingy_uuid(0x0408)
"""Not streamed by imuhold (the quaternion carries the same DMP orientation); its notifications are ignored."""
HEADING_CHAR_UUID = thingy_uuid(0x0409)
GRAVITY_CHAR_UUID = thingy_uuid(0x040A)
DEFAULT_RATE_HZ = 50.0

QUAT_SCALE = 1 << 30  # 2Q30
ACC_G_PER_LSB = 1.0 / 1024.0  # Q6.10
GYR_DEG_S_PER_LSB = 1.0 / 32.0  # Q11.5
MAG_UT_PER_LSB = 1.0 / 16.0  # Q12.4
ANGLE_DEG_PER_LSB = 1.0 / 65536.0  # 16Q16

_QUATERNION = struct.Struct("<4i")
_RAW = struct.Struct("<9h")
_EULER = struct.Struct("<3i")
_HEADING = struct.Struct("<i")
_GRAVITY = struct.Struct("<3f")


@dataclass(frozen=True, slots=True)
class RawData:
    """One raw-data notification in SI units (compass in µT)."""

    acc_m_s2: Vec3
    gyr_rad_s: Vec3
    mag_ut: Vec3


def parse_quaternion(data: bytes) -> Quat:
    """The four 2Q30 components, w first, as floats (not normalised); ValueError on a wrong length."""
    if len(data) != _QUATERNION.size:
        raise ValueError(f"quaternion is {len(data)} bytes, expected {_QUATERNION.size}")
    w, x, y, z = (v / QUAT_SCALE for v in _QUATERNION.unpack(data))
    return (w, x, y, z)


def parse_raw(data: bytes) -> RawData:
    if len(data) != _RAW.size:
        raise ValueError(f"raw data is {len(data)} bytes, expected {_RAW.size}")
    ax, ay, az, gx, gy, gz, mx, my, mz = _RAW.unpack(data)
    acc = (
        units.g_to_m_s2(ax * ACC_G_PER_LSB),
        units.g_to_m_s2(ay * ACC_G_PER_LSB),
        units.g_to_m_s2(az * ACC_G_PER_LSB),
    )
    k = units.deg_to_rad(GYR_DEG_S_PER_LSB)
    return RawData(acc, (gx * k, gy * k, gz * k), (mx * MAG_UT_PER_LSB, my * MAG_UT_PER_LSB, mz * MAG_UT_PER_LSB))


def parse_euler_deg(data: bytes) -> Vec3:
    """Roll, pitch, yaw in degrees (16Q16)."""
    if len(data) != _EULER.size:
        raise ValueError(f"Euler is {len(data)} bytes, expected {_EULER.size}")
    roll, pitch, yaw = (v * ANGLE_DEG_PER_LSB for v in _EULER.unpack(data))
    return (roll, pitch, yaw)


def parse_heading_deg(data: bytes) -> float:
    if len(data) != _HEADING.size:
        raise ValueError(f"heading is {len(data)} bytes, expected {_HEADING.size}")
    return _HEADING.unpack(data)[0] * ANGLE_DEG_PER_LSB


def parse_gravity(data: bytes) -> Vec3:
    """Gravity vector, three float32 (m/s²); ValueError on a wrong length or a NaN/inf (the only float here)."""
    if len(data) != _GRAVITY.size:
        raise ValueError(f"gravity is {len(data)} bytes, expected {_GRAVITY.size}")
    x, y, z = _GRAVITY.unpack(data)
    if not all(math.isfinite(v) for v in (x, y, z)):
        raise ValueError("gravity vector has a non-finite value")
    return (x, y, z)


def _clamp(value: float, bits: int) -> int:
    limit = 1 << (bits - 1)
    return max(-limit, min(limit - 1, round(value)))


def encode_quaternion(quat: Quat) -> bytes:
    return _QUATERNION.pack(*(_clamp(c * QUAT_SCALE, 32) for c in quat))


def encode_raw(acc_m_s2: Vec3, gyr_rad_s: Vec3, mag_ut: Vec3 = (0.0, 0.0, 0.0)) -> bytes:
    acc = (_clamp(v / units.STANDARD_GRAVITY_M_S2 / ACC_G_PER_LSB, 16) for v in acc_m_s2)
    gyr = (_clamp(units.rad_to_deg(v) / GYR_DEG_S_PER_LSB, 16) for v in gyr_rad_s)
    mag = (_clamp(v / MAG_UT_PER_LSB, 16) for v in mag_ut)
    return _RAW.pack(*acc, *gyr, *mag)


STALE_PERIODS = 3.0


@dataclass(slots=True)
class ThingyDecoder:
    """Stream decoder: one sample per quaternion notification, with the latest raw acc and gyro if recent."""

    rate_hz: float = DEFAULT_RATE_HZ
    stats: DecodeStats = field(default_factory=DecodeStats)
    _raw: tuple[int, RawData] | None = None
    _clock: HostClock | None = None

    def feed(self, packet: Packet) -> list[Sample]:
        self.stats.packets += 1
        if packet.characteristic == RAW_CHAR_UUID:
            try:
                self._raw = (packet.t_host_ns, parse_raw(packet.payload))
            except ValueError as exc:
                self._bad(str(exc))
            return []
        if packet.characteristic != QUATERNION_CHAR_UUID:
            self.stats.ignored_packets += 1
            return []
        try:
            quat = rotation.normalised(parse_quaternion(packet.payload))
        except ValueError as exc:
            self._bad(str(exc))
            return []
        if quat is None:
            self._bad("degenerate quaternion")
            return []
        if self._clock is None:
            self._clock = HostClock(self.rate_hz)
        (t_s,), lost = self._clock.stamp(packet.t_host_ns, 1)
        self.stats.lost_frames += lost
        self.stats.frames += 1
        raw = self._raw
        if raw is None or packet.t_host_ns - raw[0] > STALE_PERIODS / self.rate_hz * units.NS_PER_S:
            return [Sample(t_s, quat, None, None, None)]
        return [Sample(t_s, quat, raw[1].acc_m_s2, raw[1].gyr_rad_s, None)]

    def _bad(self, reason: str) -> None:
        self.stats.count_bad(reason)
        log.debug("thingy52: bad notification: %s", reason)


@dataclass(frozen=True, slots=True)
class ThingyProfile:
    """Nordic Thingy:52: DMP quaternion plus raw acceleration and angular rate."""

    name: str = NAME
    service_uuid: str = MOTION_SERVICE_UUID
    data_characteristics: frozenset[str] = frozenset({QUATERNION_CHAR_UUID, RAW_CHAR_UUID})
    nominal_rate_hz: float = DEFAULT_RATE_HZ

    def decoder(self, rate_hz: float | None = None) -> ThingyDecoder:
        return ThingyDecoder(rate_hz or self.nominal_rate_hz)


PROFILE = ThingyProfile()
