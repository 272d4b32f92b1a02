"""Header and mark value types: JSON round trip and validation."""

from __future__ import annotations

import pytest

from imuhold.recording import Mark, RecordingHeader
from imuhold.recording.format import is_uuid

from .builders import MOTION, make_header


def test_header_json_round_trip_keeps_extra_keys_and_order() -> None:
    header = make_header(sensor={"name": "IH-1", "firmware": "1.2"}, calibration={"q0": [1, 0, 0, 0]})
    data = header.to_json_dict()
    assert list(data)[:7] == [
        "format",
        "version",
        "profile",
        "rate_hz",
        "app_version",
        "created_utc",
        "characteristics",
    ]
    assert data["format"] == "imuhold-recording" and data["version"] == 1
    assert RecordingHeader.from_json_dict(data) == header


def test_header_lower_cases_uuids_and_copies_dicts() -> None:
    characteristics = {"m": MOTION.upper()}
    header = RecordingHeader("imuhold-v1", 100, characteristics=characteristics)
    characteristics["x"] = MOTION
    assert header.characteristics == {"m": MOTION}
    assert header.rate_hz == 100.0 and isinstance(header.rate_hz, float)


def test_header_defaults_fill_provenance() -> None:
    header = RecordingHeader("imuhold-v1", 50.0)
    assert header.app_version == "0.1.0"
    assert header.created_utc.endswith("Z") and "T" in header.created_utc


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "expected a JSON object"),
        ({"format": "imuhold-labels", "version": 1}, "not an imuhold recording"),
        ({"format": "imuhold-recording", "version": 2, "profile": "p", "rate_hz": 1}, "please upgrade"),
        ({"format": "imuhold-recording", "version": "1", "profile": "p", "rate_hz": 1}, "version '1'"),
        ({"format": "imuhold-recording", "version": True, "profile": "p", "rate_hz": 1}, "version True"),
        ({"format": "imuhold-recording", "version": 1, "rate_hz": 1}, "no 'profile'"),
        ({"format": "imuhold-recording", "version": 1, "profile": "p"}, "no 'rate_hz'"),
        ({"format": "imuhold-recording", "version": 1, "profile": "", "rate_hz": 1}, "profile"),
        ({"format": "imuhold-recording", "version": 1, "profile": "p", "rate_hz": 0}, "rate_hz"),
        ({"format": "imuhold-recording", "version": 1, "profile": "p", "rate_hz": float("nan")}, "rate_hz"),
        ({"format": "imuhold-recording", "version": 1, "profile": "p", "rate_hz": True}, "rate_hz"),
        (
            {"format": "imuhold-recording", "version": 1, "profile": "p", "rate_hz": 1, "characteristics": []},
            "characteristics",
        ),
        (
            {
                "format": "imuhold-recording",
                "version": 1,
                "profile": "p",
                "rate_hz": 1,
                "characteristics": {"m": "2a37"},
            },
            "not a full characteristic UUID",
        ),
        (
            {
                "format": "imuhold-recording",
                "version": 1,
                "profile": "p",
                "rate_hz": 1,
                "characteristics": {"m x": MOTION},
            },
            "may not contain spaces",
        ),
    ],
)
def test_bad_headers_say_why(data: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        RecordingHeader.from_json_dict(data)


def test_extra_may_not_shadow_header_keys() -> None:
    with pytest.raises(ValueError, match="profile"):
        RecordingHeader("imuhold-v1", 100.0, extra={"profile": "other"})


def test_mark_round_trip_and_validation() -> None:
    mark = Mark(123, "gap", {"note": "link lost", "lost_ms": 250})
    assert mark.to_json_dict() == {"t_host_ns": 123, "kind": "gap", "note": "link lost", "lost_ms": 250}
    assert Mark.from_json_dict(mark.to_json_dict()) == mark
    for bad in ({"kind": "gap"}, {"t_host_ns": -1, "kind": "gap"}, {"t_host_ns": 1, "kind": ""}, [1]):
        with pytest.raises(ValueError):
            Mark.from_json_dict(bad)
    with pytest.raises(ValueError, match="kind"):
        Mark(1, "user", {"kind": "again"})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (MOTION, True),
        (MOTION.upper(), True),
        ("00002a37-0000-1000-8000-00805f9b34fb", True),
        ("2a37", False),
        (MOTION.replace("-", "_"), False),
        (MOTION[:-1] + "g", False),
        (MOTION + "0", False),
    ],
)
def test_is_uuid(text: str, expected: bool) -> None:
    assert is_uuid(text) is expected
