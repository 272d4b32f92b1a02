"""Cue planning: ready, hold start, a tick every N s, target reached (once, instead of a tick), hold end."""

from imuhold.model import Event, EventKind
from imuhold.tui.cues import Cue, CueKind, CuePlanner


def run_hold(planner, start_s, detected_s, end_s, period_s=0.01):
    """Feed a hold that starts (back-dated) at ``start_s``, is detected at ``detected_s`` and ends at ``end_s``."""
    cues = [planner.on_event(Event(EventKind.HOLD_START, start_s, detected_s))]
    n = round((end_s - detected_s) / period_s)
    for i in range(1, n + 1):
        cue = planner.on_sample(detected_s + i * period_s)
        if cue is not None:
            cues.append(cue)
    cues.append(planner.on_event(Event(EventKind.HOLD_END, end_s, end_s + 0.5)))
    return cues


def spoken(cues):
    return [(c.kind, c.words) for c in cues]


def test_a_long_hold_is_cued_at_start_every_ten_seconds_at_the_target_and_at_the_end():
    planner = CuePlanner(target_hold_s=25.0, every_s=10.0)
    cues = run_hold(planner, start_s=10.0, detected_s=12.0, end_s=41.5)
    assert spoken(cues) == [
        (CueKind.HOLD_START, "hold"),
        (CueKind.TICK, "10"),
        (CueKind.TICK, "20"),
        (CueKind.TARGET, "target, 25 seconds"),
        (CueKind.TICK, "30"),
        (CueKind.HOLD_END, "up, 31 seconds"),
    ]
    assert cues[1].t_s == 20.0 and cues[1].hold_s == 10.0
    assert cues[0].hold_s == 2.0  # detected 2 s after its back-dated start


def test_a_target_on_a_tick_is_said_once_as_the_target():
    planner = CuePlanner(target_hold_s=20.0, every_s=10.0)
    words = [w for _, w in spoken(run_hold(planner, 0.0, 2.0, 31.0))]
    assert words == ["hold", "10", "target, 20 seconds", "30", "up, 31 seconds"]


def test_the_target_is_cued_again_in_the_next_hold_and_ticks_restart():
    planner = CuePlanner(target_hold_s=5.0, every_s=10.0)
    first = spoken(run_hold(planner, 0.0, 2.0, 6.0))
    second = spoken(run_hold(planner, 20.0, 22.0, 31.0))
    assert [k for k, _ in first] == [CueKind.HOLD_START, CueKind.TARGET, CueKind.HOLD_END]
    assert second == [
        (CueKind.HOLD_START, "hold"),
        (CueKind.TARGET, "target, 5 seconds"),
        (CueKind.TICK, "10"),
        (CueKind.HOLD_END, "up, 11 seconds"),
    ]


def test_ticks_missed_across_a_gap_are_not_all_said():
    planner = CuePlanner(target_hold_s=100.0, every_s=10.0)
    planner.on_event(Event(EventKind.HOLD_START, 0.0, 2.0))
    assert planner.on_sample(3.0) is None
    assert planner.on_sample(35.0) == Cue(CueKind.TICK, 35.0, 35.0)  # one cue for 10, 20 and 30
    assert planner.on_sample(36.0) is None
    assert planner.on_sample(40.0).words == "40"


def test_no_cues_outside_a_hold_and_ready_on_calibration():
    planner = CuePlanner(target_hold_s=10.0, every_s=5.0)
    assert planner.on_sample(100.0) is None
    assert planner.on_event(Event(EventKind.SQUAT_ENTRY, 1.0, 2.0)) is None
    assert planner.on_event(Event(EventKind.HOLD_END, 1.0, 2.0)) is None  # an end without a start says nothing
    assert planner.on_event(Event(EventKind.CALIBRATED, 1.5, 1.5)).words == "ready"
