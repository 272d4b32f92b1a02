"""Builders shared by the recording tests: a header, packets with known bytes, raw file writers."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from imuhold.model import Packet
from imuhold.recording import RecordingHeader

MOTION = "7a3c0002-4e1b-4d2f-9c6a-2f8e5b1d0c47"
CONTROL = "7a3c0003-4e1b-4d2f-9c6a-2f8e5b1d0c47"
INFO = "7a3c0004-4e1b-4d2f-9c6a-2f8e5b1d0c47"
T0_NS = 5_000_000_000


def make_header(**extra: object) -> RecordingHeader:
    return RecordingHeader(
        profile="imuhold-v1",
        rate_hz=100.0,
        app_version="0.1.0",
        created_utc="2026-11-24T10:00:00Z",
        characteristics={"m": MOTION},
        extra=dict(extra),
    )


def make_packets(n: int, characteristic: str = MOTION, t0_ns: int = T0_NS) -> list[Packet]:
    """``n`` packets 10 ms apart whose 20-byte payloads encode their index (easy to check)."""
    return [Packet(t0_ns + i * 10_000_000, characteristic, bytes([i % 256]) * 20) for i in range(n)]


def header_line(**extra: object) -> str:
    return json.dumps(make_header(**extra).to_json_dict())


def write_text(path: Path, text: str, gz: bool = False) -> Path:
    data = text.encode()
    path.write_bytes(gzip.compress(data) if gz else data)
    return path
