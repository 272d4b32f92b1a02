"""The imuhold v1 frame codec, stream decoder, control point and info characteristic."""

from __future__ import annotations

import math
import struct

import pytest

from imuhold import units
from imuhold.model import Packet, Sample
from imuhold.protocol import imuhold_v1 as v1
from imuhold.protocol.imuhold_v1_control import (
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

IDENTITY = (1.0, 0.0, 0.0, 0.0)
AT_REST = (0.0, 0.0, units.STANDARD_GRAVITY_M_S2)


def _motion(payload: bytes) -> Packet:
    return Packet(0, v1.MOTION_CHAR_UUID, payload)


def _qa(seq: int, t_us: int, quat: tuple[float, float, float, float] = IDENTITY) -> bytes:
    return v1.encode_quat_acc(seq, t_us, quat, AT_REST)


def _feed_all(decoder: v1.ImuholdV1Decoder, payloads: list[bytes]) -> list[Sample]:
    return [s for p in payloads for s in decoder.feed(_motion(p))]


# --- frames ---


def test_quat_acc_round_trip_within_one_lsb() -> None:
    half = math.sqrt(0.5)
    quat = (half, 0.0, -half, 0.0)
    acc = (-1.5, 2.25, 9.0)
    frame = v1.parse_frame(v1.encode_quat_acc(7, 123_456, quat, acc))
    assert (frame.frame_type, frame.seq, frame.t_us, frame.gyr_lsb) == (v1.FRAME_QUAT_ACC, 7, 123_456, None)
    assert frame.quat_q14 == (11585, 0, -11585, 0)
    sample = v1.frame_to_sample(frame, 0.123456)
    assert sample is not None and sample.quat is not None and sample.acc_m_s2 is not None
    assert sample.quat == pytest.approx(quat, abs=1 / v1.QUAT_SCALE)
    assert sample.acc_m_s2 == pytest.approx(acc, abs=units.mg_to_m_s2(0.5) + 1e-12)
    assert sample.gyr_rad_s is None
    assert sample.t_s == 0.123456


def test_gyr_acc_round_trip_within_one_lsb() -> None:
    gyr = (0.5, -3.0, 12.0)  # rad/s
    acc = (0.1, -9.7, 0.4)
    frame = v1.parse_frame(v1.encode_gyr_acc(200, 99, gyr, acc))
    assert (frame.frame_type, frame.seq, frame.t_us, frame.quat_q14) == (v1.FRAME_GYR_ACC, 200, 99, None)
    sample = v1.frame_to_sample(frame, 1.0)
    assert sample is not None and sample.gyr_rad_s is not None and sample.acc_m_s2 is not None
    one_lsb_rad_s = units.deg_to_rad(v1.GYR_LSB_DEG_S)
    assert sample.gyr_rad_s == pytest.approx(gyr, abs=one_lsb_rad_s / 2 + 1e-12)
    assert sample.acc_m_s2 == pytest.approx(acc, abs=units.mg_to_m_s2(0.5) + 1e-12)
    assert sample.quat is None


def test_gyr_acc_layout_puts_reserved_bytes_at_12_and_acc_at_14() -> None:
    frame = v1.encode_gyr_acc(1, 2, (0.0, 0.0, 0.0), (0.0, 0.0, units.STANDARD_GRAVITY_M_S2))
    assert frame[12:14] == b"\x00\x00"
    assert struct.unpack_from("<h", frame, 18) == (1000,)


def test_encoders_wrap_seq_and_clock_and_clamp_values() -> None:
    frame = v1.parse_frame(v1.encode_quat_acc(256 + 3, (1 << 32) + 5, (3.0, -3.0, 0.0, 0.0), (1000.0, 0, 0)))
    assert (frame.seq, frame.t_us) == (3, 5)
    assert frame.quat_q14 is not None and frame.quat_q14[:2] == (32767, -32768)
    assert frame.acc_mg[0] == 32767
    gyr = v1.parse_frame(v1.encode_gyr_acc(0, 0, (-100.0, 0.0, 0.0), (0, 0, 0)))
    assert gyr.gyr_lsb is not None and gyr.gyr_lsb[0] == -32768


@pytest.mark.parametrize("size", [0, 1, 19, 21, 40])
def test_parse_frame_rejects_wrong_sizes(size: int) -> None:
    with pytest.raises(ValueError, match=f"{size} bytes"):
        v1.parse_frame((_qa(0, 0) * 2)[:size])


@pytest.mark.parametrize("kind", [0x00, 0x03, 0x7F, 0x80, 0xFF])
def test_parse_frame_rejects_other_frame_types(kind: int) -> None:
    with pytest.raises(ValueError, match=f"0x{kind:02x}"):
        v1.parse_frame(bytes([kind]) + _qa(0, 0)[1:])


def test_frame_to_sample_normalises_and_rejects_degenerate_quaternions() -> None:
    long = v1.MotionFrame(v1.FRAME_QUAT_ACC, 0, 0, (20000, 0, 0, 0), None, (0, 0, 1000))
    sample = v1.frame_to_sample(long, 0.0)
    assert sample is not None and sample.quat == (1.0, 0.0, 0.0, 0.0)
    short = v1.MotionFrame(v1.FRAME_QUAT_ACC, 0, 0, (8000, 0, 0, 0), None, (0, 0, 1000))
    assert v1.frame_to_sample(short, 0.0) is None


# --- stream decoder ---


def test_time_unwraps_across_several_32_bit_wraps() -> None:
    step_us = 1 << 30  # four frames per wrap, each step well under half a wrap
    t_us = [(100 + k * step_us) % v1.T_US_WRAP for k in range(14)]
    samples = _feed_all(v1.PROFILE.decoder(), [_qa(k, t) for k, t in enumerate(t_us)])
    assert [s.t_s for s in samples] == pytest.approx([(100 + k * step_us) / 1e6 for k in range(14)])


def test_time_just_before_and_after_the_wrap() -> None:
    samples = _feed_all(v1.PROFILE.decoder(), [_qa(0, 0xFFFF_FFFF), _qa(1, 0), _qa(2, 9_999)])
    assert [s.t_s for s in samples] == pytest.approx([4294.967295, 4294.967296, 4294.977295])


def test_a_clock_that_steps_back_less_than_half_a_wrap_is_not_unwrapped() -> None:
    samples = _feed_all(v1.PROFILE.decoder(), [_qa(0, 5_000_000), _qa(1, 1_000_000)])
    assert [s.t_s for s in samples] == [5.0, 1.0]


@pytest.mark.parametrize(
    ("seqs", "lost"),
    [
        ([0, 1, 2, 3], 0),
        ([254, 255, 0, 1], 0),
        ([10, 13], 2),
        ([250, 2], 7),
        ([0, 128], 127),  # the largest gap still read as loss
        ([0, 129], 0),  # 128 skipped: read as reordering, not loss
        ([5, 5, 6], 0),  # duplicate
        # Reordering (never seen within one BLE link) over-counts: 7→6 moves the reference back, so 6→8
        # counts 7 again. Accepted: resynchronising on every frame keeps long outages from confusing it.
        ([5, 7, 6, 8], 2),
    ],
)
def test_lost_frames_from_seq_gaps(seqs: list[int], lost: int) -> None:
    decoder = v1.PROFILE.decoder()
    samples = _feed_all(decoder, [_qa(s, 1000 * k) for k, s in enumerate(seqs)])
    assert len(samples) == len(seqs)
    assert decoder.stats.lost_frames == lost
    assert decoder.stats.frames == len(seqs)


def test_loss_fraction() -> None:
    decoder = v1.PROFILE.decoder()
    _feed_all(decoder, [_qa(0, 0), _qa(4, 40_000)])
    assert decoder.stats.loss_fraction == pytest.approx(3 / 5)


def test_a_notification_with_several_frames_yields_them_in_order() -> None:
    decoder = v1.PROFILE.decoder()
    gyr = v1.encode_gyr_acc(2, 20_000, (0.1, 0.2, 0.3), AT_REST)
    samples = decoder.feed(_motion(_qa(0, 0) + _qa(1, 10_000) + gyr))
    assert [s.seq for s in samples] == [0, 1, 2]
    assert [s.t_s for s in samples] == [0.0, 0.01, 0.02]
    assert samples[2].quat is None and samples[2].gyr_rad_s is not None
    assert (decoder.stats.packets, decoder.stats.frames, decoder.stats.lost_frames) == (1, 3, 0)


@pytest.mark.parametrize(
    "payload",
    [b"", _qa(0, 0)[:19], _qa(0, 0) + b"\x01", _qa(0, 0) + _qa(1, 1)[:10]],
    ids=["empty", "19 bytes", "21 bytes", "30 bytes"],
)
def test_badly_sized_notifications_are_counted_not_raised(payload: bytes) -> None:
    decoder = v1.PROFILE.decoder()
    assert decoder.feed(_motion(payload)) == []
    assert (decoder.stats.bad_frames, decoder.stats.frames) == (1, 0)
    assert decoder.stats.last_error is not None and f"{len(payload)} bytes" in decoder.stats.last_error


def test_bad_frames_are_skipped_and_the_rest_decoded() -> None:
    decoder = v1.PROFILE.decoder()
    degenerate = v1.encode_quat_acc(1, 10_000, (0.0, 0.0, 0.0, 0.0), AT_REST)
    samples = decoder.feed(_motion(_qa(0, 0) + degenerate + bytes(20) + _qa(2, 20_000)))
    assert [s.seq for s in samples] == [0, 2]
    assert decoder.stats.bad_frames == 2
    # The degenerate frame arrived, so seq 1 is not lost; the zero frame carries no usable seq at all.
    assert decoder.stats.lost_frames == 0
    assert decoder.stats.last_error == "frame type 0x00"


def test_unknown_frame_types_are_skipped_but_their_seq_counts() -> None:
    decoder = v1.PROFILE.decoder()
    future = bytes([0x03, 1]) + bytes(18)
    vendor = bytes([0x80, 2]) + bytes(18)
    samples = decoder.feed(_motion(_qa(0, 0) + future + vendor + _qa(3, 30_000)))
    assert [s.seq for s in samples] == [0, 3]
    assert (decoder.stats.unknown_frames, decoder.stats.bad_frames, decoder.stats.lost_frames) == (2, 0, 0)
    assert decoder.stats.last_error is None


def test_only_the_motion_characteristic_is_decoded() -> None:
    decoder = v1.PROFILE.decoder()
    for uuid in (v1.CONTROL_CHAR_UUID, v1.INFO_CHAR_UUID, v1.BATTERY_LEVEL_CHAR_UUID):
        assert decoder.feed(Packet(0, uuid, _qa(0, 0))) == []
    assert (decoder.stats.packets, decoder.stats.ignored_packets, decoder.stats.frames) == (3, 3, 0)
    assert len(decoder.feed(_motion(_qa(0, 0)))) == 1


def test_each_decoder_has_its_own_state() -> None:
    first, second = v1.PROFILE.decoder(), v1.PROFILE.decoder()
    _feed_all(first, [_qa(0, 0), _qa(9, 1000)])
    _feed_all(second, [_qa(100, 0)])
    assert (first.stats.lost_frames, second.stats.lost_frames) == (8, 0)
    assert first.stats is not second.stats


def test_profile_describes_the_gatt_layout() -> None:
    assert v1.PROFILE.service_uuid == "7a3c0001-4e1b-4d2f-9c6a-2f8e5b1d0c47"
    assert v1.PROFILE.data_characteristics == {"7a3c0002-4e1b-4d2f-9c6a-2f8e5b1d0c47"}
    uuids = [v1.SERVICE_UUID, v1.MOTION_CHAR_UUID, v1.CONTROL_CHAR_UUID, v1.INFO_CHAR_UUID]
    assert len(set(uuids)) == 4 and all(u == u.lower() for u in uuids)


def test_standard_service_uuids_are_the_full_lower_case_form_bleak_reports() -> None:
    assert v1.BATTERY_SERVICE_UUID == "0000180f-0000-1000-8000-00805f9b34fb"
    assert v1.BATTERY_LEVEL_CHAR_UUID == "00002a19-0000-1000-8000-00805f9b34fb"
    assert v1.DEVICE_INFO_SERVICE_UUID == "0000180a-0000-1000-8000-00805f9b34fb"
    assert v1.MANUFACTURER_NAME_CHAR_UUID == "00002a29-0000-1000-8000-00805f9b34fb"
    assert v1.MODEL_NUMBER_CHAR_UUID == "00002a24-0000-1000-8000-00805f9b34fb"
    assert v1.FIRMWARE_REVISION_CHAR_UUID == "00002a26-0000-1000-8000-00805f9b34fb"


# --- control point ---


def test_command_bytes() -> None:
    assert start_command() == b"\x01\x01"
    assert start_command(v1.FRAME_GYR_ACC) == b"\x01\x02"
    assert stop_command() == b"\x02"
    assert set_rate_command(100) == b"\x03\x64\x00"
    assert set_rate_command(1000) == b"\x03\xe8\x03"
    assert set_rate_command(1) == b"\x03\x01\x00"


@pytest.mark.parametrize("frame_type", [0, -1, 256, 1.0, True, None])
def test_start_command_rejects_bad_frame_types(frame_type: object) -> None:
    with pytest.raises(ValueError):
        start_command(frame_type)  # type: ignore[arg-type]


@pytest.mark.parametrize("rate_hz", [0, -5, 1001, 65535, 100.0, True, "100"])
def test_set_rate_command_rejects_bad_rates(rate_hz: object) -> None:
    with pytest.raises(ValueError):
        set_rate_command(rate_hz)  # type: ignore[arg-type]


def test_commands_parse_back() -> None:
    assert parse_command(start_command(2)) == Command(Opcode.START, frame_type=2)
    assert parse_command(b"\x01") == Command(Opcode.START)
    assert parse_command(stop_command()) == Command(Opcode.STOP)
    assert parse_command(set_rate_command(60)) == Command(Opcode.SET_RATE, rate_hz=60)


@pytest.mark.parametrize(
    ("data", "status"),
    [
        (b"\x01\x00", Status.INVALID_PARAMETER),
        (b"\x01\x01\x00", Status.INVALID_PARAMETER),
        (b"\x02\x00", Status.INVALID_PARAMETER),
        (b"\x03\x64", Status.INVALID_PARAMETER),
        (b"\x03\x00\x00", Status.INVALID_PARAMETER),
        (b"\x03\xe9\x03", Status.INVALID_PARAMETER),
        (b"\x03\x64\x00\x00", Status.INVALID_PARAMETER),
        (b"\x80\x01\x01", Status.UNSUPPORTED_OPCODE),
        (b"\x7f", Status.UNSUPPORTED_OPCODE),
        (b"\x00", Status.UNSUPPORTED_OPCODE),
    ],
)
def test_bad_commands_are_rejected_with_the_status_to_answer(data: bytes, status: Status) -> None:
    with pytest.raises(CommandRejected) as caught:
        parse_command(data)
    assert (caught.value.opcode, caught.value.status) == (data[0], status)


def test_an_empty_write_is_a_plain_value_error() -> None:
    with pytest.raises(ValueError, match="empty") as caught:
        parse_command(b"")
    assert not isinstance(caught.value, CommandRejected)


@pytest.mark.parametrize("opcode", [*Opcode, 0x7F])
@pytest.mark.parametrize("status", list(Status))
def test_responses_round_trip(opcode: int, status: Status) -> None:
    rate = 50 if (opcode, status) == (Opcode.SET_RATE, Status.SUCCESS) else None
    response = ControlResponse(opcode, status, rate)
    data = response.encode()
    assert data[:3] == bytes([0x80, opcode, status])
    assert len(data) == (5 if rate else 3)
    assert ControlResponse.parse(data) == response
    assert response.ok is (status == Status.SUCCESS)


def test_response_parsing_keeps_unknown_codes_and_ignores_trailing_bytes() -> None:
    response = ControlResponse.parse(b"\x80\x05\x09\xaa\xbb")
    assert (response.request_opcode, response.status, response.rate_hz) == (5, 9, None)
    assert not response.ok
    assert ControlResponse.parse(b"\x80\x03\x01\x3e\x00\xff").rate_hz == 62


@pytest.mark.parametrize("data", [b"", b"\x80\x01", b"\x81\x01\x01", b"\x80\x03\x01", b"\x80\x03\x01\x64"])
def test_malformed_responses_raise_value_error(data: bytes) -> None:
    with pytest.raises(ValueError):
        ControlResponse.parse(data)


@pytest.mark.parametrize(
    "response",
    [
        ControlResponse(Opcode.SET_RATE, Status.SUCCESS),
        ControlResponse(Opcode.START, Status.SUCCESS, 100),
        ControlResponse(Opcode.SET_RATE, Status.SUCCESS, 70000),
        ControlResponse(300, Status.SUCCESS),
    ],
)
def test_inconsistent_responses_do_not_encode(response: ControlResponse) -> None:
    with pytest.raises(ValueError):
        response.encode()


# --- info ---


def test_info_round_trip_and_layout() -> None:
    info = Info(frame_types_mask=0b110, min_rate_hz=25, max_rate_hz=200, rate_hz=100, active_frame_type=2)
    data = info.encode()
    assert data == bytes.fromhex("01 00 06 00 19 00 c8 00 64 00 02")
    assert Info.parse(data) == info
    assert info.frame_types == {v1.FRAME_QUAT_ACC, v1.FRAME_GYR_ACC}
    assert info.supports(v1.FRAME_GYR_ACC) and not info.supports(3)
    assert info.problems() == []


def test_info_parse_ignores_appended_fields_and_refuses_other_majors() -> None:
    data = Info(0b10, 10, 400, 50, profile_minor=3).encode()
    assert Info.parse(data + b"\x01\x02\x03").profile_minor == 3
    with pytest.raises(ValueError, match="major 2"):
        Info.parse(b"\x02" + data[1:])
    with pytest.raises(ValueError, match="10 bytes"):
        Info.parse(data[:10])
    with pytest.raises(ValueError):
        Info.parse(b"")


@pytest.mark.parametrize(
    ("info", "problem"),
    [
        (Info(0b111, 25, 200, 100), "bit 0"),
        (Info(0b1000, 25, 200, 100), "neither"),
        (Info(0b10, 0, 200, 100), "rate range"),
        (Info(0b10, 25, 2000, 100), "rate range"),
        (Info(0b10, 200, 25, 100), "rate range"),
        (Info(0b10, 25, 200, 300), "rate 300 Hz"),
        (Info(0b10, 25, 200, 100, active_frame_type=2), "active frame type 0x02"),
    ],
)
def test_info_problems(info: Info, problem: str) -> None:
    assert any(problem in p for p in info.problems()), info.problems()


@pytest.mark.parametrize(
    "info", [Info(1 << 16, 25, 200, 100), Info(0b10, -1, 200, 100), Info(0b10, 25, 200, 100, 256)]
)
def test_info_fields_out_of_wire_range_do_not_encode(info: Info) -> None:
    with pytest.raises(ValueError):
        info.encode()
