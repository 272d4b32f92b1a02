"""The sessions store: what is written reads back, summaries are right, ``last`` resolves, deletes cascade."""

from __future__ import annotations

import math

import pytest

from imuhold.model import Event, EventKind, HoldMetrics, Squat
from imuhold.store import SessionBatch, SessionNotFound, SessionStore, StoreError, TiltPoint


def hold(start_s: float, end_s: float, tilt_deg: float) -> HoldMetrics:
    return HoldMetrics(start_s, end_s, tilt_deg, 1.0, 1.5, -2.0, -0.4)


@pytest.fixture
def store(tmp_path):
    with SessionStore.open(tmp_path) as s:
        yield s


def test_a_batch_reads_back_with_its_summary(store):
    sid = store.create_session(sensor="IH-1", profile="imuhold-v1", rate_hz=100.0, counterweight_kg=8.0,
                               target_hold_s=20.0, started_utc="2026-01-05T08:00:00.000Z")  # fmt: skip
    squat = Squat(5.0, 40.0, -0.45, (hold(8.0, 18.0, 10.0), hold(20.0, 50.0, 20.0)))
    events = [Event(EventKind.CALIBRATED, 1.0, 1.0), Event(EventKind.HOLD_START, 8.0, 10.0)]
    tilt = [TiltPoint(0.0, None, None, "calibrating"), TiltPoint(0.1, 3.5, -1.25, "standing")]
    store.write(sid, SessionBatch(events=events, squats=[squat], tilt=tilt, duration_s=60.0, samples=6000,
                                  calibration={"t_s": 1.0, "up0": [0, 0, 1], "right": None}))  # fmt: skip
    info = store.session(sid)
    assert (info.sensor, info.counterweight_kg, info.target_hold_s, info.samples) == ("IH-1", 8.0, 20.0, 6000)
    assert info.duration_s == 60.0 and info.calibration == {"t_s": 1.0, "up0": [0, 0, 1], "right": None}
    assert info.holds == 2 and info.total_hold_s == 40.0 and info.longest_hold_s == 30.0
    assert info.tilt_mean_deg == pytest.approx((10 * 10.0 + 30 * 20.0) / 40)  # weighted by hold duration
    assert info.recording_open and info.end_reason is None
    assert store.squats(sid) == [squat]
    assert store.events(sid) == events
    assert store.tilt(sid) == tilt


def test_nan_metrics_are_stored_as_null_and_read_as_nan(store):
    sid = store.create_session()
    odd = HoldMetrics(1.0, 4.0, math.nan, math.nan, math.nan, math.nan, None)
    store.write(sid, SessionBatch(squats=[Squat(0.0, 5.0, None, (odd,))]))
    (back,) = store.holds(sid)
    assert math.isnan(back.tilt_mean_deg) and back.depth_m is None and back.duration_s == 3.0
    assert store.session(sid).tilt_mean_deg is None


def test_sessions_are_listed_newest_first_and_last_resolves(store):
    ids = [store.create_session(started_utc=f"2026-01-0{d}T08:00:00.000Z") for d in (3, 1, 2)]
    assert [s.id for s in store.sessions()] == [ids[0], ids[2], ids[1]]
    assert store.resolve("last").id == ids[0]
    assert store.resolve(str(ids[1])).id == ids[1]
    assert store.resolve(ids[2]).id == ids[2]
    with pytest.raises(SessionNotFound, match="no session 99"):
        store.resolve("99")
    with pytest.raises(SessionNotFound, match="neither a session id nor 'last'"):
        store.resolve("yesterday")


def test_last_with_no_sessions_says_so(store):
    with pytest.raises(SessionNotFound, match="no sessions yet"):
        store.resolve("last")


def test_ending_a_session_and_progress_only_moves_forward(store):
    sid = store.create_session()
    store.write(sid, SessionBatch(duration_s=30.0, samples=3000))
    store.write(sid, SessionBatch(duration_s=20.0, samples=2000))  # a late, older batch never shrinks it
    store.end_session(sid, "completed", "2026-01-01T08:01:00.000Z")
    info = store.session(sid)
    assert (info.duration_s, info.samples, info.end_reason) == (30.0, 3000, "completed")
    assert info.ended_utc == "2026-01-01T08:01:00.000Z" and store.unfinished() == []


def test_deleting_a_session_deletes_its_rows(store):
    sid = store.create_session()
    store.write(sid, SessionBatch(squats=[Squat(0, 9, None, (hold(1, 5, 3),))], tilt=[TiltPoint(0, 1, 1, "x")]))
    store.delete_session(sid)
    for table in ("squats", "holds", "events", "tilt"):
        assert store.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0
    assert store.integrity_check() == "ok"


def test_writing_to_a_missing_session_changes_nothing(store):
    with pytest.raises((SessionNotFound, StoreError)):  # the foreign key, or the missing row
        store.write(12, SessionBatch(tilt=[TiltPoint(0, 1, 1, "x")]))
    assert store.conn.execute("SELECT COUNT(*) FROM tilt").fetchone()[0] == 0


def test_hold_history_lists_recent_sessions_oldest_first(store):
    for day, durations in ((1, [5.0, 7.0]), (2, []), (3, [12.0])):
        sid = store.create_session(started_utc=f"2026-01-0{day}T08:00:00.000Z", target_hold_s=10.0)
        squats = [Squat(0, 99, None, tuple(hold(10.0 * i, 10.0 * i + d, 0) for i, d in enumerate(durations)))]
        store.write(sid, SessionBatch(squats=squats if durations else []))
    history = store.hold_history(2)
    assert [(info.started_utc[:10], holds) for info, holds in history] == [("2026-01-02", []), ("2026-01-03", [12.0])]
