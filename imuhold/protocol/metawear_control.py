"""MetaWear commands for sensor fusion (IMUPlus, BMI160 boards) and the link's start/stop sequences."""

from __future__ import annotations

import struct

from imuhold.protocol import metawear as mw
from imuhold.protocol.gatt import Advertised, LinkSpec, Step, Subscribe, Unsubscribe, Write
from imuhold.protocol.metawear import (
    MODULE_ACCELEROMETER,
    MODULE_FUSION,
    MODULE_GYRO,
    MODULE_SETTINGS,
    FusionRegister,
)

MODE_NDOF = 1
MODE_IMU_PLUS = 2
"""No magnetometer: steel gym equipment and floors disturb it, and imuhold ignores heading."""
RANGE_CFG_16G_2000DPS = 0x13
"""``(gyro_index + 1) << 4 | acc_index`` with acc 16 g (3) and gyro 2000 °/s (0)."""
BMI160_ACC_16G = bytes.fromhex("03 03 28 0c")
BMI160_GYRO_2000DPS = bytes.fromhex("13 03 28 00")
SETTINGS_CONNECTION_PARAMETERS = 0x09
_CONNECTION = struct.Struct("<BBHHHH")

ACC_KINDS = {"corrected": FusionRegister.CORRECTED_ACC, "linear": FusionRegister.LINEAR_ACC}


def connection_parameters_command(
    min_interval_ms: float, max_interval_ms: float, latency: int, timeout_ms: int
) -> bytes:
    """Settings module: ask the central for these connection parameters (1.25 ms and 10 ms units)."""
    return _CONNECTION.pack(
        MODULE_SETTINGS,
        SETTINGS_CONNECTION_PARAMETERS,
        int(min_interval_ms / 1.25),
        int(max_interval_ms / 1.25),
        latency,
        int(timeout_ms / 10),
    )


CONNECTION_7_5MS = connection_parameters_command(7.5, 7.5, 0, 6000)
"""Ask for a 7.5 ms connection interval, latency 0, supervision timeout 6 s: 100 Hz needs short intervals."""


def fusion_enable_command(on: bool) -> bytes:
    return bytes((MODULE_FUSION, FusionRegister.ENABLE, 1 if on else 0))


def output_enable_command(*registers: int) -> bytes:
    """Enable the outputs of these fusion data registers (and clear none)."""
    mask = 0
    for register in registers:
        mask |= output_mask(register)
    return bytes((MODULE_FUSION, FusionRegister.OUTPUT_ENABLE, mask, 0x00))


def output_mask(register: int) -> int:
    """Output-enable bit of a fusion data register (data source d = register - 4, bit 1 << d)."""
    return 1 << (register - FusionRegister.CORRECTED_ACC)


def subscribe_command(module: int, register: int, on: bool = True) -> bytes:
    """The MetaWear-level subscription ``[module, register, 01/00]`` (on top of the GATT notification)."""
    return bytes((module, register, 1 if on else 0))


def _write(data: bytes) -> Write:
    return Write(mw.COMMAND_CHAR_UUID, data, response=False)


def start_sequence(rate_hz: float | None = None, acc: str = "corrected") -> tuple[Step, ...]:
    """Configure IMUPlus fusion and stream the quaternion plus ``acc`` ("corrected" or "linear") at 100 Hz."""
    if rate_hz is not None and rate_hz != mw.FUSION_RATE_HZ:
        raise ValueError(f"MetaMotion sensor fusion runs at a fixed {mw.FUSION_RATE_HZ:g} Hz, not {rate_hz:g} Hz")
    acc_register = ACC_KINDS[acc]
    commands = [
        CONNECTION_7_5MS,
        bytes((MODULE_FUSION, FusionRegister.MODE, MODE_IMU_PLUS, RANGE_CFG_16G_2000DPS)),
        BMI160_ACC_16G,
        BMI160_GYRO_2000DPS,
        subscribe_command(MODULE_FUSION, FusionRegister.QUATERNION),
        subscribe_command(MODULE_FUSION, acc_register),
        bytes((MODULE_ACCELEROMETER, 0x02, 0x01, 0x00)),
        bytes((MODULE_GYRO, 0x02, 0x01, 0x00)),
        bytes((MODULE_ACCELEROMETER, 0x01, 0x01)),
        bytes((MODULE_GYRO, 0x01, 0x01)),
        output_enable_command(FusionRegister.QUATERNION, acc_register),
        fusion_enable_command(True),
    ]
    return (Subscribe(mw.NOTIFY_CHAR_UUID), *(_write(c) for c in commands))


def stop_sequence(acc: str = "corrected") -> tuple[Step, ...]:
    """Fusion off, outputs off, sensors stopped and disabled, subscriptions removed, notifications off."""
    commands = [
        fusion_enable_command(False),
        bytes((MODULE_FUSION, FusionRegister.OUTPUT_ENABLE, 0x00, 0x7F)),
        bytes((MODULE_ACCELEROMETER, 0x01, 0x00)),
        bytes((MODULE_GYRO, 0x01, 0x00)),
        bytes((MODULE_ACCELEROMETER, 0x02, 0x00, 0x01)),
        bytes((MODULE_GYRO, 0x02, 0x00, 0x01)),
        subscribe_command(MODULE_FUSION, FusionRegister.QUATERNION, on=False),
        subscribe_command(MODULE_FUSION, ACC_KINDS[acc], on=False),
    ]
    return (*(_write(c) for c in commands), Unsubscribe(mw.NOTIFY_CHAR_UUID))


LINK = LinkSpec(
    profile=mw.NAME,
    advertised=Advertised(service_uuids=frozenset({mw.SERVICE_UUID}), names=("MetaWear",)),
    start=start_sequence,
    stop=stop_sequence,
    rates_hz=(mw.FUSION_RATE_HZ,),
    note="BMI160 boards (MetaMotion R/RL/C); MetaMotion S (BMI270) needs other sensor-config bytes.",
)
