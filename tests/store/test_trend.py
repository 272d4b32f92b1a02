"""The trend groups sessions by local day: sessions, holds, total and longest hold."""

from __future__ import annotations

from datetime import UTC, date, timedelta, timezone

from imuhold.store import SessionInfo, daily_trend


def session(i: int, started_utc: str, holds: int, total_s: float, longest_s: float) -> SessionInfo:
    return SessionInfo(i, started_utc, None, None, 600.0, holds=holds, total_hold_s=total_s, longest_hold_s=longest_s)


def test_days_are_local_and_ordered_oldest_first():
    sessions = [
        session(3, "2026-03-02T08:00:00.000Z", 2, 30.0, 20.0),
        session(1, "2026-03-01T07:00:00.000Z", 3, 20.0, 9.0),
        session(2, "2026-03-01T23:30:00.000Z", 1, 12.0, 12.0),  # already 2 March at UTC+1
    ]
    utc, cet = UTC, timezone(timedelta(hours=1))
    assert [(d.day, d.sessions, d.holds, d.total_hold_s, d.longest_hold_s) for d in daily_trend(sessions, utc)] == [
        (date(2026, 3, 1), 2, 4, 32.0, 12.0),
        (date(2026, 3, 2), 1, 2, 30.0, 20.0),
    ]
    assert [(d.day.day, d.sessions) for d in daily_trend(sessions, cet)] == [(1, 1), (2, 2)]
