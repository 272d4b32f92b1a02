"""Ground truth: ordered, non-overlapping, faithful to the motion, and round-trips through JSON."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest

from imuhold.recording.labels import Labels
from imuhold.sim import SCENARIOS, Pause, Squat
from imuhold.sim.activities import MAX_PAUSE_S

NAMES = sorted(SCENARIOS)


@pytest.mark.parametrize("name", NAMES)
def test_truth_is_ordered_and_holds_are_long_enough(simulated, name):
    sim = simulated(name)
    assert sim.labels.squats, "every scenario has squats"
    for squat in sim.labels.squats:
        times = [squat.entry_s]
        for hold in squat.holds:
            assert hold.end_s - hold.start_s >= 3.0
            times += [hold.start_s, hold.end_s]
        times.append(squat.exit_s)
        assert all(a < b for a, b in itertools.pairwise(times)), times
        assert squat.depth_m is not None and -0.65 < squat.depth_m < -0.2
    spans = sorted([(s.entry_s, s.exit_s) for s in sim.labels.squats])
    spans = sorted(spans + [(d.start_s, d.end_s) for d in sim.labels.distractors])
    assert all(a[1] < b[0] for a, b in itertools.pairwise(spans)), "no overlaps"
    assert spans[0][0] >= 4.0, "calibration standing first"
    assert spans[-1][1] <= sim.t_s[-1] - 2.0 + 1e-6, "standing at the end"


@pytest.mark.parametrize("name", NAMES)
def test_labels_round_trip_through_json(simulated, name):
    labels = simulated(name).labels
    assert Labels.from_json_dict(json.loads(json.dumps(labels.to_json_dict()))) == labels


@pytest.mark.parametrize("name", NAMES)
def test_no_stable_bottom_between_one_and_three_seconds(simulated, name):
    sim = simulated(name)
    for activity in sim.scenario.activities:
        if isinstance(activity, Squat) and activity.bottom and isinstance(activity.bottom[0], Pause):
            assert activity.bottom[0].duration_s <= MAX_PAUSE_S
    for squat in sim.labels.squats:
        for a, b in zip(squat.holds, squat.holds[1:], strict=False):
            assert b.start_s - a.end_s >= 2.5, "splitting re-adjustments move for ≥ 2 s"


def test_truth_times_are_where_the_motion_starts_and_stops(simulated):
    sim = simulated("styles")
    speed = np.degrees(np.linalg.norm(sim.gyr_rad_s, axis=1))
    plans = [a for a in sim.scenario.activities if isinstance(a, Squat)]
    for squat, plan in zip(sim.labels.squats, plans, strict=True):
        entry = np.searchsorted(sim.t_s, squat.entry_s)
        exit_ = np.searchsorted(sim.t_s, squat.exit_s)
        middle = np.searchsorted(sim.t_s, squat.entry_s + plan.descent_s / 2)
        # at rest just before entry, half-way down mid-descent, back at rest at exit
        assert abs(sim.true_tilt_deg[entry] - sim.true_tilt_deg[entry - 20]) < 1.0
        assert abs(sim.true_drop_m[entry]) < 0.015
        assert sim.true_drop_m[middle] == pytest.approx(squat.depth_m / 2, abs=0.05)
        assert abs(sim.true_tilt_deg[exit_]) < 2.0 and abs(sim.true_drop_m[exit_]) < 0.015
        for hold in squat.holds:
            start = np.searchsorted(sim.t_s, hold.start_s)
            end = np.searchsorted(sim.t_s, hold.end_s)
            assert np.median(speed[start : end + 1]) < 5.0
            # the descent still moves in its last half second, then the hold is still; likewise at the end
            down = sim.true_drop_m[start - 50] - sim.true_drop_m[start]
            assert down > 0.01 and down > 2 * abs(sim.true_drop_m[start + 50] - sim.true_drop_m[start])
            up = sim.true_drop_m[end + 50] - sim.true_drop_m[end]
            assert up > 0.01 and up > 2 * abs(sim.true_drop_m[end - 50] - sim.true_drop_m[end])


def test_brief_wobbles_move_but_do_not_split_the_hold(simulated):
    sim = simulated("long-hold")
    (squat,) = sim.labels.squats
    (hold,) = squat.holds
    assert 60.0 <= hold.end_s - hold.start_s <= 90.0
    i0, i1 = np.searchsorted(sim.t_s, (hold.start_s, hold.end_s))
    speed = np.degrees(np.linalg.norm(sim.gyr_rad_s[i0:i1], axis=1))
    assert speed.max() > 20.0, "the wobbles are in the motion"
    assert np.mean(speed > 10.0) < 0.05, "but brief"
