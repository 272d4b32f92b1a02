"""WitMotion BLE 5.0 (WT901BLECL, WT9011DCL, BWT901BLE5.0): UUIDs, the 20-byte 0x61 and 0x71 frames, stream decoder.

The sensor streams Euler angles (plus acceleration and angular rate) in 20-byte frames without checksum, counter or
timestamp; it packs 2 or 4 frames into one notification and may split a frame across two; frames cut short are
counted as bad. The angles are turned
into a sensor → earth quaternion with the aerospace sequence ``Rz(yaw)·Ry(pitch)·Rx(roll)`` (earth z up).
See ``firmware_specs/witmotion-ble5.md``.
"""

from __future__ import annotations

import logging
import struct
from dataclasses import dataclass, field

from imuhold import units
from imuhold.model import Packet, Quat, Sample, Vec3
from imuhold.protocol import rotation
from imuhold.protocol.base import DecodeStats
from imuhold.protocol.clock import HostClock

log = logging.getLogger(__name__)

NAME = "witmotion-ble5"
# Not the SIG base UUID (…9b34fb): WitMotion's base ends in …9a34fb, so these are not 16-bit UUIDs.
SERVICE_UUID = "0000ffe5-0000-1000-8000-00805f9a34fb"
DATA_CHAR_UUID = "0000ffe4-0000-1000-8000-00805f9a34fb"
COMMAND_CHAR_UUID = "0000ffe9-0000-1000-8000-00805f9a34fb"
DUAL_MODE_SERVICE_UUID = "49535343-fe7d-4ae5-8fa9-9fafd205e455"
"""Microchip transparent-UART service some WitMotion units use; its payload is not confirmed, so not decoded."""

NAME_MARK = "WT"
VIBRATION_NAME_MARK = "WTVB"
"""WTVB01 vibration sensors share the service and the 0x55 0x61 header but send 28-byte frames: never decoded."""

HEADER = 0x55
FLAG_IMU = 0x61
FLAG_REGISTERS = 0x71
FRAME_SIZE = 20
DEFAULT_RATE_HZ = 50.0

ACC_G_PER_LSB = 16.0 / 32768.0
GYR_DEG_S_PER_LSB = 2000.0 / 32768.0
ANGLE_DEG_PER_LSB = 180.0 / 32768.0
QUAT_PER_LSB = 1.0 / 32768.0

_IMU = struct.Struct("<BB9h")
_REGISTERS = struct.Struct("<BBH8h")


@dataclass(frozen=True, slots=True)
class ImuFrame:
    """One 0x61 frame in raw integer units: acceleration, angular rate and roll/pitch/yaw."""

    acc_lsb: tuple[int, int, int]
    gyr_lsb: tuple[int, int, int]
    angle_lsb: tuple[int, int, int]

    @property
    def acc_g(self) -> Vec3:
        ax, ay, az = (v * ACC_G_PER_LSB for v in self.acc_lsb)
        return (ax, ay, az)

    @property
    def gyr_deg_s(self) -> Vec3:
        gx, gy, gz = (v * GYR_DEG_S_PER_LSB for v in self.gyr_lsb)
        return (gx, gy, gz)

    @property
    def angles_deg(self) -> Vec3:
        roll, pitch, yaw = (v * ANGLE_DEG_PER_LSB for v in self.angle_lsb)
        return (roll, pitch, yaw)


@dataclass(frozen=True, slots=True)
class RegisterReply:
    """One 0x71 frame: eight consecutive 16-bit registers starting at ``start_register``."""

    start_register: int
    values: tuple[int, ...]

    def quaternion(self) -> Quat | None:
        """Q0..Q3 (w first) when this reply starts at register 0x51, else None."""
        if self.start_register != 0x51:
            return None
        w, x, y, z = (v * QUAT_PER_LSB for v in self.values[:4])
        return (w, x, y, z)


def parse_imu_frame(frame: bytes) -> ImuFrame:
    """Parse one 20-byte ``55 61`` frame; ValueError otherwise."""
    if len(frame) != FRAME_SIZE or frame[0] != HEADER or frame[1] != FLAG_IMU:
        raise ValueError(f"not a 20-byte 55 61 frame: {frame[:2].hex()} ({len(frame)} bytes)")
    _, _, ax, ay, az, gx, gy, gz, roll, pitch, yaw = _IMU.unpack(frame)
    return ImuFrame((ax, ay, az), (gx, gy, gz), (roll, pitch, yaw))


def parse_register_reply(frame: bytes) -> RegisterReply:
    """Parse one 20-byte ``55 71`` register reply; ValueError otherwise."""
    if len(frame) != FRAME_SIZE or frame[0] != HEADER or frame[1] != FLAG_REGISTERS:
        raise ValueError(f"not a 20-byte 55 71 frame: {frame[:2].hex()} ({len(frame)} bytes)")
    _, _, start, *values = _REGISTERS.unpack(frame)
    return RegisterReply(start, tuple(values))


def frame_to_sample(frame: ImuFrame, t_s: float) -> Sample:
    """SI units; the quaternion from the Euler angles (ZYX)."""
    ax, ay, az = (units.g_to_m_s2(v) for v in frame.acc_g)
    gx, gy, gz = (units.deg_to_rad(v) for v in frame.gyr_deg_s)
    return Sample(t_s, rotation.from_euler_zyx_deg(*frame.angles_deg), (ax, ay, az), (gx, gy, gz), None)


def _clamp_i16(value: float) -> int:
    return max(-32768, min(32767, round(value)))


def _angle_lsb(deg: float) -> int:
    raw = round(deg / ANGLE_DEG_PER_LSB)
    return -32768 if raw >= 32768 else max(-32768, raw)  # +180° is -180°


def encode_imu_frame(quat: Quat, acc_m_s2: Vec3, gyr_rad_s: Vec3) -> bytes:
    """One ``55 61`` frame as the sensor would send it (for emulation): angles from ``quat`` (ZYX)."""
    acc = [_clamp_i16(v / units.STANDARD_GRAVITY_M_S2 / ACC_G_PER_LSB) for v in acc_m_s2]
    gyr = [_clamp_i16(units.rad_to_deg(v) / GYR_DEG_S_PER_LSB) for v in gyr_rad_s]
    angles = [_angle_lsb(a) for a in rotation.to_euler_zyx_deg(quat)]
    return _IMU.pack(HEADER, FLAG_IMU, *acc, *gyr, *angles)


def encode_register_reply(start_register: int, values: tuple[int, ...]) -> bytes:
    """A ``55 71`` reply with up to eight registers (zero-padded)."""
    padded = [*values, *([0] * (8 - len(values)))][:8]
    return _REGISTERS.pack(HEADER, FLAG_REGISTERS, start_register, *padded)


def _starts_a_frame(payload: bytes) -> bool:
    return len(payload) >= 2 and payload[0] == HEADER and payload[1] in (FLAG_IMU, FLAG_REGISTERS)


@dataclass(slots=True)
class WitMotionDecoder:
    """Stream decoder: reassembles frames split across notifications, unpacks coalesced ones, stamps times.

    A frame is accepted only when the notification ends right after it or the next byte is another 0x55, which
    rejects the 28-byte WTVB vibration frames and resynchronises after garbage (counted as bad frames).
    A partial frame is completed by the next notification unless that one starts with a frame header: then the
    partial frame was truncated (real captures show 16-byte frames) and counts as one bad frame.
    Register replies (0x71) are kept in ``replies`` (the last few), not turned into samples.
    """

    rate_hz: float = DEFAULT_RATE_HZ
    stats: DecodeStats = field(default_factory=DecodeStats)
    replies: list[RegisterReply] = field(default_factory=list)
    _buffer: bytearray = field(default_factory=bytearray)
    _clock: HostClock | None = None

    def feed(self, packet: Packet) -> list[Sample]:
        self.stats.packets += 1
        if packet.characteristic != DATA_CHAR_UUID:
            self.stats.ignored_packets += 1
            return []
        buffer, payload = self._buffer, packet.payload
        if buffer and _starts_a_frame(payload):
            self._bad(f"truncated frame: {len(buffer)} of {FRAME_SIZE} bytes, then a new frame")
            buffer.clear()
        buffer += payload
        frames: list[ImuFrame] = []
        start = 0
        while len(buffer) - start >= 2:
            if buffer[start] != HEADER or buffer[start + 1] not in (FLAG_IMU, FLAG_REGISTERS):
                start = self._resync(buffer, start + 1, "no 55 61/55 71 header")
                continue
            end = start + FRAME_SIZE
            if end > len(buffer):
                break  # the rest of this frame comes in the next notification
            if end < len(buffer) and buffer[end] != HEADER:
                start = self._resync(buffer, start + 1, "frame not followed by a header (a 28-byte WTVB frame?)")
                continue
            chunk = bytes(buffer[start:end])
            if chunk[1] == FLAG_IMU:
                frames.append(parse_imu_frame(chunk))
            else:
                self.replies = [*self.replies[-7:], parse_register_reply(chunk)]
            start = end
        del buffer[:start]
        if len(buffer) == 1 and buffer[0] != HEADER:
            self._bad("stray byte")
            buffer.clear()
        if not frames:
            return []
        if self._clock is None:
            self._clock = HostClock(self.rate_hz)
        times, lost = self._clock.stamp(packet.t_host_ns, len(frames))
        self.stats.lost_frames += lost
        self.stats.frames += len(frames)
        return [frame_to_sample(f, t) for f, t in zip(frames, times, strict=True)]

    def _resync(self, buffer: bytearray, start: int, reason: str) -> int:
        """Index of the next 0x55 at or after ``start`` (or the end); counts one bad frame."""
        self._bad(reason)
        found = buffer.find(HEADER, start)
        return len(buffer) if found < 0 else found

    def _bad(self, reason: str) -> None:
        self.stats.count_bad(reason)
        log.debug("witmotion: bad frame: %s", reason)


@dataclass(frozen=True, slots=True)
class WitMotionProfile:
    """WitMotion BLE 5.0 IMUs (Euler angles streamed, turned into a quaternion)."""

    name: str = NAME
    service_uuid: str = SERVICE_UUID
    data_characteristics: frozenset[str] = frozenset({DATA_CHAR_UUID})
    nominal_rate_hz: float = DEFAULT_RATE_HZ

    def decoder(self, rate_hz: float | None = None) -> WitMotionDecoder:
        return WitMotionDecoder(rate_hz or self.nominal_rate_hz)


PROFILE = WitMotionProfile()
