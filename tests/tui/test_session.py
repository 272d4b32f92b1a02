"""The training session: the pipeline fed sample by sample, every state change kept, holds, cues, trace, link."""

import itertools
import math

import pytest

from imuhold.model import EventKind, MotionState
from imuhold.pipeline import Pipeline
from imuhold.protocol import get_profile
from imuhold.recording import read_recording
from imuhold.tui.cues import CueKind
from imuhold.tui.session import TRACE_S, TrainingSession

from .helpers import SAMPLES, cut


def session_for(recording, target_hold_s=30.0, cue_every_s=10.0):
    header = recording.header
    return TrainingSession(Pipeline(get_profile(header.profile), header.rate_hz), target_hold_s, cue_every_s)


def feed_all(session, packets):
    updates = [session.feed(p) for p in packets]
    return [*updates, session.finish()]


def test_holds_events_and_states_match_the_pipeline_sample_by_sample(routine):
    session = session_for(routine)
    updates = feed_all(session, routine.packets)

    reference = Pipeline(get_profile(routine.header.profile), routine.header.rate_hz)
    decoder = get_profile(routine.header.profile).decoder(routine.header.rate_hz)  # the samples, decoded apart
    states, shown = [], reference.live.state
    for packet in routine.packets:
        for sample in decoder.feed(packet):
            reference.step(sample)
            if reference.live.state is not shown:
                shown = reference.live.state
                states.append((reference.live.t_s, shown))
    analysis = reference.run([])  # closes the stream like session.finish()

    assert [s for u in updates for s in u.states] == states
    assert [e for u in updates for e in u.events] == analysis.events
    expected = [h.duration_s for s in analysis.squats for h in s.holds]
    assert session.hold_durations_s == pytest.approx(expected)
    assert len(expected) == 5
    frame = session.frame()
    assert frame.holds == 5 and frame.hold_s is None
    assert frame.best_hold_s == pytest.approx(max(expected))
    assert frame.total_hold_s == pytest.approx(analysis.total_hold_s)
    assert frame.ended and frame.state is MotionState.STANDING


def test_cues_over_the_routine(routine):
    session = session_for(routine, target_hold_s=30.0, cue_every_s=10.0)
    cues = [c for u in feed_all(session, routine.packets) for c in u.cues]
    durations = session.hold_durations_s  # about 5.5, 8.3, 12.8, 26.6, 40.5 s
    kinds = [c.kind for c in cues]
    assert kinds.count(CueKind.READY) == 1
    assert kinds.count(CueKind.HOLD_START) == kinds.count(CueKind.HOLD_END) == 5
    assert kinds.count(CueKind.TARGET) == sum(d >= 30.0 for d in durations) == 1
    ticks = sum(math.floor(d / 10.0) for d in durations) - 1  # the 30 s tick is said as the target
    assert kinds.count(CueKind.TICK) == ticks == 6
    ends = [c for c in cues if c.kind is CueKind.HOLD_END]
    assert [c.hold_s for c in ends] == pytest.approx(durations)
    assert [c.t_s for c in cues] == sorted(c.t_s for c in cues)


def test_running_hold_counts_in_the_frame(routine):
    session = session_for(routine)
    for packet in cut(routine, 100.0):  # inside the fourth hold (87.5–113.6 s)
        session.feed(packet)
    frame = session.frame()
    assert frame.state is MotionState.HOLDING
    assert frame.hold_s == pytest.approx(frame.t_s - 87.5, abs=0.3)
    assert frame.holds == 4
    assert frame.total_hold_s == pytest.approx(sum(session.hold_durations_s) + frame.hold_s)


def test_frame_before_any_sample_and_trace_is_bounded(routine):
    session = session_for(routine)
    first = session.frame()
    assert first.state is MotionState.CALIBRATING and math.isnan(first.tilt_deg)
    assert first.holds == 0 and first.last_hold_s is None and first.rate_hz is None
    for packet in routine.packets:
        session.feed(packet)
    trace = session.frame().trace
    assert 290 <= len(trace) <= 302
    assert trace[-1][0] - trace[0][0] <= TRACE_S
    assert all(b[0] > a[0] for a, b in itertools.pairwise(trace))
    assert session.frame().rate_hz == pytest.approx(100.0, abs=1.0)


def test_loss_and_rate_on_a_lossy_link():
    lossy = read_recording(SAMPLES / "lossy.imuhold.gz")
    session = session_for(lossy)
    for packet in lossy.packets:
        session.feed(packet)
    frame = session.frame()
    assert frame.loss_fraction == pytest.approx(0.05, abs=0.01)
    assert 80.0 < frame.rate_hz < 101.0


def test_pause_ends_the_running_hold_drops_packets_and_resumes(routine):
    session = session_for(routine)
    packets = cut(routine, 45.0)  # inside the second hold (40.6–48.6 s)
    for packet in packets:
        session.feed(packet)
    assert session.state is MotionState.HOLDING

    paused = session.toggle_pause()
    assert [e.kind for e in paused.events] == [EventKind.HOLD_END, EventKind.SQUAT_EXIT]
    assert [c.kind for c in paused.cues] == [CueKind.HOLD_END]
    assert paused.states == [(session.pipeline.live.t_s, MotionState.STANDING)]
    t_paused = session.pipeline.live.t_s
    rest = routine.packets[len(packets) :]
    for packet in rest[:1000]:  # 10 s dropped
        assert session.feed(packet).events == []
    assert session.pipeline.live.t_s == t_paused
    assert session.packets_while_paused == 1000
    assert session.frame().paused

    assert session.toggle_pause().events == []
    for packet in rest[1000:]:
        session.feed(packet)
    session.finish()
    assert len(session.hold_durations_s) == 5  # 1, 2 (cut short), and the three after the pause


def test_recalibrate_mark_and_counterweight(routine):
    session = session_for(routine)
    for packet in cut(routine, 25.0):
        session.feed(packet)
    update = session.recalibrate()
    assert update.states == [(session.pipeline.live.t_s, MotionState.CALIBRATING)]
    assert session.frame().state is MotionState.CALIBRATING
    assert session.mark() == session.pipeline.live.t_s
    session.counterweight_kg = 5.0
    frame = session.frame()
    assert frame.marks == 1 and frame.counterweight_kg == 5.0
