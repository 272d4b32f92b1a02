"""Open the sessions database: owner-only file, WAL journal, foreign keys, schema migrated to the current version."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from imuhold.store.errors import StoreError
from imuhold.store.schema import SCHEMA_VERSION, migrate

DB_NAME = "imuhold.db"
RECORDINGS_DIR = "recordings"
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
        raise StoreError(str(path), f"cannot create the database ({exc.strerror or exc})", StoreError.OPENING) from exc
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
        raise StoreError(str(path), describe(exc, path), StoreError.OPENING) from exc
    return conn


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that only reads, for a database on a read-only disk or in a folder imuhold may not write.

    SQLite's read-only mode still needs the ``-shm`` file beside the database; where that cannot be created the
    file is opened as immutable (no locks; it must not change while it is read, and a read-only disk ensures that).
    """
    if not path.is_file():
        raise StoreError(str(path), "there is no sessions database here yet", StoreError.OPENING)
    last: sqlite3.Error | None = None
    for flags in ("mode=ro", "immutable=1"):
        conn = None
        try:
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?{flags}", uri=True, isolation_level=None)
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version != SCHEMA_VERSION:
                conn.close()
                raise StoreError(
                    str(path),
                    f"the database has schema version {version} and this imuhold reads {SCHEMA_VERSION}; it can only"
                    " be converted where it may be written",
                    StoreError.OPENING,
                )
            return conn
        except sqlite3.Error as exc:
            if conn is not None:
                conn.close()
            last = exc
    assert last is not None
    raise StoreError(str(path), describe(last, path), StoreError.OPENING) from last


def describe(exc: BaseException, path: Path | None = None) -> str:
    """A user-facing sentence for a SQLite failure (disk full, read-only, corrupt, locked)."""
    text = str(exc)
    lowered = text.lower()
    if "disk is full" in lowered:
        return "the disk is full (database or disk is full)"
    if "readonly" in lowered or "read-only" in lowered:
        return "the database is read-only (attempt to write a readonly database)"
    if any(m in lowered for m in ("malformed", "not a database", "no such table", "no such column")):
        return damaged(text, path)
    if "locked" in lowered:
        return f"the database is busy ({text})"
    return text


def damaged(detail: str, path: Path | None = None) -> str:
    """The sentence for a damaged database, with the way out: move it aside, and the recordings rebuild it."""
    name = path.name if path is not None else DB_NAME
    return (
        f"the database is damaged ({detail}); move it aside (e.g. rename {name} to {name}.damaged) and imuhold"
        f" starts a new one, rebuilding every session from its recording in {RECORDINGS_DIR}/"
    )

