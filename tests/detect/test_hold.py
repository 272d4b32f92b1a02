"""Hold detector semantics on hand-built feature streams: back-dating, grace, minimum hold, stoop, chair."""

import math

import pytest

from imuhold.detect.hold import Features, HoldDetector, Phase
from imuhold.detect.params import DetectorParams
from imuhold.errors import ConfigError
from imuhold.model import EventKind, MotionState

RATE = 100.0


def ramp(t, t0, t1, a, b):
    """Minimum-jerk move from a (at t0) to b (at t1)."""
    if t <= t0:
        return a
    if t >= t1:
        return b
    s = (t - t0) / (t1 - t0)
    return a + (b - a) * (10 * s**3 - 15 * s**4 + 6 * s**5)


def run(profile, duration, with_drop=True, params=None, phases=None):
    """profile(t) -> (tilt_deg, drop_m, wobble_speed_dps); speed comes from the tilt's derivative.

    ``phases``: a list to receive each phase the detector passes through (consecutive repeats left out)."""
    det = HoldDetector(params)
    events, states = [], []
    dt = 1 / RATE
    prev = None
    lowest = 0.0
    for i in range(int(duration * RATE)):
        t = i * dt
        tilt, drop, extra_speed = profile(t)
        speed = 0.0 if prev is None else abs(tilt - prev[0]) / dt + extra_speed
        velocity = 0.0 if prev is None else (drop - prev[1]) / dt
        prev = (tilt, drop)
        lowest = min(lowest, drop)  # exact drops here, so the running minimum is the corrected lowest point
        if not det.in_squat and abs(tilt) < 8.0 and speed < 1.0:
            lowest = 0.0  # as the vertical tracker does at a standing rest
        if with_drop:
            events += det.step(Features(t, abs(tilt), tilt, 0.0, speed, drop, velocity, lowest, True))
        else:
            events += det.step(Features(t, abs(tilt), tilt, 0.0, speed))
        states.append(det.state)
        if phases is not None and (not phases or phases[-1] is not det.phase):
            phases.append(det.phase)
    events += det.finish()
    return det, events, states


def squat(t, wobbles=()):
    tilt = ramp(t, 2.0, 4.0, 0.0, 20.0) - ramp(t, 16.0, 17.5, 0.0, 20.0)
    drop = ramp(t, 2.0, 4.0, 0.0, -0.5) - ramp(t, 16.0, 17.5, 0.0, -0.5)
    extra = sum(30.0 for (a, b) in wobbles if a <= t < b)
    return tilt, drop, extra


def kinds(events):
    return [e.kind for e in events]


def test_phases_of_a_squat_with_a_wobble_in_its_hold():
    phases = []
    run(lambda t: squat(t, wobbles=[(9.0, 10.5)]), 20.0, phases=phases)
    S, M, ST, H, SE = Phase.STANDING, Phase.MOVING, Phase.STEADY, Phase.HOLDING, Phase.SETTLING
    # the 1.5 s wobble (longer than grace_s) splits the hold in two; the 1.5 s ascent is back in the standing band
    # before grace_s has run out, so the second hold ends there, and the squat exits once the body is quiet
    assert phases == [S, M, ST, H, M, ST, H, SE, S]


def test_one_squat_one_hold_back_dated():
    det, events, states = run(squat, 20.0)
    assert kinds(events) == [EventKind.SQUAT_ENTRY, EventKind.HOLD_START, EventKind.HOLD_END, EventKind.SQUAT_EXIT]
    entry, start, end, exit_ = (e.t_s for e in events)
    assert entry == pytest.approx(2.0, abs=0.4)
    assert start == pytest.approx(4.0, abs=0.3)
    assert end == pytest.approx(16.0, abs=0.3)
    assert exit_ == pytest.approx(17.5, abs=0.4)
    hold_start = events[1]
    # Announced once the hold, dated from the end of the descent, has lasted min_hold_s (not when the causal
    # stability test's run, which starts a few tenths of a second earlier, has)
    assert hold_start.t_detected_s >= hold_start.t_s + DetectorParams().min_hold_s - 0.011
    assert MotionState.HOLDING in states and states[-1] is MotionState.STANDING
    [s] = det.squats
    assert s.depth_m == pytest.approx(-0.5, abs=1e-6)
    [hold] = s.holds
    assert hold.tilt_mean_deg == pytest.approx(20.0, abs=0.5)
    assert hold.depth_m == pytest.approx(-0.5, abs=0.01)


def test_brief_wobble_does_not_split_but_long_one_does():
    _, events, _ = run(lambda t: squat(t, [(8.0, 8.5)]), 20.0)
    assert kinds(events).count(EventKind.HOLD_START) == 1
    _, events, _ = run(lambda t: squat(t, [(8.0, 10.0)]), 20.0)
    starts = [e.t_s for e in events if e.kind is EventKind.HOLD_START]
    ends = [e.t_s for e in events if e.kind is EventKind.HOLD_END]
    assert len(starts) == 2
    assert ends[0] == pytest.approx(8.0, abs=0.02)
    assert starts[1] == pytest.approx(10.0, abs=0.15)


def test_short_bottom_is_a_squat_without_hold():
    def bounce(t):
        tilt = ramp(t, 2.0, 4.0, 0.0, 20.0) - ramp(t, 5.0, 6.5, 0.0, 20.0)
        drop = ramp(t, 2.0, 4.0, 0.0, -0.5) - ramp(t, 5.0, 6.5, 0.0, -0.5)
        return tilt, drop, 0.0

    det, events, _ = run(bounce, 9.0)
    assert kinds(events) == [EventKind.SQUAT_ENTRY, EventKind.SQUAT_EXIT]
    assert det.squats[0].holds == ()


def test_stoop_is_not_a_squat_when_drop_is_known():
    def stoop(t):
        tilt = ramp(t, 2.0, 3.5, 0.0, 60.0) - ramp(t, 6.0, 7.5, 0.0, 60.0)
        drop = ramp(t, 2.0, 3.5, 0.0, -0.07) - ramp(t, 6.0, 7.5, 0.0, -0.07)
        return tilt, drop, 0.0

    _, events, _ = run(stoop, 10.0)
    assert events == []
    _, events, _ = run(stoop, 10.0, with_drop=False)
    assert EventKind.SQUAT_ENTRY in kinds(events)


@pytest.mark.parametrize(
    ("lean_deg", "drop_m", "is_squat"),
    [(60.0, -0.30, False), (60.0, -0.40, True), (25.0, -0.20, True), (90.0, -0.45, False), (90.0, -0.52, True)],
)
def test_a_squat_drops_more_than_a_hip_hinge_of_its_lean(lean_deg, drop_m, is_squat):
    # 2·0.35 m·sin(lean/2): 0.35 m at 60°, 0.49 m at 90°, and the 0.17 m floor at 25° (a half squat)
    def dip(t):
        tilt = ramp(t, 2.0, 3.5, 0.0, lean_deg) - ramp(t, 8.0, 9.5, 0.0, lean_deg)
        drop = ramp(t, 2.0, 3.5, 0.0, drop_m) - ramp(t, 8.0, 9.5, 0.0, drop_m)
        return tilt, drop, 0.0

    det, _, _ = run(dip, 12.0)
    assert len(det.squats) == int(is_squat)


def test_chair_sit_counts_as_a_squat_hold_by_policy():
    def chair(t):
        tilt = ramp(t, 2.0, 3.5, 0.0, 30.0) - ramp(t, 3.5, 4.5, 0.0, 40.0) + ramp(t, 12.0, 13.0, 0.0, 40.0)
        tilt -= ramp(t, 13.0, 14.5, 0.0, 30.0)
        drop = ramp(t, 2.0, 4.5, 0.0, -0.42) - ramp(t, 12.0, 14.5, 0.0, -0.42)
        return tilt, drop, 0.0

    det, _, _ = run(chair, 17.0)
    [squat] = det.squats
    assert len(squat.holds) == 1
    assert squat.holds[0].tilt_mean_deg < 0  # seated upright, leaning back a little


def test_recording_ending_mid_hold_closes_it():
    _, events, _ = run(squat, 10.0)
    assert kinds(events)[-2:] == [EventKind.HOLD_END, EventKind.SQUAT_EXIT]


def test_params_validated_and_overridable():
    with pytest.raises(ConfigError, match="min_hold_s"):
        DetectorParams(min_hold_s=-1.0)
    with pytest.raises(ConfigError, match="unknown detector parameter"):
        DetectorParams().with_overrides({"min_hold": 3})
    assert DetectorParams().with_overrides({"min_hold_s": 3}).min_hold_s == 3.0
    assert not math.isnan(DetectorParams().as_dict()["grace_s"])


def test_low_tilt_deep_hold_is_not_taken_for_standing():
    def low_tilt(t):
        tilt = ramp(t, 2.0, 4.0, 0.0, 20.0) - ramp(t, 6.0, 7.0, 0.0, 14.0) - ramp(t, 16.0, 17.5, 0.0, 6.0)
        drop = ramp(t, 2.0, 4.0, 0.0, -0.5) - ramp(t, 16.0, 17.5, 0.0, -0.5)
        return tilt, drop, 0.0

    det, _, _ = run(low_tilt, 20.0)
    [squat] = det.squats
    assert squat.exit_s == pytest.approx(17.5, abs=0.6)
    assert sum(h.duration_s for h in squat.holds) > 10.0


def test_finished_holds_of_the_running_squat_are_public():
    det = HoldDetector()
    for i in range(int(12.0 * RATE)):
        t = i / RATE
        tilt, drop, extra = squat(t, [(8.0, 10.0)])
        det.step(Features(t, abs(tilt), tilt, 0.0, extra, drop, 0.0, drop, True))
    assert det.in_squat and len(det.holds) == 1
    assert det.holds[0].end_s == pytest.approx(8.0, abs=0.05)


def test_a_leftover_drop_after_an_exit_does_not_start_a_squat():
    def leftover(t):  # the drop estimate comes back only to -0.11 m after the first squat, then a second squat
        tilt = ramp(t, 2.0, 4.0, 0.0, 20.0) - ramp(t, 10.0, 11.5, 0.0, 20.0)
        tilt += ramp(t, 20.0, 22.0, 0.0, 20.0) - ramp(t, 28.0, 29.5, 0.0, 20.0)
        drop = ramp(t, 2.0, 4.0, 0.0, -0.5) - ramp(t, 10.0, 11.5, 0.0, -0.39)
        drop += ramp(t, 20.0, 22.0, 0.0, -0.39) - ramp(t, 28.0, 29.5, 0.0, -0.5)
        return tilt, drop, 0.0

    det, _, _ = run(leftover, 32.0)
    assert [s.entry_s for s in det.squats] == [pytest.approx(2.0, abs=0.45), pytest.approx(20.0, abs=0.45)]


def test_a_lowest_point_from_before_the_candidate_does_not_make_it_deep():
    # After a squat the person stands up and the recording ends before any standing rest: the tracker still reports
    # the first squat's lowest point while the live drop drifts down. That must not confirm a second candidate.
    def stand_up_then_drift(t):
        tilt = ramp(t, 2.0, 4.0, 0.0, 20.0) - ramp(t, 8.0, 9.5, 0.0, 20.0) + ramp(t, 11.0, 12.0, 0.0, 7.0)
        drop = ramp(t, 2.0, 4.0, 0.0, -0.5) - ramp(t, 8.0, 9.5, 0.0, -0.5) - 0.15 * max(0.0, t - 11.0)
        return tilt, drop, 0.0

    det = HoldDetector()
    for i in range(int(13.0 * RATE)):
        t = i / RATE
        tilt, drop, _ = stand_up_then_drift(t)
        speed = 3.0 if t > 11.0 else 0.0
        det.step(Features(t, tilt, tilt, 0.0, speed, drop, 0.0, -0.5 if t > 4.0 else drop, True))
    det.finish()
    assert [round(s.entry_s) for s in det.squats] == [2]


def test_recording_ending_before_the_exit_settles_still_counts_a_deep_squat():
    def bounce_at_the_end(t):
        tilt = ramp(t, 2.0, 4.0, 0.0, 20.0) - ramp(t, 5.0, 6.5, 0.0, 20.0)
        drop = ramp(t, 2.0, 4.0, 0.0, -0.5) - ramp(t, 5.0, 6.5, 0.0, -0.5)
        return tilt, drop, 0.0

    det, events, _ = run(bounce_at_the_end, 6.6)  # ends 0.1 s after standing up, before the body settles
    assert kinds(events) == [EventKind.SQUAT_ENTRY, EventKind.SQUAT_EXIT]
    assert det.squats[0].depth_m == pytest.approx(-0.5, abs=0.01)


def test_a_drop_deeper_than_a_pelvis_can_go_is_not_a_squat():
    def stairs_down(t):
        return ramp(t, 2.0, 4.0, 0.0, 15.0), ramp(t, 2.0, 9.0, 0.0, -1.8), 0.0

    _, events, _ = run(stairs_down, 14.0)
    assert events == []
    with pytest.raises(ConfigError, match="max_drop_m"):
        DetectorParams(squat_drop_m=0.5, max_drop_m=0.4)
