"""The session recorder: stores what the pipeline found, commits every second, survives a failing database."""

from __future__ import annotations

import errno
import stat
import sys
import time

import pytest

from imuhold.pipeline import Pipeline
from imuhold.protocol import get_profile
from imuhold.recording import read_recording
from imuhold.recovery import recover
from imuhold.store import SessionRecorder, SessionStore, StoreError
from imuhold.store.lock import LOCKS_AVAILABLE, is_locked

from .helpers import FakeClock, record, sample, setup_for


def streamed_squats(name: str = "beginner-short-holds"):
    """The squats the live loop finds in the whole recording (streaming, as the recorder and recovery run)."""
    recording = sample(name)
    pipeline = Pipeline(get_profile(recording.header.profile), recording.header.rate_hz)
    for packet in recording.packets:
        pipeline.feed(packet)
    pipeline.finish()
    return pipeline.detector.squats


def test_the_stored_session_matches_the_pipeline_and_the_file_holds_every_packet(tmp_path):
    recording = sample()
    _recorder, pipeline = record(tmp_path, recording)
    with SessionStore.open(tmp_path) as store:
        info = store.resolve("last")
        assert info.end_reason == "completed" and info.ended_utc is not None
        assert store.squats(info.id) == pipeline.detector.squats and len(pipeline.detector.squats) == 5
        assert store.events(info.id) == pipeline.events
        points = store.tilt(info.id)
        assert len(points) == pytest.approx(info.duration_s * 10, abs=3)  # 10 Hz
        assert info.calibration is not None and info.calibration["right"] is not None
        assert info.samples == pipeline.samples and info.profile == recording.header.profile
    written = read_recording(tmp_path / info.recording)
    assert written.packets == recording.packets
    assert written.header.extra["session"]["started_utc"] == info.started_utc
    if LOCKS_AVAILABLE:
        assert is_locked(tmp_path / info.recording) is False  # released on close


def test_rows_are_committed_every_second_of_packet_time(tmp_path):
    recording = sample()
    recorder, pipeline = record(tmp_path, recording, stop_after=3000, close=False, clock=FakeClock())
    try:
        with SessionStore.open(tmp_path) as reader:  # a second connection sees only committed rows
            last = reader.tilt(recorder.session_id)[-1]
            assert pipeline.live.t_s - last.t_s <= 1.0 + 0.1
            assert reader.session(recorder.session_id).holds >= 1
    finally:
        recorder.close()


def test_a_silent_link_is_committed_by_the_wall_clock(tmp_path):
    recording = sample()
    clock = FakeClock()
    recorder, pipeline = record(tmp_path, recording, stop_after=25, close=False, clock=clock)  # 0.5 s at 50 Hz
    try:
        with SessionStore.open(tmp_path) as reader:
            assert reader.tilt(recorder.session_id) == []
            clock.now = 1.0
            recorder.on_events([], pipeline)  # any call after a second of wall time commits
            assert len(reader.tilt(recorder.session_id)) == 5
    finally:
        recorder.close()


def test_a_failing_database_is_reported_once_and_the_file_carries_the_session(tmp_path):
    recording = sample()
    problems = []
    recorder, pipeline = record(tmp_path, recording, stop_after=1000, close=False, on_problem=problems.append)
    recorder.store.conn.execute("PRAGMA query_only = 1")  # every write now fails as read-only
    for packet in recording.packets[1000:]:
        recorder.on_packet(packet)
        recorder.on_events(pipeline.feed(packet), pipeline)
    recorder.on_events(pipeline.finish(), pipeline)
    recorder.close()
    (problem,) = problems
    assert isinstance(problem, StoreError) and "read-only" in str(problem)
    assert str(recorder.recording_path) in str(problem) and "recovered" in str(problem)
    assert recorder.database_problem is problem and not recorder.saved and recorder.stopped is None
    assert read_recording(recorder.recording_path).packets == recording.packets  # nothing lost in the file
    with SessionStore.open(tmp_path) as store:
        assert store.session(recorder.session_id).holds < 5  # the database stopped early
        assert len(recover(store, tmp_path)) == 1
        info = store.session(recorder.session_id)
        assert info.end_reason == "interrupted" and store.integrity_check() == "ok"
        assert store.squats(info.id) == streamed_squats()  # rebuilt from the recording


def test_a_database_that_cannot_be_opened_leaves_a_recording_that_is_adopted_later(tmp_path):
    (tmp_path / "imuhold.db").mkdir()  # not a file: SQLite cannot open it
    problems = []
    recorder, _ = record(tmp_path, sample(), on_problem=problems.append)
    assert recorder.session_id is None and len(problems) == 1 and "recovered" in str(problems[0])
    (tmp_path / "imuhold.db").rmdir()
    with SessionStore.open(tmp_path) as store:
        (message,) = recover(store, tmp_path)
        info = store.resolve("last")
        assert "recovered from" in message and info.end_reason == "interrupted" and info.holds == 5
        assert recover(store, tmp_path) == []  # adopted once


def test_no_file_and_no_database_is_an_error(tmp_path):
    blocker = tmp_path / "data"
    blocker.write_text("a file where the data dir should be")
    with pytest.raises(StoreError):
        SessionRecorder.start(blocker, setup_for(sample()))


def test_a_failing_recording_file_is_reported_and_the_database_goes_on(tmp_path, monkeypatch):
    recording = sample()
    problems = []
    recorder, pipeline = record(tmp_path, recording, stop_after=10, close=False, on_problem=problems.append)

    def failing(packet):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(recorder.writer, "write", failing)
    for packet in recording.packets[10:]:
        recorder.on_packet(packet)
        recorder.on_events(pipeline.feed(packet), pipeline)
    recorder.on_events(pipeline.finish(), pipeline)
    recorder.close()
    assert len(problems) == 1 and "Input/output error" in str(problems[0]) and recorder.writer is None
    assert recorder.recording_problem is problems[0] and not recorder.saved and recorder.stopped is None
    with SessionStore.open(tmp_path) as store:
        info = store.resolve("last")
        assert info.end_reason == "completed" and info.holds == 5


@pytest.mark.skipif(sys.platform == "win32", reason="Windows ignores file modes")
def test_the_recorder_creates_owner_only_folders_and_files(tmp_path):
    data_dir = tmp_path / "new" / "data"
    recorder, _ = record(data_dir, sample(), stop_after=10)
    for path in (data_dir, data_dir / "recordings", recorder.recording_path, data_dir / "imuhold.db"):
        assert stat.S_IMODE(path.stat().st_mode) in (0o700, 0o600), path


def test_a_silent_link_still_beats(tmp_path):
    clock = FakeClock()
    recorder, _ = record(tmp_path, sample(), stop_after=5, close=False, clock=clock)
    try:
        recorder.tick()  # commits the first rows
        with SessionStore.open(tmp_path) as reader:
            before = reader.session(recorder.session_id).updated_utc
            time.sleep(0.002)
            recorder.tick()  # nothing new, and the last write was just now: no write
            assert reader.session(recorder.session_id).updated_utc == before
            clock.now = 5.0
            time.sleep(0.002)
            recorder.tick()
            assert reader.session(recorder.session_id).updated_utc > before
    finally:
        recorder.close()


def test_counterweight_changes_are_logged_and_marked(tmp_path):
    recording = sample()
    recorder, _pipeline = record(tmp_path, recording, stop_after=100, close=False)
    recorder.set_counterweight(8.0, recording.packets[99].t_host_ns)
    recorder.tick()
    recorder.close()
    with SessionStore.open(tmp_path) as store:
        assert store.resolve("last").counterweight_kg == 8.0
    (mark,) = read_recording(recorder.recording_path).marks
    assert mark.kind == "counterweight" and mark.data == {"kg": 8.0}
