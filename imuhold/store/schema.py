"""The sessions database schema as an ordered list of migrations, applied by ``PRAGMA user_version``."""

from __future__ import annotations

import sqlite3

MIGRATIONS: tuple[str, ...] = (
    # 1: sessions, squats, holds, events and the 10 Hz tilt series.
    """
    CREATE TABLE sessions (
        id               INTEGER PRIMARY KEY,
        started_utc      TEXT NOT NULL,      -- ISO 8601, e.g. 2026-11-24T10:00:00.123Z
        ended_utc        TEXT,               -- NULL while recording (or after a crash, until recovered)
        end_reason       TEXT,               -- completed | stopped | interrupted | link_lost | NULL while recording
        updated_utc      TEXT NOT NULL,      -- heartbeat: the last commit while recording
        duration_s       REAL NOT NULL DEFAULT 0,  -- sample time covered
        samples          INTEGER NOT NULL DEFAULT 0,
        sensor           TEXT NOT NULL DEFAULT '',
        profile          TEXT NOT NULL DEFAULT '',
        rate_hz          REAL,
        calibration      TEXT,               -- JSON: {"t_s", "up0", "right"} (unit vectors, sensor frame)
        counterweight_kg REAL,
        target_hold_s    REAL,
        notes            TEXT NOT NULL DEFAULT '',
        recording        TEXT,               -- recording file, relative to the data dir
        app_version      TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX sessions_started ON sessions (started_utc);

    CREATE TABLE squats (
        id         INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        entry_s    REAL NOT NULL,
        exit_s     REAL NOT NULL,
        depth_m    REAL
    );
    CREATE INDEX squats_session ON squats (session_id, entry_s);

    CREATE TABLE holds (
        id                 INTEGER PRIMARY KEY,
        session_id         INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        squat_id           INTEGER NOT NULL REFERENCES squats (id) ON DELETE CASCADE,
        start_s            REAL NOT NULL,
        end_s              REAL NOT NULL,
        tilt_mean_deg      REAL,
        tilt_sd_deg        REAL,
        sway_rms_deg       REAL,
        obliquity_mean_deg REAL,
        depth_m            REAL
    );
    CREATE INDEX holds_session ON holds (session_id, start_s);

    CREATE TABLE events (
        session_id   INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        t_s          REAL NOT NULL,
        t_detected_s REAL NOT NULL,
        kind         TEXT NOT NULL
    );
    CREATE INDEX events_session ON events (session_id, t_detected_s);

    CREATE TABLE tilt (
        session_id    INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        t_s           REAL NOT NULL,
        tilt_deg      REAL,
        obliquity_deg REAL,
        state         TEXT NOT NULL,
        PRIMARY KEY (session_id, t_s)
    ) WITHOUT ROWID;
    """,
    # 2: link marks (connection lost and restored, frames missing), in session time.
    """
    CREATE TABLE link_marks (
        session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        t_s        REAL NOT NULL,            -- session time of the last sample before the mark
        kind       TEXT NOT NULL,            -- link-lost | link-restored | gap
        detail     TEXT NOT NULL DEFAULT ''  -- the link's note, or the number of frames lost
    );
    CREATE INDEX link_marks_session ON link_marks (session_id, t_s);
    """,
    # 3: the seconds of each hold without data (gaps it was kept across); 0 for holds stored before.
    """
    ALTER TABLE holds ADD COLUMN unobserved_s REAL NOT NULL DEFAULT 0;
    """,
)
"""Migration n (1-based) brings a database from ``user_version`` n-1 to n. Append; never edit a released one."""

SCHEMA_VERSION = len(MIGRATIONS)


def migrate(conn: sqlite3.Connection, migrations: tuple[str, ...] = MIGRATIONS) -> int:
    """Apply the migrations a database lacks, each in its own transaction; returns the resulting version.

    A database newer than this imuhold raises ValueError rather than being touched.
    """
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > len(migrations):
        raise ValueError(f"the database has schema version {version}, newer than this imuhold ({len(migrations)})")
    for number in range(version + 1, len(migrations) + 1):
        # executescript commits first; BEGIN IMMEDIATE makes the script and the version bump one transaction.
        try:
            conn.executescript(f"BEGIN IMMEDIATE;\n{migrations[number - 1]}\nPRAGMA user_version = {number};\nCOMMIT;")
        except sqlite3.Error:
            if conn.in_transaction:
                conn.rollback()
            raise
    return len(migrations)
