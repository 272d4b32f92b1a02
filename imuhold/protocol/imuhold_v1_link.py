"""How a host starts and stops an imuhold-v1 sensor (spec §11.1), as link steps, and how it is recognised."""

from __future__ import annotations

from imuhold.protocol import imuhold_v1 as v1
from imuhold.protocol.gatt import Advertised, LinkSpec, Read, Step, Subscribe, Unsubscribe, Write
from imuhold.protocol.imuhold_v1_control import Info, set_rate_command, start_command, stop_command

NAME_PREFIX = "imuhold-"


def check_info(value: bytes, rate_hz: float | None = None) -> Info:
    """The parsed info; ValueError when the major differs, it is inconsistent, or ``rate_hz`` is out of range."""
    info = Info.parse(value)
    problems = info.problems()
    if problems:
        raise ValueError("imuhold-v1 info is inconsistent: " + "; ".join(problems))
    if rate_hz is not None and not info.min_rate_hz <= rate_hz <= info.max_rate_hz:
        raise ValueError(f"the sensor streams at {info.min_rate_hz}–{info.max_rate_hz} Hz, not {rate_hz:g} Hz")
    return info


def start_sequence(rate_hz: float | None = None) -> tuple[Step, ...]:
    """Info check, control point then motion notifications, SET_RATE, START.

    START goes without a frame type, which means type 0x01 when the device has it, else 0x02: one sequence
    serves fused and raw sensors alike.
    """
    rate = None if rate_hz is None else round(rate_hz)
    if rate is not None:
        set_rate_command(rate)  # ValueError outside 1..1000 Hz
    return (
        Read(v1.INFO_CHAR_UUID, lambda value: check_info(value, rate)),
        Subscribe(v1.CONTROL_CHAR_UUID),
        Subscribe(v1.MOTION_CHAR_UUID),
        *(() if rate is None else (Write(v1.CONTROL_CHAR_UUID, set_rate_command(rate)),)),
        Write(v1.CONTROL_CHAR_UUID, start_command()[:1]),
    )


def stop_sequence() -> tuple[Step, ...]:
    return (
        Write(v1.CONTROL_CHAR_UUID, stop_command()),
        Unsubscribe(v1.MOTION_CHAR_UUID),
        Unsubscribe(v1.CONTROL_CHAR_UUID),
    )


LINK = LinkSpec(
    profile=v1.NAME,
    advertised=Advertised(service_uuids=frozenset({v1.SERVICE_UUID}), names=(NAME_PREFIX,)),
    start=start_sequence,
    stop=stop_sequence,
    rates_hz=tuple(float(r) for r in range(1, 1001)),
    numbered=True,
    note="The open profile for DIY sensors (firmware_specs/imuhold-profile.md).",
)
