"""One NaN or infinite value from a float-carrying sensor leaves a session's holds unchanged (issue 16, item 11)."""

from __future__ import annotations

import math
import struct
from collections.abc import Callable
from pathlib import Path

import pytest

from imuhold.model import Packet, Sample
from imuhold.pipeline import Pipeline
from imuhold.protocol import imuhold_v1 as v1
from imuhold.protocol import metawear as mw
from imuhold.protocol import movella_dot as dot
from imuhold.protocol.base import Profile
from imuhold.recording.reader import read_recording

RECORDING = Path(__file__).resolve().parents[1] / "sample_recordings" / "long-hold.imuhold.gz"
POISONED = 3000  # a sample inside the recording's one hold


def _dot_packets(t_ns: int, sample: Sample, bad: float | None) -> list[Packet]:
    mode = dot.PayloadMode.COMPLETE_QUATERNION
    payload = dot.encode_payload(round(sample.t_s * 1e6), sample.quat, sample.acc_m_s2, mode)
    if bad is not None:  # the free acceleration's z
        payload = payload[:28] + struct.pack("<f", bad)
    return [Packet(t_ns, dot.MEDIUM_PAYLOAD_CHAR_UUID, payload)]


def _metawear_packets(t_ns: int, sample: Sample, bad: float | None) -> list[Packet]:
    acc = mw.encode_corrected_acc(sample.acc_m_s2 or (0.0, 0.0, 0.0))
    if bad is not None:  # the corrected acceleration's x
        acc = acc[:2] + struct.pack("<f", bad) + acc[6:]
    quat = mw.encode_quaternion(sample.quat)
    return [Packet(t_ns, mw.NOTIFY_CHAR_UUID, acc), Packet(t_ns + 1000, mw.NOTIFY_CHAR_UUID, quat)]


TRANSCODERS: dict[str, tuple[Profile, Callable[[int, Sample, float | None], list[Packet]]]] = {
    dot.NAME: (dot.PROFILE, _dot_packets),
    mw.NAME: (mw.PROFILE, _metawear_packets),
}


def _samples() -> list[tuple[int, Sample]]:
    decoder = v1.PROFILE.decoder()
    return [(p.t_host_ns, s) for p in read_recording(RECORDING).packets for s in decoder.feed(p)]


@pytest.mark.parametrize("bad", [math.nan, math.inf])
@pytest.mark.parametrize("profile_name", sorted(TRANSCODERS))
def test_one_non_finite_value_changes_no_hold(profile_name: str, bad: float) -> None:
    profile, transcode = TRANSCODERS[profile_name]
    samples = _samples()
    runs = []
    for poison in (None, bad):
        packets = [p for k, (t, s) in enumerate(samples) for p in transcode(t, s, poison if k == POISONED else None)]
        runs.append(Pipeline(profile, 100.0).run(packets))
    clean, poisoned = runs
    assert clean.total_hold_s > 30, "the recording's hold is found at all"
    assert poisoned.total_hold_s == pytest.approx(clean.total_hold_s, abs=0.05)
    assert poisoned.decode.bad_frames == clean.decode.bad_frames + 1
