"""Reads a btmon BTSnoop capture on the host (``btmon -r`` crashed in the guest): connections and ATT, one line each.

Usage: python btsnoop.py share/out/btmon.snoop   → seconds since the first record, then the connection events, the
LE commands and every ATT PDU; runs of notifications on one handle are folded into one line ("Notify xN").
"""

from __future__ import annotations

import struct
import sys
from collections.abc import Iterator
from pathlib import Path

HEADER = b"btsnoop\0"
COMMAND, EVENT, ACL_TX, ACL_RX = 2, 3, 4, 5
"""BTSnoop monitor-format opcodes (the low 16 bits of a record's flags)."""
ATT_CID = 4
ATT_NAMES = {
    0x01: "ErrRsp", 0x02: "MtuReq", 0x03: "MtuRsp", 0x04: "FindInfoReq", 0x05: "FindInfoRsp", 0x08: "ReadTypeReq",
    0x09: "ReadTypeRsp", 0x0A: "ReadReq", 0x0B: "ReadRsp", 0x10: "ReadGroupReq", 0x11: "ReadGroupRsp",
    0x12: "WriteReq", 0x13: "WriteRsp", 0x1B: "Notify", 0x1D: "Indicate", 0x1E: "Confirm", 0x52: "WriteCmd",
}  # fmt: skip
QUIET_COMMANDS = {0x2005, 0x200B, 0x200C, 0x2041, 0x2042}
"""Scan parameters and enable, random address: every scan sets them; left out."""


def records(data: bytes) -> Iterator[tuple[float, int, bytes]]:
    """(seconds since the first record, opcode, packet) for every record."""
    if data[:8] != HEADER:
        raise ValueError(f"not a BTSnoop file (starts with {data[:8]!r})")
    offset, first_us = 16, None
    while offset + 24 <= len(data):
        _, length, flags, _, stamp_us = struct.unpack(">IIIIq", data[offset : offset + 24])
        packet = data[offset + 24 : offset + 24 + length]
        offset += 24 + length
        first_us = stamp_us if first_us is None else first_us
        yield (stamp_us - first_us) / 1e6, flags & 0xFFFF, packet


def describe(opcode: int, packet: bytes) -> tuple[str, tuple[str, int, int] | None]:
    """A line for one record, or a notification key (direction, connection handle, attribute handle)."""
    if opcode == EVENT:
        event = packet[0]
        if event == 0x3E and packet[2] in (0x01, 0x0A):
            handle = struct.unpack("<H", packet[4:6])[0]
            return f"EVT LE Connection Complete status={packet[3]} handle={handle:#x}", None
        if event == 0x3E and packet[2] == 0x02:  # advertising reports
            return "", None
        if event == 0x05:
            handle = struct.unpack("<H", packet[3:5])[0]
            return f"EVT Disconnection Complete status={packet[2]} handle={handle:#x} reason={packet[5]:#x}", None
        return (f"EVT {event:#04x} {packet[2:12].hex()}", None) if event not in (0x0E, 0x0F, 0x13) else ("", None)
    if opcode == COMMAND:
        command = struct.unpack("<H", packet[0:2])[0]
        return ("" if command in QUIET_COMMANDS else f"CMD {command:#06x} {packet[3:19].hex()}"), None
    if opcode in (ACL_TX, ACL_RX):
        direction = "tx" if opcode == ACL_TX else "rx"
        handle = struct.unpack("<H", packet[0:2])[0] & 0x0FFF
        cid, body = struct.unpack("<H", packet[6:8])[0], packet[8:]
        if cid != ATT_CID or not body:
            return f"{direction} h={handle:#x} L2CAP cid={cid:#x} {body[:8].hex()}", None
        if body[0] == 0x1B:
            return "", (direction, handle, struct.unpack("<H", body[1:3])[0])
        return f"{direction} h={handle:#x} ATT {ATT_NAMES.get(body[0], hex(body[0]))} {body[1:40].hex()}", None
    return "", None


def summary(data: bytes) -> Iterator[str]:
    run: list | None = None  # [first t, last t, key, count]
    for t, opcode, packet in records(data):
        line, key = describe(opcode, packet)
        if key is not None and run is not None and run[2] == key:
            run[1], run[3] = t, run[3] + 1
            continue
        if run is not None and (key is not None or line):
            yield f"{run[0]:9.3f}..{run[1]:9.3f} {run[2][0]} h={run[2][1]:#x} Notify x{run[3]} attr={run[2][2]:#x}"
            run = None
        if key is not None:
            run = [t, t, key, 1]
        elif line:
            yield f"{t:9.3f} {line}"
    if run is not None:
        yield f"{run[0]:9.3f}..{run[1]:9.3f} {run[2][0]} h={run[2][1]:#x} Notify x{run[3]} attr={run[2][2]:#x}"


if __name__ == "__main__":
    for row in summary(Path(sys.argv[1]).read_bytes()):
        print(row)
