"""Every test vector quoted in firmware_specs/*.md decodes, and re-encodes, exactly as the spec says."""

from __future__ import annotations

import json
import math
import re
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from imuhold import units
from imuhold.model import Packet
from imuhold.protocol import PROFILES, get_profile
from imuhold.protocol import imuhold_v1 as v1
from imuhold.protocol import metawear as mw
from imuhold.protocol import metawear_control as mw_control
from imuhold.protocol import movella_dot as dot
from imuhold.protocol import movella_dot_control as dot_control
from imuhold.protocol import thingy52 as thingy
from imuhold.protocol import thingy52_control as thingy_control
from imuhold.protocol import witmotion as wit
from imuhold.protocol import witmotion_control as wit_control
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
        if v["class"] == "CAPTURED":  # bytes from a physical device: say where they were published
            assert v.get("source"), f"{v['id']}: a CAPTURED vector names its source"


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


# -- vendor profiles: one generic checker, driven by tables keyed by the vector's profile ----------------------

_G = units.STANDARD_GRAVITY_M_S2

CHARS: dict[str, dict[str, str]] = {
    wit.NAME: {"data": wit.DATA_CHAR_UUID, "command": wit.COMMAND_CHAR_UUID},
    mw.NAME: {"notify": mw.NOTIFY_CHAR_UUID, "command": mw.COMMAND_CHAR_UUID},
    dot.NAME: {
        "short": dot.SHORT_PAYLOAD_CHAR_UUID,
        "medium": dot.MEDIUM_PAYLOAD_CHAR_UUID,
        "control": dot.CONTROL_CHAR_UUID,
        "device_control": dot.DEVICE_CONTROL_CHAR_UUID,
    },
    thingy.NAME: {
        "quaternion": thingy.QUATERNION_CHAR_UUID,
        "raw": thingy.RAW_CHAR_UUID,
        "euler": thingy.EULER_CHAR_UUID,
        "heading": thingy.HEADING_CHAR_UUID,
        "gravity": thingy.GRAVITY_CHAR_UUID,
        "config": thingy.MOTION_CONFIG_CHAR_UUID,
        "rotation_matrix": thingy.ROTATION_MATRIX_CHAR_UUID,
    },
}


def _fields(value: Any) -> dict[str, Any]:
    """A parsed dataclass as a dict of plain values (tuples as lists), properties included on request."""
    out = {}
    for name in getattr(value, "__slots__", ()):
        item = getattr(value, name)
        out[name] = list(item) if isinstance(item, tuple) else item
    return out


def _wit_imu(data: bytes) -> dict[str, Any]:
    frame = wit.parse_imu_frame(data)
    extra = {"acc_g": list(frame.acc_g), "gyr_deg_s": list(frame.gyr_deg_s), "angles_deg": list(frame.angles_deg)}
    return _fields(frame) | extra


def _wit_registers(data: bytes) -> dict[str, Any]:
    reply = wit.parse_register_reply(data)
    quat = reply.quaternion()
    return _fields(reply) | ({} if quat is None else {"quaternion": list(quat)})


def _mw_fusion_g(data: bytes) -> dict[str, Any]:
    value = mw.parse_fusion(data)
    return {"register": value.register, "values_g": [v / _G for v in value.values]}


def _thingy_raw(data: bytes) -> dict[str, Any]:
    raw = thingy.parse_raw(data)
    return {
        "acc_g": [v / _G for v in raw.acc_m_s2],
        "acc_norm_g": math.dist(raw.acc_m_s2, (0.0, 0.0, 0.0)) / _G,
        "gyr_deg_s": [math.degrees(v) for v in raw.gyr_rad_s],
        "mag_ut": list(raw.mag_ut),
    }


PARSERS: dict[tuple[str, str], Callable[[bytes], dict[str, Any]]] = {
    (wit.NAME, "imu_frame"): _wit_imu,
    (wit.NAME, "register_reply"): _wit_registers,
    (mw.NAME, "fusion"): lambda data: _fields(mw.parse_fusion(data)),
    (mw.NAME, "fusion_g"): _mw_fusion_g,
    (dot.NAME, "device_control"): lambda data: _fields(dot_control.DeviceControl.parse(data)),
    (dot.NAME, "free_acceleration"): lambda data: _fields(dot.parse_free_acceleration(data)),
    (thingy.NAME, "quaternion"): lambda data: {"quat": list(thingy.parse_quaternion(data))},
    (thingy.NAME, "raw"): _thingy_raw,
    (thingy.NAME, "euler"): lambda data: {"angles_deg": list(thingy.parse_euler_deg(data))},
    (thingy.NAME, "gravity"): lambda data: {"gravity": list(thingy.parse_gravity(data))},
    (thingy.NAME, "heading"): lambda data: {"heading_deg": thingy.parse_heading_deg(data)},
    (thingy.NAME, "config"): lambda data: _fields(thingy_control.MotionConfig.parse(data)),
}

BUILDERS: dict[tuple[str, str], Callable[..., bytes]] = {
    (wit.NAME, "unlock"): wit_control.unlock_command,
    (wit.NAME, "save"): wit_control.save_command,
    (wit.NAME, "rate"): wit_control.rate_command,
    (wit.NAME, "read"): wit_control.read_command,
    (wit.NAME, "register"): wit_control.command,
    (mw.NAME, "connection_parameters"): mw_control.connection_parameters_command,
    (mw.NAME, "fusion_enable"): mw_control.fusion_enable_command,
    (mw.NAME, "output_enable"): mw_control.output_enable_command,
    (mw.NAME, "subscribe"): mw_control.subscribe_command,
    (dot.NAME, "start"): lambda mode: dot_control.start_command(dot.PayloadMode(mode)),
    (dot.NAME, "stop"): lambda mode: dot_control.stop_command(dot.PayloadMode(mode)),
    (dot.NAME, "heading_reset"): lambda: dot_control.HEADING_RESET,
    (dot.NAME, "with_output_rate"): lambda value, rate: dot_control.with_output_rate(bytes.fromhex(value), rate),
}


def _decoder(v: dict[str, Any]) -> Any:
    profile = get_profile(v["profile"])
    if v["profile"] == dot.NAME:
        return dot.DotDecoder(dot.PayloadMode(v["mode"]), v.get("rate_hz", dot.DEFAULT_RATE_HZ))
    return profile.decoder(v.get("rate_hz"))  # type: ignore[call-arg]


def _quat_from_zyx_deg(roll: float, pitch: float, yaw: float) -> list[float]:
    """Rz(yaw)·Ry(pitch)·Rx(roll) as a quaternion, written out independently of the code under test."""

    def axis(angle_deg: float, k: int) -> list[float]:
        half = math.radians(angle_deg) / 2
        q = [math.cos(half), 0.0, 0.0, 0.0]
        q[k] = math.sin(half)
        return q

    def mul(a: list[float], b: list[float]) -> list[float]:
        aw, ax, ay, az = a
        bw, bx, by, bz = b
        return [
            aw * bw - ax * bx - ay * by - az * bz,
            aw * bx + ax * bw + ay * bz - az * by,
            aw * by - ax * bz + ay * bw + az * bx,
            aw * bz + ax * by - ay * bx + az * bw,
        ]

    return mul(mul(axis(yaw, 3), axis(pitch, 2)), axis(roll, 1))


def _same_rotation(got: tuple[float, ...], want: list[float], tol: float) -> bool:
    return list(got) == pytest.approx(want, abs=tol) or [-c for c in got] == pytest.approx(want, abs=tol)


def _check_sample(vid: str, sample: Any, want: dict[str, Any], tol: float) -> None:
    if "t_s" in want:
        assert sample.t_s == pytest.approx(want["t_s"], abs=1e-6), vid
    if "quat" in want:
        assert _same_rotation(sample.quat, want["quat"], tol), f"{vid}: quat {sample.quat}"
    if "angles_deg" in want:
        assert _same_rotation(sample.quat, _quat_from_zyx_deg(*want["angles_deg"]), tol), f"{vid}: {sample.quat}"
    if "acc_m_s2" in want:
        assert list(sample.acc_m_s2) == pytest.approx(want["acc_m_s2"], abs=tol), vid
    if "acc_g" in want:
        assert [v / _G for v in sample.acc_m_s2] == pytest.approx(want["acc_g"], abs=tol), vid
    if "gyr_deg_s" in want:
        assert [math.degrees(v) for v in sample.gyr_rad_s] == pytest.approx(want["gyr_deg_s"], abs=tol), vid
    if "free_acc_m_s2" in want:  # earth frame, gravity removed: rotate the specific force back and subtract g
        up = _rotate(sample.quat, list(sample.acc_m_s2))
        assert [up[0], up[1], up[2] - _G] == pytest.approx(want["free_acc_m_s2"], abs=tol), vid
    if "linear_acc_m_s2" in want:  # sensor frame, gravity removed
        w, x, y, z = sample.quat
        gravity = _rotate((w, -x, -y, -z), [0.0, 0.0, _G])
        linear = [a - g for a, g in zip(sample.acc_m_s2, gravity, strict=True)]
        assert linear == pytest.approx(want["linear_acc_m_s2"], abs=tol), vid


def _check_layout(vid: str, data: bytes, layout: dict[str, Any]) -> None:
    """A documented layout checked against real bytes without imuhold's code: values, norms of rows of three."""
    values = [v * layout.get("scale", 1) for v in struct.unpack_from(layout["struct"], data)]
    tol = layout.get("tol", _ABS)
    if "values" in layout:
        assert values == pytest.approx(layout["values"], abs=tol), f"{vid}: {values}"
    rows = [values[i : i + 3] for i in range(0, len(values), 3)]
    if "row_norms" in layout:
        norms = [math.dist(row, (0.0, 0.0, 0.0)) for row in rows]
        assert norms == pytest.approx(layout["row_norms"], abs=tol), f"{vid}: row norms {norms}"
    if "det" in layout:
        (a, b, c) = rows
        b_cross_c = (b[1] * c[2] - b[2] * c[1], b[2] * c[0] - b[0] * c[2], b[0] * c[1] - b[1] * c[0])
        det = sum(x * y for x, y in zip(a, b_cross_c, strict=True))
        assert det == pytest.approx(layout["det"], abs=tol), f"{vid}: determinant {det}"


def _check_vendor(v: dict[str, Any]) -> None:
    vid, profile, expect = v["id"], v["profile"], v["expect"]
    hexes = v["hex"] if isinstance(v["hex"], list) else [v["hex"]]
    data = [bytes.fromhex(h) for h in hexes]
    tol = v.get("tol", _ABS)
    if "layout" in expect:
        _check_layout(vid, data[0], expect["layout"])
    if "fields" in expect or ("error" in expect and "parse" in v):
        parse = PARSERS[(profile, v["parse"])]
        if "error" in expect:
            with pytest.raises(ValueError):
                parse(data[0])
            return
        got = parse(data[0])
        for key, want in expect["fields"].items():
            assert got[key] == (want if isinstance(want, str) else pytest.approx(want, abs=tol)), f"{vid}: {key}"
    if "command" in expect:
        command = expect["command"]
        assert BUILDERS[(profile, command["name"])](*command["args"]) == data[0], vid
    if "samples" in expect:
        aliases = v["char"] if isinstance(v["char"], list) else [v["char"]] * len(data)
        host_ms = v.get("t_host_ms", [20 * k for k in range(len(data))])
        decoder = _decoder(v)
        samples = []
        for alias, payload, t_ms in zip(aliases, data, host_ms, strict=True):
            samples += decoder.feed(Packet(round(t_ms * 1e6), CHARS[profile][alias], payload))
        stats = {k: getattr(decoder.stats, k) for k in expect.get("stats", {})}
        assert stats == expect.get("stats", {}), vid
        assert len(samples) == len(expect["samples"]), vid
        for sample, want in zip(samples, expect["samples"], strict=True):
            _check_sample(vid, sample, want, tol)
            if expect.get("at_rest"):  # gravity, rotated into the earth frame, points up
                up = _rotate(sample.quat, list(sample.acc_m_s2))
                norm = math.dist(up, (0.0, 0.0, 0.0))
                assert abs(norm - _G) < 0.05 * _G, vid
                assert math.degrees(math.acos(up[2] / norm)) < 1.0, f"{vid}: gravity is not up: {up}"


CHECKERS: dict[str, Callable[[dict[str, Any]], None]] = {
    v1.NAME: _check_imuhold_v1,
    **dict.fromkeys(CHARS, _check_vendor),
}


def test_every_registered_profile_has_a_checker_and_a_spec() -> None:
    covered = {v["profile"] for v in VECTORS}
    assert set(PROFILES) <= set(CHECKERS), set(PROFILES) - set(CHECKERS)
    assert set(PROFILES) <= covered, f"profiles without spec vectors: {set(PROFILES) - covered}"


@pytest.mark.parametrize("vector", VECTORS, ids=[v["id"] for v in VECTORS])
def test_vector(vector: dict[str, Any]) -> None:
    checker = CHECKERS.get(vector["profile"])
    if checker is None:
        pytest.skip(f"{vector['_spec']}: no checker for profile {vector['profile']!r} yet")
    checker(vector)
