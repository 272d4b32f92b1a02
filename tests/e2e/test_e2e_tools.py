"""The host-side e2e tools: the BTSnoop reader and the run summary's drop numbers (the VM itself is `make e2e`)."""

from __future__ import annotations

import importlib.util
import struct
from pathlib import Path

import pytest

HERE = Path(__file__).parent


def _module(name: str):
    spec = importlib.util.spec_from_file_location(f"e2e_{name}", HERE / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


btsnoop = _module("btsnoop")
report = _module("report")


def _record(t_us: int, opcode: int, packet: bytes) -> bytes:
    return struct.pack(">IIIIq", len(packet), len(packet), opcode, 0, t_us) + packet


def _att(handle: int, pdu: bytes) -> bytes:
    return struct.pack("<HHHH", handle, len(pdu) + 4, len(pdu), 4) + pdu


def test_btsnoop_folds_notifications_and_names_connection_events() -> None:
    connected = bytes([0x3E, 19, 0x01, 0x00]) + struct.pack("<H", 1) + bytes(14)
    disconnected = bytes([0x05, 4, 0x00]) + struct.pack("<H", 1) + bytes([0x13])
    data = b"btsnoop\0" + struct.pack(">II", 1, 2001)
    data += _record(0, 3, connected)
    data += _record(100_000, 4, _att(1, bytes([0x12, 0x17, 0x00, 0x01, 0x00])))
    data += _record(110_000, 5, _att(1, bytes([0x01, 0x12, 0x17, 0x00, 0x03])))
    for i in range(3):
        data += _record(200_000 + i * 20_000, 5, _att(1, bytes([0x1B, 0x10, 0x00, i])))
    data += _record(500_000, 3, disconnected)
    lines = list(btsnoop.summary(data))
    assert lines == [
        "    0.000 EVT LE Connection Complete status=0 handle=0x1",
        "    0.100 tx h=0x1 ATT WriteReq 17000100",
        "    0.110 rx h=0x1 ATT ErrRsp 12170003",
        "    0.200..    0.240 rx h=0x1 Notify x3 attr=0x10",
        "    0.500 EVT Disconnection Complete status=0 handle=0x1 reason=0x13",
    ]


def test_btsnoop_refuses_another_file() -> None:
    with pytest.raises(ValueError, match="not a BTSnoop file"):
        list(btsnoop.summary(b"PK\x03\x04" + bytes(40)))


def test_the_drops_line_pools_every_drop_of_the_run() -> None:
    scenarios = [
        {"imuhold_reconnect_s": [1.0, 3.0], "imuhold_drops": 2, "packets_lost": 1, "packets_lost_per_drop": 0.5},
        {"imuhold_reconnect_s": [2.0], "imuhold_drops": 1, "packets_lost": 0, "packets_lost_per_drop": 0.0,
         "imuhold_duplicates": 0, "packets_unmatched": 2},
        {"imuhold_reconnect_s": [], "packets_lost": 7},  # a live scenario: its loss is not a drop's
    ]  # fmt: skip
    line = report.drops_line(scenarios)
    assert line == (
        "drops: 3 reconnects, p50 2.00 s, p99 2.98 s; notifications lost per drop 0.3 (1 over 3 drops); duplicates 2"
    )
    assert report.drops_line([]) == (
        "drops: 0 reconnects, -; notifications lost per drop - (0 over 0 drops); duplicates 0"
    )
