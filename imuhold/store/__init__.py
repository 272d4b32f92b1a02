"""Sessions that last: the SQLite sessions database (the only importer of sqlite3), the recorder, progression."""

# SessionStore reads and writes the database; SessionRecorder records a session crash-safely (recording
# file + database, committed every second); next_target suggests the next target hold from history.

from __future__ import annotations

from pathlib import Path

from imuhold.store.db import DB_NAME, RECORDINGS_DIR
from imuhold.store.errors import DiskFull, SessionNotFound, StoreError
from imuhold.store.progression import TargetSuggestion, suggest_from_store, suggest_target
from imuhold.store.recorder import SessionRecorder, SessionSetup
from imuhold.store.rows import END_REASONS, LinkMark, SessionBatch, SessionInfo, TiltPoint, unobserved_s
from imuhold.store.sessions import SessionStore
from imuhold.store.trend import DayTrend, daily_trend


def next_target(data_dir: Path, default_s: float) -> TargetSuggestion:
    """The target hold for the next session, from the history in ``data_dir`` (``default_s`` without one).

    For the live screen: ``next_target(data_dir(), config.target_hold_s).target_s``. A database that cannot be
    read gives the default, with the reason saying so.
    """
    if not (data_dir / DB_NAME).exists():
        return TargetSuggestion(default_s, default_s, "no sessions yet: the configured target")
    try:
        with SessionStore.open(data_dir) as store:
            return suggest_from_store(store, default_s)
    except StoreError as exc:
        return TargetSuggestion(default_s, default_s, f"history unavailable ({exc}): the configured target")


__all__ = [
    "DB_NAME",
    "END_REASONS",
    "RECORDINGS_DIR",
    "DayTrend",
    "DiskFull",
    "LinkMark",
    "SessionBatch",
    "SessionInfo",
    "SessionNotFound",
    "SessionRecorder",
    "SessionSetup",
    "SessionStore",
    "StoreError",
    "TargetSuggestion",
    "TiltPoint",
    "daily_trend",
    "next_target",
    "suggest_from_store",
    "suggest_target",
    "unobserved_s",
]
