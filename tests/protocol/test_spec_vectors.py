"""Every test vector quoted in firmware_specs/*.md decodes, and re-encodes, exactly as the spec says."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from imuhold.model import Packet
from imuhold.protocol import imuhold_v1 as v1
from imuhold.protocol.imuhold_v1_control import (
    INFO_SIZE,
    Command,
    CommandRejected,
    ControlResponse,
    Info,
    Opcode,
    Status,
    parse_command,
    set_rate_command,
    start_command,
    stop_command,
)

SPEC_DIR = Path(__file__).resolve().parents[2] / "firmware_specs"
SPECS = sorted(SPEC_DIR.glob("*.md"))
EVIDENCE_CLASSES = {"OFFICIAL-DOC", "OFFICIAL-TEST", "CAPTURED", "DERIVED", "SYNTHETIC", "UNVERIFIED"}
_BLOCK = re.compile(r"^```vector[ \t]*\n(.*?)^```[ \t]*$", re.DOTALL | re.MULTILINE)
_ABS = 1e-6
_RAW_FIELDS = ("frame_type", "seq", "t_us", "quat_q14", "gyr_lsb", "acc_mg")


def _vectors(spec: Path) -> list[dict[str, Any]]:
    """The vectors of one spec: one JSON object per non-blank line of each ```vector block."""
    text = spec.read_text(encoding="utf-8")
    found = []
    for block in _BLOCK.finditer(text):
        first_line = text.count("\n", 0, block.start(1)) + 1
        for offset, line in enumerate(block.group(1).splitlines()):
            if not line.strip():
                continue
            try:
                vector = json.loads(line)
            except json.JSONDecodeError as exc:
                raise AssertionError(f"{spec.name}:{first_line + offset}: bad vector JSON: {exc}") from exc
            vector["_spec"] = spec.name
            found.append(vector)
    return found


VECTORS = [vector for spec in SPECS for vector in _vectors(spec)]


def test_there_is_a_spec() -> None:
    assert SPECS, f"no firmware spec in {SPEC_DIR}"


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.name)
def test_every_spec_quotes_vectors(spec: Path) -> None:
    assert _vectors(spec), f"{spec.name} has no ```vector block: every spec must carry test vectors"


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.name)
def test_every_vector_is_also_in_the_human_readable_text(spec: Path) -> None:
    prose = _BLOCK.sub("", spec.read_text(encoding="utf-8"))
    missing = [v["id"] for v in _vectors(spec) if v["id"] not in prose]
    assert not missing, f"{spec.name}: vectors missing from the tables: {missing}"


def test_vectors_are_well_formed() -> None:
    ids = [v["id"] for v in VECTORS]
    assert len(ids) == len(set(ids)), "vector ids must be unique across all specs"
    for v in VECTORS:
        assert {"id", "class", "profile", "char", "hex", "expect"} <= v.keys(), v["id"]
        assert v["class"] in EVIDENCE_CLASSES, f"{v['id']}: unknown evidence class {v['class']!r}"


def _approx(values: list[float]) -> Any:
    return pytest.approx(values, abs=_ABS)


def _rotate(quat: tuple[float, ...], vec: list[float]) -> list[float]:
    """q ⊗ (0, v) ⊗ q* for a unit quaternion, written out independently of the code under test."""
    w, x, y, z = quat
    vx, vy, vz = vec
    tx, ty, tz = 2 * (y * vz - z * vy), 2 * (z * vx - x * vz), 2 * (x * vy - y * vx)
    return [
        vx + w * tx + (y * tz - z * ty),
        vy + w * ty + (z * tx - x * tz),
        vz + w * tz + (x * ty - y * tx),
    ]


def _check_motion_frame(vid: str, chunk: bytes, want: dict[str, Any], encodable: bool, at_rest: bool) -> None:
    error = want.get("error")
    if error in ("unknown_frame_type", "invalid_frame_type"):
        assert chunk[0] == want["frame_type"], vid
        with pytest.raises(ValueError, match="frame type"):
            v1.parse_frame(chunk)
        return
    frame = v1.parse_frame(chunk)
    raw = {"frame_type": frame.frame_type, "seq": frame.seq, "t_us": frame.t_us, "acc_mg": list(frame.acc_mg)}
    if frame.quat_q14 is not None:
        raw["quat_q14"] = list(frame.quat_q14)
    if frame.gyr_lsb is not None:
        raw["gyr_lsb"] = list(frame.gyr_lsb)
    assert raw == {k: want[k] for k in _RAW_FIELDS if k in want}, vid
    sample = v1.frame_to_sample(frame, 0.0)
    if error == "degenerate_quaternion":
        assert sample is None, vid
        return
    assert error is None, f"{vid}: unknown error kind {error!r}"
    assert sample is not None, vid
    assert list(sample.acc_m_s2 or ()) == _approx(want["acc_m_s2"]), vid
    assert sample.seq == want["seq"], vid
    if "quat" in want:
        assert sample.quat is not None and list(sample.quat) == _approx(want["quat"]), vid
    else:
        assert sample.quat is None, vid
    if "gyr_rad_s" in want:
        assert sample.gyr_rad_s is not None and list(sample.gyr_rad_s) == _approx(want["gyr_rad_s"]), vid
    else:
        assert sample.gyr_rad_s is None, vid
    if at_rest:  # R20: gravity, rotated into the earth frame, points up
        norm_mg = math.dist(want["acc_mg"], (0, 0, 0))
        assert 950 <= norm_mg <= 1050, vid
        if "quat" in want:
            up = _rotate(tuple(want["quat"]), want["acc_mg"])
            assert math.degrees(math.acos(up[2] / norm_mg)) < 5.0, f"{vid}: gravity is not up: {up}"
    if encodable:
        seq, t_us, acc = want["seq"], want["t_us"], tuple(want["acc_m_s2"])
        if frame.frame_type == v1.FRAME_QUAT_ACC:
            again = v1.encode_quat_acc(seq, t_us, tuple(want["quat"]), acc)
        else:
            again = v1.encode_gyr_acc(seq, t_us, tuple(want["gyr_rad_s"]), acc)
        assert again == chunk, f"{vid}: re-encoding gives {again.hex(' ')}"


def _check_motion(v: dict[str, Any]) -> None:
    hexes = v["hex"] if isinstance(v["hex"], list) else [v["hex"]]
    notifications = [bytes.fromhex(h) for h in hexes]
    expect = v["expect"]
    chunks = [
        n[i : i + v1.FRAME_SIZE]
        for n in notifications
        if n and len(n) % v1.FRAME_SIZE == 0
        for i in range(0, len(n), v1.FRAME_SIZE)
    ]
    assert len(chunks) == len(expect["frames"]), f"{v['id']}: one expected entry per whole frame"
    for n in notifications:
        if len(n) != v1.FRAME_SIZE and len(n) % v1.FRAME_SIZE:
            with pytest.raises(ValueError, match="bytes"):
                v1.parse_frame(n)
    for chunk, want in zip(chunks, expect["frames"], strict=True):
        encodable = v.get("encodable", True)
        _check_motion_frame(v["id"], chunk, want, encodable, expect.get("at_rest", False))

    decoder = v1.PROFILE.decoder()
    samples = [s for n in notifications for s in decoder.feed(Packet(0, v1.MOTION_CHAR_UUID, n))]
    got = {
        "samples": len(samples),
        "bad_frames": decoder.stats.bad_frames,
        "unknown_frames": decoder.stats.unknown_frames,
        "lost_frames": decoder.stats.lost_frames,
    }
    assert got == {k: expect[k] for k in got}, v["id"]
    wanted_t_s = [f["t_s"] for f in expect["frames"] if "error" not in f]
    assert [s.t_s for s in samples] == _approx(wanted_t_s), v["id"]
    assert [s.seq for s in samples] == [f["seq"] for f in expect["frames"] if "error" not in f], v["id"]


def _check_control_write(v: dict[str, Any], data: bytes) -> None:
    expect = v["expect"]
    if "rejected" in expect:
        with pytest.raises(CommandRejected) as caught:
            parse_command(data)
        assert caught.value.status is Status[expect["rejected"]], v["id"]
        assert caught.value.opcode == expect["opcode"], v["id"]
        return
    command = parse_command(data)
    assert command == Command(expect["opcode"], expect["frame_type"], expect["rate_hz"]), v["id"]
    if command.opcode == Opcode.START and command.frame_type is not None:
        assert start_command(command.frame_type) == data, v["id"]
    elif command.opcode == Opcode.STOP:
        assert stop_command() == data, v["id"]
    elif command.opcode == Opcode.SET_RATE:
        assert command.rate_hz is not None
        assert set_rate_command(command.rate_hz) == data, v["id"]


def _check_control_notify(v: dict[str, Any], data: bytes) -> None:
    expect = v["expect"]
    if "error" in expect:
        with pytest.raises(ValueError):
            ControlResponse.parse(data)
        return
    response = ControlResponse.parse(data)
    want = ControlResponse(expect["request_opcode"], Status[expect["status"]], expect["rate_hz"])
    assert response == want, v["id"]
    assert response.encode() == data, v["id"]


def _check_info(v: dict[str, Any], data: bytes) -> None:
    expect = v["expect"]
    if "error" in expect:
        with pytest.raises(ValueError):
            Info.parse(data)
        return
    info = Info.parse(data)
    got = {
        "profile_major": info.profile_major,
        "profile_minor": info.profile_minor,
        "frame_types": sorted(info.frame_types),
        "min_rate_hz": info.min_rate_hz,
        "max_rate_hz": info.max_rate_hz,
        "rate_hz": info.rate_hz,
        "active_frame_type": info.active_frame_type,
    }
    assert got == expect, v["id"]
    assert info.problems() == [], v["id"]
    assert info.encode() == data[:INFO_SIZE], v["id"]


def _check_imuhold_v1(v: dict[str, Any]) -> None:
    if v["char"] == "motion":
        _check_motion(v)
        return
    data = bytes.fromhex(v["hex"])
    if v["char"] == "control" and v.get("dir") == "write":
        _check_control_write(v, data)
    elif v["char"] == "control" and v.get("dir") == "notify":
        _check_control_notify(v, data)
    elif v["char"] == "info":
        _check_info(v, data)
    else:
        pytest.fail(f"{v['id']}: unknown characteristic/direction {v['char']!r}/{v.get('dir')!r}")


CHECKERS: dict[str, Callable[[dict[str, Any]], None]] = {v1.NAME: _check_imuhold_v1}


@pytest.mark.parametrize("vector", VECTORS, ids=[v["id"] for v in VECTORS])
def test_vector(vector: dict[str, Any]) -> None:
    checker = CHECKERS.get(vector["profile"])
    if checker is None:
        pytest.skip(f"{vector['_spec']}: no checker for profile {vector['profile']!r} yet")
    checker(vector)
