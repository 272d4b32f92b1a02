"""Fuzzing the vendor decoders: hostile bytes on any of their characteristics never raise, counts stay sane.

Runs are derandomised (the same examples every run) and print a reproduction blob on failure.
"""

from __future__ import annotations

import contextlib
import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imuhold.model import Packet
from imuhold.protocol import PROFILES
from imuhold.protocol import imuhold_v1 as v1
from imuhold.protocol import metawear as mw
from imuhold.protocol import witmotion as wit

FUZZ = settings(max_examples=200, derandomize=True, database=None, print_blob=True, deadline=None)
VENDORS = sorted(set(PROFILES) - {v1.NAME})


def _characteristics(name: str) -> list[str]:
    return [*sorted(PROFILES[name].data_characteristics), "00002a19-0000-1000-8000-00805f9b34fb"]


@pytest.mark.parametrize("name", VENDORS)
@FUZZ
@given(data=st.data())
def test_random_notifications_never_raise(name: str, data: st.DataObject) -> None:
    decoder = PROFILES[name].decoder()
    chars = _characteristics(name)
    t_ns = 0
    for _ in range(data.draw(st.integers(1, 12))):
        t_ns += data.draw(st.integers(0, 500_000_000))
        payload = data.draw(st.binary(max_size=90))
        samples = decoder.feed(Packet(t_ns, data.draw(st.sampled_from(chars)), payload))
        for sample in samples:
            values = [sample.t_s, *(sample.quat or ()), *(sample.acc_m_s2 or ()), *(sample.gyr_rad_s or ())]
            assert all(math.isfinite(v) for v in values)
            if sample.quat is not None:
                assert abs(math.fsum(c * c for c in sample.quat) - 1.0) < 1e-9
    stats = decoder.stats
    assert stats.frames >= 0 and stats.bad_frames >= 0 and stats.lost_frames >= 0


@FUZZ
@given(st.lists(st.integers(0, 80), max_size=6), st.integers(1, 6))
def test_witmotion_any_split_of_a_frame_stream_gives_the_same_frames(cuts: list[int], frames: int) -> None:
    stream = wit.encode_imu_frame((1.0, 0.0, 0.0, 0.0), (0.0, 0.0, 9.8), (0.0, 0.0, 0.0)) * frames
    bounds = sorted({0, len(stream), *(c for c in cuts if c < len(stream))})
    decoder = wit.PROFILE.decoder()
    total = sum(
        len(decoder.feed(Packet(k, wit.DATA_CHAR_UUID, stream[a:b])))
        for k, (a, b) in enumerate(itertools.pairwise(bounds))
    )
    assert (total, decoder.stats.bad_frames) == (frames, 0)


@FUZZ
@given(st.binary(max_size=24))
def test_metawear_parser_raises_value_error_only(data: bytes) -> None:
    with contextlib.suppress(ValueError):
        mw.parse_fusion(data)
