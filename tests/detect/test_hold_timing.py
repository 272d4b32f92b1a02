"""Event times of the detector on minimum-jerk squats with sensor noise, against the analytic ones.

The features are made as the pipeline makes them: tilt speed by the causal ``TiltSpeed`` filter from a noisy
vertical, the drop and its velocity exact. Before the times were refined from the motion history, entry was
back-dated to where the lean was within 0.5° of standing (0.3 s late here) and the hold ran from the causal
stability test's crossing (0.2–0.3 s early): each bound below fails on that behaviour.
"""

import math

import numpy as np
import pytest

from imuhold.detect.hold import Features, HoldDetector
from imuhold.detect.params import DetectorParams
from imuhold.model import EventKind
from imuhold.motion.speed import TiltSpeed

RATE_HZ = 100.0
TOLERANCE_S = 0.1
"""Within a tenth of a second of the analytic time (the issue asks ≤ 0.15 s median on recordings)."""


def min_jerk(t_s: float, t0_s: float, t1_s: float) -> float:
    """0 → 1 over [t0_s, t1_s] along the minimum-jerk profile."""
    u = min(1.0, max(0.0, (t_s - t0_s) / (t1_s - t0_s)))
    return u**3 * (10.0 - 15.0 * u + 6.0 * u * u)


def squat_pose(t_s: float, down=(2.0, 4.0), up=(16.0, 17.5), tilt_deg=20.0, drop_m=0.45):
    """(tilt_deg, drop_m) of a squat: descent over ``down``, hold, ascent over ``up``."""
    k = min_jerk(t_s, *down) - min_jerk(t_s, *up)
    return tilt_deg * k, -drop_m * k


def run(pose, duration_s: float, seed: int = 3, noise_deg: float = 0.15, sway_deg: float = 0.3):
    """Feed a HoldDetector the pipeline's features for ``pose(t) -> (tilt, drop)``; returns (detector, events)."""
    rng = np.random.default_rng(seed)
    params = DetectorParams()
    det, speed = HoldDetector(params), TiltSpeed(params.tilt_speed_tau_s, params.tilt_up_tau_s)
    dt = 1.0 / RATE_HZ
    events, lowest, previous_drop = [], 0.0, None
    for i in range(int(duration_s * RATE_HZ)):
        t = i * dt
        tilt, drop = pose(t)
        tilt += sway_deg * math.sin(2.0 * math.pi * 0.3 * t) + rng.normal(0.0, noise_deg)
        obliquity = 0.5 * sway_deg * math.sin(2.0 * math.pi * 0.21 * t + 1.0) + rng.normal(0.0, noise_deg)
        a, b = math.radians(tilt), math.radians(obliquity)
        up = (math.sin(a) * math.cos(b), math.sin(b), math.cos(a) * math.cos(b))
        speed_dps = speed.step(t, up)
        velocity = 0.0 if previous_drop is None else (drop - previous_drop) / dt
        previous_drop, lowest = drop, min(lowest, drop)
        inclination = math.degrees(math.acos(up[2]))
        events += det.step(Features(t, inclination, tilt, obliquity, speed_dps, drop, velocity, lowest, True))
    return det, events + det.finish()


def times(events):
    return {e.kind: e.t_s for e in events}


def test_a_minimum_jerk_squat_is_timed_within_a_tenth_of_a_second():
    det, events = run(squat_pose, 21.0)
    assert [e.kind for e in events] == [
        EventKind.SQUAT_ENTRY,
        EventKind.HOLD_START,
        EventKind.HOLD_END,
        EventKind.SQUAT_EXIT,
    ]
    t = times(events)
    assert t[EventKind.SQUAT_ENTRY] == pytest.approx(2.0, abs=TOLERANCE_S)
    assert t[EventKind.HOLD_START] == pytest.approx(4.0, abs=TOLERANCE_S)
    assert t[EventKind.HOLD_END] == pytest.approx(16.0, abs=TOLERANCE_S)
    assert t[EventKind.SQUAT_EXIT] == pytest.approx(17.5, abs=TOLERANCE_S)
    [squat] = det.squats
    [hold] = squat.holds
    assert hold.duration_s == pytest.approx(12.0, abs=TOLERANCE_S)
    assert (squat.entry_s, squat.exit_s) == (t[EventKind.SQUAT_ENTRY], t[EventKind.SQUAT_EXIT])
    assert all(e.t_s <= e.t_detected_s for e in events)


@pytest.mark.parametrize(("descent_s", "tilt_deg"), [(1.0, 30.0), (3.0, 10.0)])
def test_fast_and_slow_descents_with_much_or_little_lean(descent_s, tilt_deg):
    def pose(t):
        return squat_pose(t, down=(2.0, 2.0 + descent_s), up=(14.0, 15.2), tilt_deg=tilt_deg)

    _, events = run(pose, 19.0, seed=5)
    t = times(events)
    assert t[EventKind.SQUAT_ENTRY] == pytest.approx(2.0, abs=TOLERANCE_S)
    assert t[EventKind.HOLD_START] == pytest.approx(2.0 + descent_s, abs=TOLERANCE_S)
    assert t[EventKind.HOLD_END] == pytest.approx(14.0, abs=TOLERANCE_S)
    assert t[EventKind.SQUAT_EXIT] == pytest.approx(15.2, abs=TOLERANCE_S)


def test_a_hold_is_still_announced_after_min_hold_s_of_stability():
    _, events = run(squat_pose, 21.0)
    hold_start = next(e for e in events if e.kind is EventKind.HOLD_START)
    # The causal stability test's run began a few tenths of a second before the end of the descent that the
    # refined start reports; the hold is announced min_hold_s after that run began, as before.
    assert 2.0 - 0.4 <= hold_start.t_detected_s - hold_start.t_s <= 2.0


def test_a_short_bottom_is_still_not_a_hold():
    def pose(t):
        return squat_pose(t, down=(2.0, 4.0), up=(5.2, 6.7))  # 1.2 s at the bottom

    det, events = run(pose, 11.0)
    assert [e.kind for e in events] == [EventKind.SQUAT_ENTRY, EventKind.SQUAT_EXIT]
    assert det.squats[0].holds == ()
