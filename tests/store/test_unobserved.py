"""A hold's unobserved seconds (a gap in the data it was kept across): stored, recovered, migrated, and shown by
``show``, ``history`` and ``export``."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import sqlite3

import pytest
from click.testing import CliRunner

from imuhold.cli import main
from imuhold.model import HoldMetrics, Squat
from imuhold.recovery import recover
from imuhold.store import SessionBatch, SessionStore
from imuhold.store.schema import MIGRATIONS, SCHEMA_VERSION, migrate

from .helpers import record, sample

GAP = (30.0, 33.0)
"""Seconds (from the first packet) cut out of the long-hold sample, whose one hold runs 7.3–75.1 s."""


def gapped_long_hold():
    recording = sample("long-hold")
    t0 = recording.packets[0].t_host_ns
    kept = [p for p in recording.packets if not GAP[0] <= (p.t_host_ns - t0) / 1e9 < GAP[1]]
    return dataclasses.replace(recording, packets=kept)


@pytest.fixture(scope="module")
def gapped_dir(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("gapped")
    record(data_dir, gapped_long_hold())
    return data_dir


def test_a_recorded_hold_keeps_its_unobserved_seconds(gapped_dir):
    with SessionStore.open(gapped_dir) as store:
        (info,) = store.sessions()
        (hold,) = store.holds(info.id)
    assert hold.start_s < GAP[0] and hold.end_s > GAP[1]  # kept whole across the gap
    assert hold.unobserved_s == pytest.approx(3.0, abs=0.03)
    assert info.unobserved_hold_s == hold.unobserved_s


def test_an_interrupted_session_recovers_its_unobserved_seconds(tmp_path):
    record(tmp_path, gapped_long_hold(), close=False)
    with SessionStore.open(tmp_path) as store:
        (info,) = store.unfinished()
        recover(store, tmp_path)
        (hold,) = store.holds(info.id)
    assert hold.unobserved_s == pytest.approx(3.0, abs=0.03)


def test_unobserved_seconds_read_back_as_written(tmp_path):
    holds = (HoldMetrics(8.0, 18.0, 10.0, 1.0, 1.5, -2.0, -0.4, 2.5),
             HoldMetrics(20.0, 50.0, 20.0, 1.0, 1.5, -2.0, None))  # fmt: skip
    with SessionStore.open(tmp_path) as store:
        sid = store.create_session()
        store.write(sid, SessionBatch(squats=[Squat(5.0, 55.0, -0.45, holds)]))
        assert store.squats(sid) == [Squat(5.0, 55.0, -0.45, holds)]
        assert store.session(sid).unobserved_hold_s == 2.5


def test_a_store_from_before_unobserved_seconds_opens_with_none(tmp_path):
    path = tmp_path / "imuhold.db"
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as conn:
        assert migrate(conn, MIGRATIONS[:2]) == 2
        conn.execute("INSERT INTO sessions (id, started_utc, updated_utc) VALUES (1, '2026-01-05T08:00:00.000Z',"
                     " '2026-01-05T08:01:00.000Z')")  # fmt: skip
        conn.execute("INSERT INTO squats (id, session_id, entry_s, exit_s, depth_m) VALUES (1, 1, 5.0, 40.0, -0.4)")
        conn.execute("INSERT INTO holds (session_id, squat_id, start_s, end_s, tilt_mean_deg, tilt_sd_deg,"
                     " sway_rms_deg, obliquity_mean_deg, depth_m)"
                     " VALUES (1, 1, 8.0, 30.0, 12.0, 1.0, 1.5, 0.5, -0.4)")  # fmt: skip
    with SessionStore(path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
        (hold,) = store.holds(1)
        assert (hold.start_s, hold.end_s, hold.unobserved_s) == (8.0, 30.0, 0.0)
        info = store.session(1)
        assert info.holds == 1 and info.total_hold_s == 22.0 and info.unobserved_hold_s == 0.0


def test_show_lists_the_unobserved_seconds_per_hold_and_in_all(gapped_dir):
    result = CliRunner().invoke(main, ["show", "--data-dir", str(gapped_dir)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    (heading,) = [line for line in lines if line.startswith("holds 1 ")]
    assert "s (3.0 s unobserved)" in heading
    header = next(line for line in lines if line.startswith("#  start"))
    assert header.split()[-1] == "unobserved"
    row = lines[lines.index(header) + 1]
    assert row[header.index("unobserved") :].strip() == "3.0 s"


def test_history_shows_the_unobserved_seconds_of_a_sessions_holds(gapped_dir):
    result = CliRunner().invoke(main, ["history", "--text", "--data-dir", str(gapped_dir)])
    assert result.exit_code == 0, result.output
    (row,) = [line for line in result.output.splitlines() if line.startswith("1 ")]
    assert "(3.0 s unobserved)" in row


def test_export_json_gives_each_holds_unobserved_seconds(gapped_dir, tmp_path):
    out = tmp_path / "s.json"
    result = CliRunner().invoke(main, ["export", "last", "--format", "json", "-o", str(out), "--data-dir",
                                       str(gapped_dir)])  # fmt: skip
    assert result.exit_code == 0, result.output
    (squat,) = json.loads(out.read_text())["squats"]
    assert squat["holds"][0]["unobserved_s"] == pytest.approx(3.0, abs=0.03)
