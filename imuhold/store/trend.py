"""Progress across sessions: per local calendar day, the number of sessions and holds, total and longest hold."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, tzinfo

from imuhold.store.rows import SessionInfo


@dataclass(frozen=True, slots=True)
class DayTrend:
    day: date
    sessions: int
    holds: int
    total_hold_s: float
    longest_hold_s: float


def daily_trend(sessions: Iterable[SessionInfo], tz: tzinfo | None = None) -> list[DayTrend]:
    """One entry per day with sessions, oldest first; days are local (``tz``, default the system's)."""
    days: dict[date, list[SessionInfo]] = {}
    for session in sessions:
        days.setdefault(session.started.astimezone(tz).date(), []).append(session)
    return [
        DayTrend(
            day,
            len(group),
            sum(s.holds for s in group),
            sum(s.total_hold_s for s in group),
            max(s.longest_hold_s for s in group),
        )
        for day, group in sorted(days.items())
    ]
