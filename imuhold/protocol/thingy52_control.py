"""Thingy:52 motion configuration (the 9-byte config value, processing frequency) and the link's sequences."""

from __future__ import annotations

import struct
from dataclasses import dataclass, replace

from imuhold.protocol import thingy52 as thingy
from imuhold.protocol.gatt import Advertised, LinkSpec, ReadModifyWrite, Step, Subscribe, Unsubscribe

RATE_MIN_HZ = 5
RATE_MAX_HZ = 200
_CONFIG = struct.Struct("<HHHHB")
CONFIG_SIZE = _CONFIG.size


@dataclass(frozen=True, slots=True)
class MotionConfig:
    """The motion service configuration; the firmware stores it in flash and accepts only all 9 bytes."""

    step_interval_ms: int = 1000
    temp_comp_interval_ms: int = 500
    mag_comp_interval_ms: int = 500
    motion_freq_hz: int = 10
    wake_on_motion: int = 1

    @classmethod
    def parse(cls, data: bytes) -> MotionConfig:
        if len(data) != CONFIG_SIZE:
            raise ValueError(f"motion config is {len(data)} bytes, expected {CONFIG_SIZE}")
        return cls(*_CONFIG.unpack(data))

    def encode(self) -> bytes:
        return _CONFIG.pack(
            self.step_interval_ms,
            self.temp_comp_interval_ms,
            self.mag_comp_interval_ms,
            self.motion_freq_hz,
            self.wake_on_motion,
        )


def check_rate(rate_hz: float) -> int:
    if not float(rate_hz).is_integer() or not RATE_MIN_HZ <= rate_hz <= RATE_MAX_HZ:
        raise ValueError(f"Thingy:52 motion frequency must be a whole {RATE_MIN_HZ}–{RATE_MAX_HZ} Hz, not {rate_hz:g}")
    return int(rate_hz)


def with_rate(config: bytes, rate_hz: float) -> bytes:
    """The read config with only the motion processing frequency changed."""
    return replace(MotionConfig.parse(config), motion_freq_hz=check_rate(rate_hz)).encode()


def start_sequence(rate_hz: float | None = None) -> tuple[Step, ...]:
    """Set the frequency (keeping the other settings), then enable raw data and quaternion notifications."""
    rate = thingy.DEFAULT_RATE_HZ if rate_hz is None else rate_hz
    check_rate(rate)
    return (
        ReadModifyWrite(thingy.MOTION_CONFIG_CHAR_UUID, lambda value: with_rate(value, rate)),
        Subscribe(thingy.RAW_CHAR_UUID),
        Subscribe(thingy.QUATERNION_CHAR_UUID),
    )


def stop_sequence() -> tuple[Step, ...]:
    """The firmware stops each motion feature when its notifications are disabled."""
    return (Unsubscribe(thingy.QUATERNION_CHAR_UUID), Unsubscribe(thingy.RAW_CHAR_UUID))


LINK = LinkSpec(
    profile=thingy.NAME,
    advertised=Advertised(
        service_uuids=frozenset({thingy.CONFIG_SERVICE_UUID, thingy.MOTION_SERVICE_UUID}), names=("Thingy",)
    ),
    start=start_sequence,
    stop=stop_sequence,
    rates_hz=tuple(float(r) for r in range(RATE_MIN_HZ, RATE_MAX_HZ + 1)),
    note="Firmware deprecated by Nordic in 2021; quaternion earth frame not verified on hardware.",
)
