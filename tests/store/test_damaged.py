"""A damaged database is a StoreError with the way out (never a traceback), whatever the damage; a database that
may not be written can still be read."""

from __future__ import annotations

import random
import sqlite3
import stat

import pytest

from imuhold.recovery import recover
from imuhold.store import DB_NAME, SessionStore, StoreError
from tests.disks import read_only

from .helpers import record, sample

WAY_OUT = "move it aside"


@pytest.fixture
def data_dir(tmp_path):
    folder = tmp_path / "data"
    for name in ("beginner-short-holds", "long-hold"):
        record(folder, sample(name))
    return folder


def _read_everything(store: SessionStore) -> None:
    for info in store.sessions():
        store.squats(info.id), store.events(info.id), store.tilt(info.id), store.session(info.id)
    store.hold_history(10), store.unfinished(), store.recordings()


@pytest.mark.parametrize(
    "damage",
    [
        "UPDATE sessions SET started_utc = 'yesterday'",
        "UPDATE sessions SET duration_s = 'long'",
        "UPDATE sessions SET calibration = '{not json'",
        "UPDATE sessions SET calibration = '[1, 2]'",
        "UPDATE sessions SET sensor = x'00ff'",
        "UPDATE holds SET end_s = 'x'",
        "UPDATE events SET kind = 'jump'",
        "UPDATE tilt SET state = x'00' WHERE t_s = (SELECT MIN(t_s) FROM tilt)",
        "UPDATE squats SET depth_m = 'deep'",
    ],
)
def test_garbled_rows_are_a_store_error_with_the_way_out(data_dir, damage):
    with sqlite3.connect(data_dir / DB_NAME) as conn:
        conn.execute("PRAGMA ignore_check_constraints = ON")
        conn.execute(damage)
    with SessionStore.open(data_dir) as store, pytest.raises(StoreError, match=WAY_OUT) as caught:
        _read_everything(store)
    assert caught.value.title == "Cannot read sessions"
    assert str(data_dir / DB_NAME) in str(caught.value)


@pytest.mark.parametrize("seed", range(12))
def test_damaged_pages_give_a_store_error_or_good_rows_never_anything_else(data_dir, seed):
    path = data_dir / DB_NAME
    rng = random.Random(seed)
    data = bytearray(path.read_bytes())
    for page in range(1, len(data) // 4096):
        if rng.random() < 0.4:
            at = page * 4096 + rng.randrange(0, 3500)
            data[at : at + 500] = rng.randbytes(500)
    path.write_bytes(bytes(data))
    try:
        with SessionStore.open(data_dir) as store:
            _read_everything(store)
    except StoreError as exc:
        assert WAY_OUT in str(exc) or "database" in str(exc), exc


def test_moving_a_damaged_database_aside_rebuilds_the_sessions_from_their_recordings(data_dir):
    with SessionStore.open(data_dir) as store:
        before = [(s.duration_s, s.holds, s.total_hold_s) for s in store.sessions()]
    path = data_dir / DB_NAME
    path.write_bytes(b"\0" * 100 + path.read_bytes()[100:])  # the header is gone
    with pytest.raises(StoreError, match=WAY_OUT):
        SessionStore.open(data_dir)
    path.rename(path.with_name(DB_NAME + ".damaged"))  # the way out, as the message says
    with SessionStore.open(data_dir) as store:
        assert len(recover(store, data_dir)) == 2
        after = [(s.duration_s, s.holds, s.total_hold_s) for s in store.sessions()]
    for got, want in zip(sorted(after), sorted(before), strict=True):
        assert got == pytest.approx(want, abs=0.05)


def test_a_read_only_data_dir_can_still_be_read(data_dir):
    with SessionStore.open(data_dir) as store:
        expected = [(s.id, s.duration_s, s.total_hold_s) for s in store.sessions()]
        tilt = store.tilt(expected[0][0])
    with read_only(data_dir):
        with pytest.raises(StoreError):
            SessionStore.open(data_dir)
        with SessionStore.open_for_reading(data_dir) as store:
            assert store.read_only
            assert [(s.id, s.duration_s, s.total_hold_s) for s in store.sessions()] == expected
            assert store.tilt(expected[0][0]) == tilt
            with pytest.raises(StoreError, match="read-only"):
                store.end_session(expected[0][0], "stopped")


def test_a_writable_data_dir_opens_for_reading_as_usual(data_dir):
    with SessionStore.open_for_reading(data_dir) as store:
        assert not store.read_only and len(store.sessions()) == 2
    assert stat.S_IMODE((data_dir / DB_NAME).stat().st_mode) == 0o600


def test_a_hand_edited_recording_among_the_sessions_cannot_garble_the_database(data_dir):
    import gzip
    import json

    source = sorted((data_dir / "recordings").glob("*.imuhold.gz"))[0]
    lines = gzip.decompress(source.read_bytes()).decode().split("\n")
    header = json.loads(lines[0])
    for name, session in (("odd-values", {"target_hold_s": "x", "counterweight_kg": True, "started_utc": None}),
                          ("odd-start", {"started_utc": "yesterday"})):  # fmt: skip
        header["session"] = session
        body = "\n".join([json.dumps(header), *lines[1:]])
        (data_dir / "recordings" / f"{name}.imuhold.gz").write_bytes(gzip.compress(body.encode()))
    with SessionStore.open(data_dir) as store:
        messages = recover(store, data_dir)
        assert len(messages) == 1 and "odd-values" in messages[0]  # the other one is left alone
        adopted = store.resolve("last")
        assert adopted.target_hold_s is None and adopted.counterweight_kg is None
        _read_everything(store)  # nothing garbled
