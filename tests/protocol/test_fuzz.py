"""Fuzzing the imuhold v1 decoders: hostile bytes never raise past ValueError, and the counts stay consistent.

Runs are derandomised (the same examples every run) and print a reproduction blob on failure.
"""

from __future__ import annotations

import contextlib
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from imuhold import units
from imuhold.model import Packet, Sample
from imuhold.protocol import imuhold_v1 as v1
from imuhold.protocol.imuhold_v1_control import ControlResponse, Info, parse_command

FUZZ = settings(max_examples=300, derandomize=True, database=None, print_blob=True, deadline=None)

unit_floats = st.floats(min_value=-1.0, max_value=1.0, allow_nan=False)
acc_m_s2 = st.floats(min_value=-150.0, max_value=150.0, allow_nan=False)
gyr_rad_s = st.floats(min_value=-30.0, max_value=30.0, allow_nan=False)


@st.composite
def valid_frames(draw: st.DrawFn) -> bytes:
    seq = draw(st.integers(0, 255))
    t_us = draw(st.integers(0, v1.T_US_WRAP - 1))
    acc = (draw(acc_m_s2), draw(acc_m_s2), draw(acc_m_s2))
    if draw(st.booleans()):
        quat = (draw(unit_floats), draw(unit_floats), draw(unit_floats), draw(unit_floats))
        return v1.encode_quat_acc(seq, t_us, quat, acc)
    return v1.encode_gyr_acc(seq, t_us, (draw(gyr_rad_s), draw(gyr_rad_s), draw(gyr_rad_s)), acc)


@st.composite
def mutated_notifications(draw: st.DrawFn) -> bytes:
    """Whole valid frames, then byte flips, cuts, insertions or junk appended."""
    data = bytearray(b"".join(draw(st.lists(valid_frames(), min_size=1, max_size=4))))
    for _ in range(draw(st.integers(0, 4))):
        action = draw(st.sampled_from(["flip", "set", "cut", "insert", "append"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if action == "flip" and data:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif action == "set" and data:
            data[at] = draw(st.sampled_from([0x00, 0x01, 0x02, 0x03, 0x7F, 0x80, 0xFF]))
        elif action == "cut":
            del data[at : at + draw(st.integers(1, 20))]
        elif action == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=20))
        else:
            data += draw(st.binary(min_size=1, max_size=20))
    return bytes(data)


def _feed_and_check(decoder: v1.ImuholdV1Decoder, payload: bytes) -> None:
    """Feed one notification; check the counters moved the way the spec says they must."""
    stats = decoder.stats
    before = (stats.packets, stats.frames, stats.bad_frames, decoder.stats.unknown_frames, stats.lost_frames)
    samples = decoder.feed(Packet(0, v1.MOTION_CHAR_UUID, payload))
    packets, frames, bad, unknown, lost = (
        stats.packets - before[0],
        stats.frames - before[1],
        stats.bad_frames - before[2],
        decoder.stats.unknown_frames - before[3],
        stats.lost_frames - before[4],
    )
    assert packets == 1
    assert frames == len(samples)
    whole = len(payload) // v1.FRAME_SIZE
    if payload and len(payload) % v1.FRAME_SIZE == 0:
        assert frames + bad + unknown == whole
    else:
        assert (frames, bad, unknown, samples) == (0, 1, 0, [])
        assert stats.last_error is not None
    assert 0 <= lost <= (v1.SEQ_WRAP // 2 - 1) * whole
    assert 0.0 <= stats.loss_fraction <= 1.0
    for sample in samples:
        assert math.isfinite(sample.t_s)
        assert sample.seq is not None and 0 <= sample.seq < v1.SEQ_WRAP
        values = [*(sample.quat or ()), *(sample.acc_m_s2 or ()), *(sample.gyr_rad_s or ())]
        assert all(math.isfinite(x) for x in values)
        assert (sample.quat is None) != (sample.gyr_rad_s is None)
        if sample.quat is not None:
            assert abs(math.fsum(c * c for c in sample.quat) - 1.0) < 1e-9


@FUZZ
@given(st.binary(max_size=64))
def test_parse_frame_returns_or_raises_value_error_only(data: bytes) -> None:
    try:
        frame = v1.parse_frame(data)
    except ValueError:
        assert len(data) != v1.FRAME_SIZE or data[0] not in v1.FRAME_TYPES
        return
    assert frame.frame_type in v1.FRAME_TYPES
    v1.frame_to_sample(frame, 0.0)  # must not raise either


@FUZZ
@given(st.lists(st.binary(max_size=90), max_size=12))
def test_random_notifications_never_raise(payloads: list[bytes]) -> None:
    decoder = v1.PROFILE.decoder()
    for payload in payloads:
        _feed_and_check(decoder, payload)


@FUZZ
@given(st.lists(mutated_notifications(), min_size=1, max_size=8))
def test_mutated_valid_frames_never_raise(payloads: list[bytes]) -> None:
    decoder = v1.PROFILE.decoder()
    for payload in payloads:
        _feed_and_check(decoder, payload)


@FUZZ
@given(st.lists(st.booleans(), min_size=2, max_size=120), st.integers(0, 255))
def test_lost_frames_equal_the_frames_dropped_between_received_ones(kept: list[bool], first_seq: int) -> None:
    decoder = v1.PROFILE.decoder()
    received = [k for k, keep in enumerate(kept) if keep]
    for k in received:
        frame = v1.encode_quat_acc(first_seq + k, 10_000 * k, (1.0, 0.0, 0.0, 0.0), (0.0, 0.0, 9.8))
        decoder.feed(Packet(0, v1.MOTION_CHAR_UUID, frame))
    dropped_inside = (received[-1] - received[0] + 1 - len(received)) if received else 0
    assert decoder.stats.lost_frames == dropped_inside
    assert decoder.stats.frames == len(received)


@FUZZ
@given(
    st.integers(0, v1.T_US_WRAP - 1),
    st.lists(st.integers(1, v1.T_US_WRAP // 2 - 1), min_size=1, max_size=30),
)
def test_time_is_unwrapped_for_any_steps_under_half_a_wrap(start_us: int, steps_us: list[int]) -> None:
    decoder = v1.PROFILE.decoder()
    t_us, times = start_us, []
    for k, step in enumerate([0, *steps_us]):
        t_us += step
        frame = v1.encode_gyr_acc(k, t_us, (0.0, 0.0, 0.0), (0.0, 0.0, 9.8))
        times += [s.t_s for s in decoder.feed(Packet(0, v1.MOTION_CHAR_UUID, frame))]
    expected = [(start_us + sum(steps_us[:k])) / units.US_PER_S for k in range(len(steps_us) + 1)]
    assert times == expected


@FUZZ
@given(st.lists(valid_frames(), min_size=1, max_size=4))
def test_the_stream_decoder_gives_what_parse_frame_and_frame_to_sample_give(frames: list[bytes]) -> None:
    """``feed`` unpacks the frames in place; frame by frame, the reference functions must agree with it to the bit."""
    frames.sort(key=lambda frame: v1.parse_frame(frame).t_us)  # rising device times: nothing to unwrap
    samples = v1.PROFILE.decoder().feed(Packet(0, v1.MOTION_CHAR_UUID, b"".join(frames)))
    parsed = [v1.parse_frame(frame) for frame in frames]
    expected = [v1.frame_to_sample(frame, frame.t_us / units.US_PER_S) for frame in parsed]
    assert samples == [sample for sample in expected if sample is not None]
    assert [type(sample) for sample in samples] == [Sample] * len(samples)


@FUZZ
@given(st.binary(max_size=24))
def test_control_and_info_parsers_raise_value_error_only(data: bytes) -> None:
    for parse in (ControlResponse.parse, Info.parse, parse_command):
        with contextlib.suppress(ValueError):
            parse(data)
