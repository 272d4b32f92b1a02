"""The schema migrates by ``PRAGMA user_version``, one transaction per step; the database is WAL and owner-only."""

from __future__ import annotations

import contextlib
import sqlite3
import stat
import sys

import pytest

from imuhold.store import SessionStore, StoreError
from imuhold.store.schema import MIGRATIONS, SCHEMA_VERSION, migrate


@pytest.fixture
def conn(tmp_path):
    with contextlib.closing(sqlite3.connect(tmp_path / "t.db", isolation_level=None)) as c:
        yield c


def version(conn) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def tables(conn) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_a_new_database_gets_every_migration_once(conn):
    assert migrate(conn) == SCHEMA_VERSION == len(MIGRATIONS)
    assert version(conn) == SCHEMA_VERSION
    assert {"sessions", "squats", "holds", "events", "tilt"} <= tables(conn)
    assert migrate(conn) == SCHEMA_VERSION  # a second open changes nothing


def test_migrations_run_in_order_from_the_stored_version(conn):
    steps = ("CREATE TABLE a (x);", "ALTER TABLE a ADD COLUMN y; CREATE TABLE b (z);")
    migrate(conn, steps[:1])
    assert version(conn) == 1 and tables(conn) == {"a"}
    migrate(conn, steps)
    assert version(conn) == 2 and tables(conn) == {"a", "b"}
    assert [r[1] for r in conn.execute("PRAGMA table_info(a)")] == ["x", "y"]


def test_a_failing_migration_leaves_the_database_as_it_was(conn):
    migrate(conn, ("CREATE TABLE a (x);",))
    with pytest.raises(sqlite3.OperationalError):
        migrate(conn, ("CREATE TABLE a (x);", "CREATE TABLE b (z); CREATE TABLE a (again);"))
    assert version(conn) == 1 and tables(conn) == {"a"}
    assert not conn.in_transaction


def test_a_database_from_a_newer_imuhold_is_refused(tmp_path):
    path = tmp_path / "imuhold.db"
    with contextlib.closing(sqlite3.connect(path)) as c:
        c.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="newer than this imuhold"):
        SessionStore(path)


def test_a_file_that_is_not_a_database_says_so(tmp_path):
    path = tmp_path / "imuhold.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match=r"damaged|not a database"):
        SessionStore(path)


def test_the_database_is_wal_with_foreign_keys(tmp_path):
    with SessionStore.open(tmp_path) as store:
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


@pytest.mark.skipif(sys.platform == "win32", reason="Windows ignores file modes")
def test_database_files_are_readable_only_by_their_owner(tmp_path):
    data = tmp_path / "data"
    with SessionStore.open(data) as store:
        store.create_session(sensor="s")  # writes: the -wal and -shm files exist now
        files = sorted(p.name for p in data.iterdir())
        assert files == ["imuhold.db", "imuhold.db-shm", "imuhold.db-wal"]
        for path in data.iterdir():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
