"""Vendor profiles: encoders round-trip through decoders, frame conventions, command sequences, recognition."""

from __future__ import annotations

import math

import pytest

from imuhold import units
from imuhold.model import Packet
from imuhold.protocol import LINKS, PROFILES, get_link, recognise, rotation
from imuhold.protocol import imuhold_v1 as v1
from imuhold.protocol import metawear as mw
from imuhold.protocol import metawear_control as mw_control
from imuhold.protocol import movella_dot as dot
from imuhold.protocol import movella_dot_control as dot_control
from imuhold.protocol import thingy52 as thingy
from imuhold.protocol import thingy52_control as thingy_control
from imuhold.protocol import witmotion as wit
from imuhold.protocol import witmotion_control as wit_control
from imuhold.protocol.gatt import Read, ReadModifyWrite, Subscribe, Unsubscribe, Write

G = units.STANDARD_GRAVITY_M_S2
TILTED = rotation.from_euler_zyx_deg(12.0, -25.0, 140.0)
ACC = (1.5, -2.0, 9.0)
GYR = (0.3, -0.2, 1.1)


def _close(a, b, tol):
    return list(a) == pytest.approx(list(b), abs=tol)


def _same_rotation(a, b, tol):
    return _close(a, b, tol) or _close([-c for c in a], b, tol)


def test_euler_round_trip() -> None:
    roll, pitch, yaw = rotation.to_euler_zyx_deg(TILTED)
    assert (roll, pitch, yaw) == pytest.approx((12.0, -25.0, 140.0))


def test_free_and_linear_acceleration_round_trip() -> None:
    free = rotation.free_acc_from_specific_force(TILTED, ACC)
    assert _close(rotation.specific_force_from_free_acc(TILTED, free), ACC, 1e-12)
    linear = rotation.specific_force_to_linear(TILTED, ACC)
    assert _close(rotation.linear_to_specific_force(TILTED, linear), ACC, 1e-12)


def test_witmotion_round_trip() -> None:
    frame = wit.encode_imu_frame(TILTED, ACC, GYR)
    (sample,) = wit.PROFILE.decoder().feed(Packet(0, wit.DATA_CHAR_UUID, frame))
    assert _same_rotation(sample.quat, TILTED, 1e-4)
    assert _close(sample.acc_m_s2, ACC, 16 / 32768 * G)
    assert _close(sample.gyr_rad_s, GYR, math.radians(2000 / 32768))


def test_witmotion_coalesced_frames_are_spread_back_from_arrival() -> None:
    frame = wit.encode_imu_frame(TILTED, ACC, GYR)
    decoder = wit.WitMotionDecoder(50.0)
    samples = decoder.feed(Packet(2_000_000_000, wit.DATA_CHAR_UUID, frame * 4))
    assert [s.t_s for s in samples] == pytest.approx([1.94, 1.96, 1.98, 2.0])


def test_witmotion_resyncs_after_garbage_and_keeps_good_frames() -> None:
    frame = wit.encode_imu_frame(TILTED, ACC, GYR)
    decoder = wit.PROFILE.decoder()
    samples = decoder.feed(Packet(0, wit.DATA_CHAR_UUID, b"\x01\x02\x03" + frame + frame))
    assert len(samples) == 2
    assert decoder.stats.bad_frames == 1


def test_witmotion_keeps_register_replies_apart_from_samples() -> None:
    decoder = wit.PROFILE.decoder()
    reply = wit.encode_register_reply(wit_control.REG_QUATERNION, (23170, 0, 0, 23170))
    assert decoder.feed(Packet(0, wit.DATA_CHAR_UUID, reply)) == []
    assert decoder.replies[-1].quaternion() == pytest.approx((0.7071, 0, 0, 0.7071), abs=1e-4)


def test_witmotion_refuses_an_ambiguous_rate() -> None:
    with pytest.raises(ValueError, match="200"):
        wit_control.rate_command(200)
    assert wit_control.rate_from_code(0x08) == 50.0
    assert wit_control.parse_command(wit_control.rate_command(100)) == wit_control.Command(0x03, 0x09, 0)


@pytest.mark.parametrize("acc_kind", ["corrected", "linear"])
def test_metawear_round_trip(acc_kind: str) -> None:
    decoder = mw.PROFILE.decoder()
    if acc_kind == "corrected":
        first = mw.encode_corrected_acc(ACC)
    else:
        first = mw.encode_linear_acc(rotation.specific_force_to_linear(TILTED, ACC))
    assert decoder.feed(Packet(0, mw.NOTIFY_CHAR_UUID, first)) == []
    (sample,) = decoder.feed(Packet(1_000_000, mw.NOTIFY_CHAR_UUID, mw.encode_quaternion(TILTED)))
    assert _same_rotation(sample.quat, TILTED, 1e-6)
    assert _close(sample.acc_m_s2, ACC, 1e-4)


def test_metawear_stale_acceleration_is_not_paired() -> None:
    decoder = mw.PROFILE.decoder()
    decoder.feed(Packet(0, mw.NOTIFY_CHAR_UUID, mw.encode_corrected_acc(ACC)))
    (sample,) = decoder.feed(Packet(500_000_000, mw.NOTIFY_CHAR_UUID, mw.encode_quaternion(TILTED)))
    assert sample.acc_m_s2 is None


def test_metawear_sequences_follow_the_sdk_order() -> None:
    """The SDK's test_sensor_control order (IMUPlus: without the magnetometer commands)."""
    start = [s.data.hex(" ") for s in mw_control.start_sequence() if isinstance(s, Write)]
    assert start[-6:] == ["03 02 01 00", "13 02 01 00", "03 01 01", "13 01 01", "19 03 09 00", "19 01 01"]
    stop = [s.data.hex(" ") for s in mw_control.stop_sequence() if isinstance(s, Write)]
    assert stop[:6] == ["19 01 00", "19 03 00 7f", "03 01 00", "13 01 00", "03 02 00 01", "13 02 00 01"]
    assert all(not s.response for s in mw_control.start_sequence() if isinstance(s, Write))


def test_metawear_refuses_rates_other_than_100_hz() -> None:
    with pytest.raises(ValueError, match="100"):
        mw_control.start_sequence(50.0)


def test_metawear_ignores_other_modules() -> None:
    decoder = mw.PROFILE.decoder()
    assert decoder.feed(Packet(0, mw.NOTIFY_CHAR_UUID, bytes.fromhex("11 89 06 00"))) == []
    assert decoder.stats.ignored_packets == 1 and decoder.stats.bad_frames == 0


@pytest.mark.parametrize("mode", list(dot.PayloadMode))
def test_dot_round_trip(mode: dot.PayloadMode) -> None:
    payload = dot.encode_payload(1_234_567, TILTED, ACC, mode)
    (sample,) = dot.DotDecoder(mode).feed(Packet(0, dot.PAYLOAD_CHAR[mode], payload))
    assert sample.t_s == pytest.approx(1.234567)
    assert _same_rotation(sample.quat, TILTED, 1e-6)
    if mode == dot.PayloadMode.ORIENTATION_QUATERNION:
        assert sample.acc_m_s2 is None
    else:
        assert _close(sample.acc_m_s2, ACC, 1e-4)


def test_dot_zero_padding_is_accepted() -> None:
    payload = dot.encode_payload(5, TILTED, ACC, dot.PayloadMode.COMPLETE_QUATERNION) + bytes(8)
    assert len(dot.PROFILE.decoder().feed(Packet(0, dot.MEDIUM_PAYLOAD_CHAR_UUID, payload))) == 1


def test_dot_rate_is_a_read_modify_write_of_device_control() -> None:
    steps = dot_control.start_sequence(30.0)
    assert isinstance(steps[0], ReadModifyWrite)
    original = dot_control.DeviceControl(1, 0, 2, 10, 0, 30, 0, "mine", 60, 1).encode()
    changed = dot_control.DeviceControl.parse(steps[0].modify(original))
    assert (changed.visit_index, changed.output_rate_hz, changed.tag, changed.filter_profile) == (0x10, 30, "mine", 1)
    assert steps[1:] == (Subscribe(dot.MEDIUM_PAYLOAD_CHAR_UUID), Write(dot.CONTROL_CHAR_UUID, b"\x01\x01\x03"))
    with pytest.raises(ValueError, match="60"):
        dot_control.start_sequence(100.0)


def test_thingy_round_trip() -> None:
    decoder = thingy.ThingyDecoder(50.0)
    decoder.feed(Packet(0, thingy.RAW_CHAR_UUID, thingy.encode_raw(ACC, GYR)))
    (sample,) = decoder.feed(Packet(1_000_000, thingy.QUATERNION_CHAR_UUID, thingy.encode_quaternion(TILTED)))
    assert _same_rotation(sample.quat, TILTED, 1e-8)
    assert _close(sample.acc_m_s2, ACC, G / 1024)
    assert _close(sample.gyr_rad_s, GYR, math.radians(1 / 32))


def test_thingy_rate_keeps_the_other_settings() -> None:
    (rmw, *_) = thingy_control.start_sequence(100.0)
    assert isinstance(rmw, ReadModifyWrite)
    mine = thingy_control.MotionConfig(2000, 600, 700, 10, 0).encode()
    assert thingy_control.MotionConfig.parse(rmw.modify(mine)) == thingy_control.MotionConfig(2000, 600, 700, 100, 0)
    with pytest.raises(ValueError):
        thingy_control.start_sequence(300.0)


def test_imuhold_v1_start_checks_the_info_and_starts() -> None:
    steps = get_link(v1.NAME).start(100.0)
    assert isinstance(steps[0], Read)
    steps[0].check(bytes.fromhex("01 00 06 00 19 00 c8 00 64 00 00"))
    with pytest.raises(ValueError, match="major"):
        steps[0].check(bytes.fromhex("02 00 06 00 19 00 c8 00 64 00 00"))
    with pytest.raises(ValueError, match="10–50"):
        steps[0].check(bytes.fromhex("01 00 02 00 0a 00 32 00 32 00 00"))
    assert steps[-1] == Write(v1.CONTROL_CHAR_UUID, b"\x01")


@pytest.mark.parametrize("name", sorted(LINKS))
def test_every_profile_has_a_link_spec_whose_stop_undoes_its_subscriptions(name: str) -> None:
    spec = get_link(name)
    start, stop = spec.start(None), spec.stop()
    subscribed = {s.characteristic for s in start if isinstance(s, Subscribe)}
    unsubscribed = {s.characteristic for s in stop if isinstance(s, Unsubscribe)}
    assert subscribed and subscribed == unsubscribed
    assert PROFILES[name].data_characteristics <= subscribed
    assert PROFILES[name].nominal_rate_hz in spec.rates_hz


@pytest.mark.parametrize(
    ("name", "uuids", "companies", "expected"),
    [
        ("WT901BLE68", (), (), wit.NAME),
        ("WTVB01-BT50", (wit.SERVICE_UUID,), (), None),
        ("my imu", (wit.SERVICE_UUID.upper(),), (), wit.NAME),
        ("bowtie", (), (), None),
        ("Movella DOT", (), (), dot.NAME),
        (None, (), (dot.COMPANY_ID,), dot.NAME),
        ("renamed", (mw.SERVICE_UUID,), (), mw.NAME),
        ("Thingy", (thingy.CONFIG_SERVICE_UUID,), (), thingy.NAME),
        ("imuhold-3F2A", (), (), v1.NAME),
        (None, (v1.SERVICE_UUID,), (), v1.NAME),
        ("Polar H10 1A2B3C4D", ("fb005c80-02e7-f387-1cad-8acd2d8df0c8",), (), None),
        (None, (), (), None),
    ],
)
def test_recognise(name, uuids, companies, expected) -> None:
    assert recognise(name, frozenset(uuids), frozenset(companies)) == expected
