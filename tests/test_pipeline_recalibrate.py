"""Pipeline.recalibrate: closes what is open, keeps completed squats, and calibrates again from quiet standing."""

from pathlib import Path

import pytest

from imuhold.model import EventKind, MotionState
from imuhold.pipeline import Pipeline
from imuhold.protocol import get_profile
from imuhold.recording import read_recording

ROUTINE = Path(__file__).resolve().parents[1] / "sample_recordings" / "routine.imuhold.gz"


@pytest.fixture(scope="module")
def recording():
    return read_recording(ROUTINE)


def feed_until(pipeline, packets, t_s):
    for packet in packets:
        pipeline.feed(packet)
        if pipeline.live.t_s >= t_s:
            return


def test_recalibrate_mid_hold_closes_the_hold_and_the_squat(recording):
    pipeline = Pipeline(get_profile(recording.header.profile), recording.header.rate_hz)
    feed_until(pipeline, iter(recording.packets), 45.0)  # inside the second squat's hold (40.6–48.6 s)
    assert pipeline.live.state is MotionState.HOLDING

    closing = pipeline.recalibrate()

    assert [e.kind for e in closing] == [EventKind.HOLD_END, EventKind.SQUAT_EXIT]
    assert closing[0].t_s == pytest.approx(45.0, abs=0.02)
    assert pipeline.events[-2:] == closing
    assert pipeline.frame is None
    assert pipeline.live.state is MotionState.CALIBRATING
    assert pipeline.hold_start_s is None
    assert len(pipeline.squats) == 2  # the first squat, and the one closed by recalibrating


def test_recalibrate_while_standing_takes_a_new_reference_and_keeps_detecting(recording):
    pipeline = Pipeline(get_profile(recording.header.profile), recording.header.rate_hz)
    packets = iter(recording.packets)
    feed_until(pipeline, packets, 25.0)  # standing between the first (ends 15.1 s) and second squat (38.3 s)
    first_frame = pipeline.frame
    assert pipeline.recalibrate() == []
    assert pipeline.frame is None

    later = [event for packet in packets for event in pipeline.feed(packet)]
    pipeline.finish()

    calibrated = [e for e in later if e.kind is EventKind.CALIBRATED]
    assert len(calibrated) == 1
    assert 25.0 < calibrated[0].t_s < 38.0  # quiet standing after the walk (24–31 s)
    assert pipeline.frame is not None and pipeline.frame is not first_frame
    assert len(pipeline.squats) == 5
    assert all(len(s.holds) == 1 for s in pipeline.squats)


def test_recalibrate_before_calibration_is_harmless(recording):
    pipeline = Pipeline(get_profile(recording.header.profile), recording.header.rate_hz)
    assert pipeline.recalibrate() == []
    for packet in recording.packets[:300]:
        pipeline.feed(packet)
    assert pipeline.frame is not None
