"""Open the sessions database: owner-only file, WAL journal, foreign keys, schema migrated to the current version."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from imuhold.store.errors import StoreError
from imuhold.store.schema import migrate

DB_NAME = "imuhold.db"
FILE_MODE = 0o600
BUSY_TIMEOUT_S = 5.0


def _create_private(path: Path) -> None:
    """Create the database file owner-only before SQLite does; its -wal and -shm files copy this mode."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return
    os.close(fd)


def connect(path: Path) -> sqlite3.Connection:
    """A migrated connection in autocommit mode (transactions are explicit); StoreError saying why it failed.

    WAL with ``synchronous=NORMAL``: a commit survives the process being killed (it is in the OS's hands);
    only a power cut can lose the last commits, and never corrupts the file.
    """
    try:
        _create_private(path)
    except OSError as exc:
        raise StoreError(str(path), f"cannot create the database ({exc.strerror or exc})") from exc
    conn = None
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode != "wal":
            raise sqlite3.OperationalError(f"cannot switch the journal to WAL (it is {mode})")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        migrate(conn)
    except (sqlite3.Error, ValueError) as exc:
        if conn is not None:
            conn.close()
        raise StoreError(str(path), describe(exc)) from exc
    return conn


def describe(exc: BaseException) -> str:
    """A user-facing sentence for a SQLite failure (disk full, read-only, corrupt, locked)."""
    text = str(exc)
    lowered = text.lower()
    if "disk is full" in lowered:
        return "the disk is full (database or disk is full)"
    if "readonly" in lowered or "read-only" in lowered:
        return "the database is read-only (attempt to write a readonly database)"
    if "malformed" in lowered or "not a database" in lowered:
        return f"the database is damaged ({text}); move it aside and imuhold starts a new one"
    if "locked" in lowered:
        return f"the database is busy ({text})"
    return text
