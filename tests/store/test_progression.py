"""The next target: raised a step after repeated success across sessions, capped near a minute, lowered gently."""

from __future__ import annotations

import pytest

from imuhold.model import HoldMetrics, Squat
from imuhold.store import SessionBatch, SessionStore, next_target, suggest_target
from imuhold.store.progression import MAX_TARGET_S, MIN_TARGET_S, step_s


def test_no_history_keeps_the_configured_target():
    s = suggest_target([], 20.0)
    assert (s.target_s, s.change_s) == (20.0, 0.0) and "no holds" in s.reason


def test_three_holds_at_target_over_two_sessions_raise_it_one_step():
    s = suggest_target([(20.0, [21.0, 22.0]), (20.0, [12.0]), (20.0, [20.0])], 30.0)
    assert s.current_s == 20.0 and s.target_s == 23.0 and "3 holds of 20 s or more" in s.reason


def test_one_lucky_session_is_not_enough():
    assert suggest_target([(20.0, [25.0, 24.0, 22.0, 21.0])], 30.0).target_s == 20.0


def test_only_the_last_three_sessions_with_holds_count():
    old_success = [(10.0, [15.0, 15.0]), (10.0, [15.0])]
    recent = [(10.0, [8.0]), (10.0, []), (10.0, [9.0]), (10.0, [9.5])]
    assert suggest_target(old_success + recent, 30.0).target_s == 10.0


@pytest.mark.parametrize(
    ("target", "step"), [(5.0, 2.0), (10.0, 2.0), (20.0, 3.0), (30.0, 4.0), (40.0, 5.0), (55.0, 5.0)]
)
def test_steps_are_whole_seconds_between_two_and_five(target, step):
    assert step_s(target) == step


def test_the_target_stops_near_a_minute():
    assert suggest_target([(58.0, [60.0, 61.0]), (58.0, [59.0])], 30.0).target_s == MAX_TARGET_S
    s = suggest_target([(60.0, [65.0, 61.0]), (60.0, [70.0])], 30.0)
    assert s.target_s == MAX_TARGET_S and s.change_s == 0 and "goal" in s.reason


def test_far_short_for_three_sessions_lowers_it_but_not_below_five_seconds():
    assert suggest_target([(30.0, [10.0]), (30.0, [12.0]), (30.0, [15.0])], 30.0).target_s == 26.0
    assert suggest_target([(6.0, [2.0]), (6.0, [3.0]), (6.0, [2.5])], 30.0).target_s == MIN_TARGET_S


def test_next_target_reads_the_history(tmp_path):
    assert next_target(tmp_path, 25.0).target_s == 25.0  # no database yet: the configured target
    with SessionStore.open(tmp_path) as store:
        for day, durations in enumerate(([16.0, 15.0], [15.5]), 1):
            sid = store.create_session(started_utc=f"2026-01-0{day}T08:00:00.000Z", target_hold_s=15.0)
            holds = tuple(HoldMetrics(i * 30.0, i * 30.0 + d, 10, 1, 1, 0, None) for i, d in enumerate(durations))
            store.write(sid, SessionBatch(squats=[Squat(0.0, 100.0, None, holds)]))
    suggestion = next_target(tmp_path, 25.0)
    assert (suggestion.current_s, suggestion.target_s) == (15.0, 17.0)
