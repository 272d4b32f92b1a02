"""A gap in the data inside a hold: the training screen times the hold across it and says how much went unseen."""

from __future__ import annotations

import pytest

from imuhold.model import MotionState
from imuhold.pipeline import Pipeline
from imuhold.protocol import get_profile
from imuhold.tui import make_app
from imuhold.tui.session import TrainingSession
from imuhold.tui.widgets import HoldTimer

from .helpers import HeldSource, settle, shown_latest

GAP = (95.0, 98.0)
"""Seconds (from the first packet) cut out of the routine's fourth hold (87.5–113.6 s)."""


def with_gap(recording, until_s: float):
    t0 = recording.packets[0].t_host_ns
    at = [(p, (p.t_host_ns - t0) / 1e9) for p in recording.packets]
    return [p for p, t in at if t <= until_s and not GAP[0] <= t < GAP[1]]


def test_the_frame_carries_the_unobserved_seconds_of_the_running_and_the_last_hold(routine):
    header = routine.header
    session = TrainingSession(Pipeline(get_profile(header.profile), header.rate_hz))
    packets = iter(with_gap(routine, 1e9))

    def until(t_s: float):
        for packet in packets:
            session.feed(packet)
            if session.frame().t_s >= t_s:
                break
        return session.frame()

    running = until(105.0)
    assert running.hold_s is not None and running.hold_unobserved_s == pytest.approx(3.0, abs=0.03)
    after = until(118.0)  # the fourth hold ended, the fifth has not begun
    assert after.hold_s is None and after.holds == 4 and after.hold_unobserved_s == running.hold_unobserved_s
    until(1e9)
    session.finish()
    assert session.frame().holds == 5 and session.frame().hold_unobserved_s == 0.0  # the fifth saw everything


async def test_the_hold_timer_says_how_much_of_the_hold_was_not_observed(routine):
    header = routine.header
    source = HeldSource(with_gap(routine, 105.0), header.profile, header.rate_hz, "routine.imuhold.gz")
    app = make_app(source, stall_after_s=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: app.session.pipeline.decode_stats.packets == len(source.packets))
        await shown_latest(pilot)
        frame = app.screen.frame
        assert frame.state is MotionState.HOLDING
        caption = str(app.screen.query_one(HoldTimer).render()).splitlines()[3].strip()
        assert caption == f"holding {int(frame.hold_s * 10) / 10} s of 30 s (3.0 s unobserved)"
