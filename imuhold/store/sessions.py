"""The sessions database: create, extend and end sessions; read them back with their holds, events and tilt."""

from __future__ import annotations

import json
import math
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from imuhold.model import Event, EventKind, HoldMetrics, Squat
from imuhold.store.db import DB_NAME, connect, connect_read_only, damaged, describe
from imuhold.store.errors import SessionNotFound, StoreError
from imuhold.store.rows import LinkMark, SessionBatch, SessionInfo, TiltPoint, parse_utc

T = TypeVar("T")

_SUMMARY_SQL = """
SELECT s.id, s.started_utc, s.ended_utc, s.end_reason, s.duration_s, s.samples, s.sensor, s.profile, s.rate_hz,
       s.counterweight_kg, s.target_hold_s, s.notes, s.recording, s.app_version, s.updated_utc, s.calibration,
       COUNT(h.id), COALESCE(SUM(h.end_s - h.start_s), 0), COALESCE(MAX(h.end_s - h.start_s), 0),
       SUM(h.tilt_mean_deg * (h.end_s - h.start_s)) / NULLIF(SUM(h.end_s - h.start_s), 0),
       (SELECT COUNT(*) FROM link_marks m WHERE m.session_id = s.id AND m.kind = 'link-lost'),
       COALESCE(SUM(h.unobserved_s), 0)
FROM sessions s LEFT JOIN holds h ON h.session_id = s.id
"""


def utc_now() -> str:
    """Now as a stored timestamp: ISO 8601 UTC with milliseconds and a ``Z``."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _num(value: float | None) -> float | None:
    """NaN and None both become SQL NULL."""
    return None if value is None or math.isnan(value) else value


def _real(value: Any) -> float | None:
    """A stored number (or NULL); TypeError for anything else, which only a damaged database holds."""
    if value is None or (isinstance(value, int | float) and not isinstance(value, bool)):
        return value
    raise TypeError(f"{value!r} where a number belongs")


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{value!r} where text belongs")
    return value


def _info(row: Sequence[Any]) -> SessionInfo:
    """A session row, checked: a damaged database can hold anything in any column."""
    calibration = json.loads(row[15]) if row[15] else None
    if calibration is not None and not isinstance(calibration, dict):
        raise TypeError(f"calibration {row[15]!r} is not a JSON object")
    parse_utc(_text(row[1]))
    if row[14]:
        parse_utc(_text(row[14]))
    if not isinstance(row[0], int) or not isinstance(row[5], int):
        raise TypeError(f"session id {row[0]!r} or samples {row[5]!r} is not an integer")
    for i in (2, 3, 12):
        if row[i] is not None:
            _text(row[i])
    for i in (6, 7, 11, 13):
        _text(row[i])
    if _real(row[4]) is None or not isinstance(row[16], int) or _real(row[17]) is None or _real(row[18]) is None:
        raise TypeError(f"session {row[0]}: its duration or hold totals are not numbers")
    for i in (8, 9, 10, 19, 21):
        _real(row[i])
    return SessionInfo(*row[:15], calibration, *row[16:])


UNREADABLE_ROW = (ValueError, TypeError, AttributeError, KeyError, IndexError)
"""What decoding a row from a damaged database can raise (bad JSON, a bad timestamp, text where a number goes…)."""


class SessionStore:
    """One open sessions database. Not thread-safe: use it from the thread that opened it.

    Every write is one transaction; a failing write raises StoreError with a readable reason (disk full,
    read-only…) and leaves the database as it was before that write. A row that a damaged database returns
    garbled is a StoreError too, saying how to get out (move the database aside; the recordings rebuild it).
    """

    def __init__(self, path: str | os.PathLike[str], *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self._conn: sqlite3.Connection | None = connect_read_only(self.path) if read_only else connect(self.path)

    @classmethod
    def open(cls, data_dir: Path) -> SessionStore:
        """The database in ``data_dir`` (created, owner-only, when missing)."""
        return cls(data_dir / DB_NAME)

    @classmethod
    def open_for_reading(cls, data_dir: Path) -> SessionStore:
        """The database in ``data_dir``, read-only when it cannot be opened for writing (a read-only disk or
        folder, a full disk) but can be read.

        ``read_only`` tells which it is; writes to a read-only store raise StoreError.
        """
        try:
            return cls.open(data_dir)
        except StoreError as exc:
            if not (data_dir / DB_NAME).is_file():
                raise
            try:
                return cls(data_dir / DB_NAME, read_only=True)
            except StoreError:
                raise exc from exc.__cause__  # it cannot be read either: why it could not be opened

    # -- lifetime ----------------------------------------------------------------------------------------------
    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError(str(self.path), "the database is closed")
        return self._conn

    def close(self) -> None:
        """Close the connection (safe twice); the WAL is checkpointed when the last connection closes."""
        if self._conn is not None:
            conn, self._conn = self._conn, None
            conn.close()

    def __enter__(self) -> SessionStore:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        if self.read_only:
            raise StoreError(str(self.path), "the database is read-only here (opened for reading)")
        conn = self.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
            yield conn
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.rollback()
            raise StoreError(str(self.path), describe(exc, self.path)) from exc
        except BaseException:
            if conn.in_transaction:
                conn.rollback()
            raise

    # -- writes ------------------------------------------------------------------------------------------------
    def create_session(
        self,
        *,
        started_utc: str | None = None,
        sensor: str = "",
        profile: str = "",
        rate_hz: float | None = None,
        counterweight_kg: float | None = None,
        target_hold_s: float | None = None,
        notes: str = "",
        recording: str | None = None,
        app_version: str = "",
    ) -> int:
        """A new open session (no end yet); returns its id."""
        started = started_utc or utc_now()
        with self._transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO sessions (started_utc, updated_utc, sensor, profile, rate_hz, counterweight_kg,"
                " target_hold_s, notes, recording, app_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    started,
                    started,
                    sensor,
                    profile,
                    rate_hz,
                    counterweight_kg,
                    target_hold_s,
                    notes,
                    recording,
                    app_version,
                ),
            )
            assert cursor.lastrowid is not None
            return cursor.lastrowid

    def write(self, session_id: int, batch: SessionBatch) -> None:
        """Append a batch (events, exited squats with their holds, tilt points) and the session's progress."""
        with self._transaction() as conn:
            self._write(conn, session_id, batch)

    def replace_content(self, session_id: int, batches: Iterable[SessionBatch]) -> None:
        """Replace everything recorded for a session by ``batches``, written in order in one transaction (recovery
        from its recording file; an iterable read as it is written keeps memory flat)."""
        with self._transaction() as conn:
            for table in ("holds", "squats", "events", "tilt", "link_marks"):
                conn.execute(f"DELETE FROM {table} WHERE session_id = ?", (session_id,))
            for batch in batches:
                self._write(conn, session_id, batch)

    def _write(self, conn: sqlite3.Connection, session_id: int, batch: SessionBatch) -> None:
        if batch.events:
            conn.executemany(
                "INSERT INTO events (session_id, t_s, t_detected_s, kind) VALUES (?, ?, ?, ?)",
                [(session_id, e.t_s, e.t_detected_s, e.kind.value) for e in batch.events],
            )
        for squat in batch.squats:
            cursor = conn.execute(
                "INSERT INTO squats (session_id, entry_s, exit_s, depth_m) VALUES (?, ?, ?, ?)",
                (session_id, squat.entry_s, squat.exit_s, _num(squat.depth_m)),
            )
            conn.executemany(
                "INSERT INTO holds (session_id, squat_id, start_s, end_s, tilt_mean_deg, tilt_sd_deg, sway_rms_deg,"
                " obliquity_mean_deg, depth_m, unobserved_s) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        session_id,
                        cursor.lastrowid,
                        h.start_s,
                        h.end_s,
                        _num(h.tilt_mean_deg),
                        _num(h.tilt_sd_deg),
                        _num(h.sway_rms_deg),
                        _num(h.obliquity_mean_deg),
                        _num(h.depth_m),
                        h.unobserved_s,
                    )
                    for h in squat.holds
                ],
            )
        if batch.tilt:
            conn.executemany(
                "INSERT OR REPLACE INTO tilt (session_id, t_s, tilt_deg, obliquity_deg, state) VALUES (?, ?, ?, ?, ?)",
                [(session_id, p.t_s, _num(p.tilt_deg), _num(p.obliquity_deg), p.state) for p in batch.tilt],
            )
        if batch.marks:
            conn.executemany(
                "INSERT INTO link_marks (session_id, t_s, kind, detail) VALUES (?, ?, ?, ?)",
                [(session_id, m.t_s, m.kind, m.detail) for m in batch.marks],
            )
        sets, values = ["updated_utc = ?"], [utc_now()]
        if batch.duration_s is not None:
            sets.append("duration_s = MAX(duration_s, ?)")
            values.append(batch.duration_s)
        if batch.samples is not None:
            sets.append("samples = MAX(samples, ?)")
            values.append(batch.samples)
        if batch.calibration is not None:
            sets.append("calibration = ?")
            values.append(json.dumps(batch.calibration))
        if batch.counterweight_changed:
            sets.append("counterweight_kg = ?")
            values.append(batch.counterweight_kg)
        cursor = conn.execute(f"UPDATE sessions SET {', '.join(sets)} WHERE id = ?", (*values, session_id))
        if cursor.rowcount != 1:
            raise SessionNotFound(f"session {session_id} is not in {self.path}")

    def end_session(self, session_id: int, reason: str, ended_utc: str | None = None) -> None:
        """Mark a session ended (``completed``, ``stopped``, ``interrupted``, ``link_lost``…)."""
        now = utc_now()
        with self._transaction() as conn:
            conn.execute(
                "UPDATE sessions SET ended_utc = ?, end_reason = ?, updated_utc = ? WHERE id = ?",
                (ended_utc or now, reason, now, session_id),
            )

    def update_session(self, session_id: int, **values: Any) -> None:
        """Set some of ``notes``, ``counterweight_kg``, ``target_hold_s``, ``recording``, ``duration_s``."""
        allowed = {"notes", "counterweight_kg", "target_hold_s", "recording", "duration_s"}
        unknown = set(values) - allowed
        if unknown:
            raise ValueError(f"cannot update {', '.join(sorted(unknown))}")
        if not values:
            return
        with self._transaction() as conn:
            sets = ", ".join(f"{name} = ?" for name in values)
            conn.execute(f"UPDATE sessions SET {sets} WHERE id = ?", (*values.values(), session_id))

    def delete_session(self, session_id: int) -> None:
        with self._transaction() as conn:
            conn.execute("DELETE FROM sessions WHERE id = ?", (session_id,))

    # -- reads -------------------------------------------------------------------------------------------------
    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise StoreError(str(self.path), describe(exc, self.path), StoreError.READING) from exc

    def _rows(self, convert: Callable[[Any], T], sql: str, params: Sequence[Any] = ()) -> list[T]:
        """``convert`` applied to each row read; a row it cannot convert is a StoreError naming the damage."""
        return list(self._iter_rows(convert, sql, params))

    def _iter_rows(self, convert: Callable[[Any], T], sql: str, params: Sequence[Any] = ()) -> Iterator[T]:
        """``_rows`` one row at a time, as SQLite reads them (memory stays flat however many there are)."""
        try:
            for row in self.conn.execute(sql, params):
                yield convert(row)
        except sqlite3.Error as exc:
            raise StoreError(str(self.path), describe(exc, self.path), StoreError.READING) from exc
        except UNREADABLE_ROW as exc:
            detail = f"a stored row cannot be read: {exc}"
            raise StoreError(str(self.path), damaged(detail, self.path), StoreError.READING) from exc

    def sessions(self, limit: int | None = None) -> list[SessionInfo]:
        """All sessions with their summaries, newest first."""
        sql = _SUMMARY_SQL + " GROUP BY s.id ORDER BY s.started_utc DESC, s.id DESC"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return self._rows(_info, sql)

    def session(self, session_id: int) -> SessionInfo:
        if not -(1 << 63) <= session_id < 1 << 63:  # SQLite's integers are 64-bit
            raise SessionNotFound(f"there is no session {session_id} in {self.path}")
        rows = self._rows(_info, _SUMMARY_SQL + " WHERE s.id = ? GROUP BY s.id", (session_id,))
        if not rows:
            raise SessionNotFound(f"there is no session {session_id} in {self.path}")
        return rows[0]

    def resolve(self, ref: str | int) -> SessionInfo:
        """A session by id or by ``last`` (the most recently started)."""
        if isinstance(ref, str) and ref.strip().lower() == "last":
            latest = self.sessions(limit=1)
            if not latest:
                raise SessionNotFound(f"there are no sessions yet in {self.path}")
            return latest[0]
        try:
            session_id = int(ref)
        except ValueError:
            raise SessionNotFound(f"{ref!r} is neither a session id nor 'last'") from None
        return self.session(session_id)

    def unfinished(self) -> list[SessionInfo]:
        """Sessions with no end: being recorded now, or left by a crash."""
        return self._rows(_info, _SUMMARY_SQL + " WHERE s.ended_utc IS NULL GROUP BY s.id ORDER BY s.id")

    def recordings(self) -> set[str]:
        """Every recording path that a session refers to (relative to the data dir)."""
        return set(self._rows(lambda row: _text(row[0]), "SELECT recording FROM sessions WHERE recording IS NOT NULL"))

    def squats(self, session_id: int) -> list[Squat]:
        """The session's squats in time order, each with its holds."""
        holds: dict[int, list[HoldMetrics]] = {}
        for squat_id, hold in self._rows(
            lambda row: (row[0], HoldMetrics(*(_nan(_real(v)) for v in row[1:7]), _real(row[7]), _nan(_real(row[8])))),
            "SELECT squat_id, start_s, end_s, tilt_mean_deg, tilt_sd_deg, sway_rms_deg, obliquity_mean_deg, depth_m,"
            " unobserved_s FROM holds WHERE session_id = ? ORDER BY start_s",
            (session_id,),
        ):
            holds.setdefault(squat_id, []).append(hold)
        return self._rows(
            lambda row: Squat(_nan(_real(row[1])), _nan(_real(row[2])), _real(row[3]), tuple(holds.get(row[0], ()))),
            "SELECT id, entry_s, exit_s, depth_m FROM squats WHERE session_id = ? ORDER BY entry_s",
            (session_id,),
        )

    def holds(self, session_id: int) -> list[HoldMetrics]:
        return [h for squat in self.squats(session_id) for h in squat.holds]

    def events(self, session_id: int) -> list[Event]:
        return self._rows(
            lambda row: Event(EventKind(row[2]), _nan(_real(row[0])), _nan(_real(row[1]))),
            "SELECT t_s, t_detected_s, kind FROM events WHERE session_id = ? ORDER BY t_detected_s, rowid",
            (session_id,),
        )

    def link_marks(self, session_id: int) -> list[LinkMark]:
        """Connection lost and restored, frames missing: in time order."""
        return self._rows(
            lambda row: LinkMark(_nan(_real(row[0])), _text(row[1]), _text(row[2])),
            "SELECT t_s, kind, detail FROM link_marks WHERE session_id = ? ORDER BY t_s, rowid",
            (session_id,),
        )

    def tilt(self, session_id: int) -> list[TiltPoint]:
        """The downsampled tilt series (about 10 Hz) in time order."""
        return list(self.iter_tilt(session_id))

    def iter_tilt(self, session_id: int) -> Iterator[TiltPoint]:
        """``tilt`` read as it is used, a row at a time (an export of a long session: memory stays flat)."""
        return self._iter_rows(
            lambda row: TiltPoint(_nan(_real(row[0])), _real(row[1]), _real(row[2]), _text(row[3])),
            "SELECT t_s, tilt_deg, obliquity_deg, state FROM tilt WHERE session_id = ? ORDER BY t_s",
            (session_id,),
        )

    def hold_history(self, limit: int) -> list[tuple[SessionInfo, list[float]]]:
        """The last ``limit`` sessions (oldest first), each with its hold durations — for progression."""
        recent = list(reversed(self.sessions(limit=limit)))
        if not recent:
            return []
        marks = ",".join("?" * len(recent))
        durations: dict[int, list[float]] = {s.id: [] for s in recent}
        for session_id, duration_s in self._rows(
            lambda row: (row[0], _nan(_real(row[1]))),
            f"SELECT session_id, end_s - start_s FROM holds WHERE session_id IN ({marks}) ORDER BY start_s",
            [s.id for s in recent],
        ):
            durations[session_id].append(duration_s)
        return [(s, durations[s.id]) for s in recent]

    def integrity_check(self) -> str:
        """``ok``, or SQLite's list of problems."""
        return "\n".join(row[0] for row in self._read("PRAGMA integrity_check"))


def _nan(value: float | None) -> float:
    return math.nan if value is None else value
