"""Recovery: a session still being recorded is left alone; a dead one is finalised from its recording, with the rows
the recorder stored."""

from __future__ import annotations

import dataclasses

import pytest

from imuhold.formats import load
from imuhold.formats.packets import write_recording
from imuhold.recording import RecordingHeader, RecordingWriter, read_labels, read_recording
from imuhold.recovery import recover, replay_recording
from imuhold.store import RECORDINGS_DIR, SessionStore
from imuhold.store.lock import LOCKS_AVAILABLE

from .helpers import SAMPLES, record, sample


def die(recorder) -> None:
    """What a kill leaves: committed rows, a flushed file, no end, no lock (the OS drops it with the process)."""
    recorder.tick()
    recorder.store.close()
    recorder.store = None
    recorder._lock.release()
    recorder.writer.close()


@pytest.mark.skipif(not LOCKS_AVAILABLE, reason="no advisory file locks on this platform")
def test_a_live_session_is_left_alone_and_a_dead_one_is_finalised(tmp_path):
    recorder, _ = record(tmp_path, sample(), stop_after=1200, close=False)
    recorder.tick()
    with SessionStore.open(tmp_path) as store:
        assert recover(store, tmp_path) == []  # locked: still recording
        assert store.session(recorder.session_id).recording_open
        die(recorder)
        (message,) = recover(store, tmp_path)
        info = store.session(recorder.session_id)
        assert "interrupted" in message and "recovered from its recording" in message
        assert info.end_reason == "interrupted" and info.ended_utc is not None
        clock = read_labels(SAMPLES / "beginner-short-holds.imuhold.gz").extra["sensor_errors"]["rate_error"]
        assert info.duration_s == pytest.approx(1199 / 50 / (1.0 + clock), abs=0.05)  # the chip's clock is off
        assert info.holds >= 1
        assert recover(store, tmp_path) == []  # once finalised, never again


def test_a_dead_session_without_its_recording_is_still_marked_interrupted(tmp_path):
    recorder, _ = record(tmp_path, sample(), stop_after=600, close=False)
    die(recorder)
    recorder.recording_path.unlink()
    with SessionStore.open(tmp_path) as store:
        assert recover(store, tmp_path) == []  # no file to ask for a lock: a fresh heartbeat means alive
        store.conn.execute("UPDATE sessions SET updated_utc = '2026-01-01T00:00:00.000Z'")
        (message,) = recover(store, tmp_path)
        info = store.session(recorder.session_id)
        assert "could not be read" in message and info.end_reason == "interrupted"
        assert info.duration_s > 10.0  # what the database had


def test_recordings_that_are_not_sessions_are_left_alone(tmp_path):
    folder = tmp_path / RECORDINGS_DIR
    folder.mkdir(parents=True)
    header = RecordingHeader(
        sample().header.profile, sample().header.rate_hz, characteristics=sample().header.characteristics
    )
    with RecordingWriter(folder / "mine.imuhold", header) as writer:
        for packet in sample().packets[:100]:
            writer.write(packet)
    (folder / "notes.txt").write_text("not a recording")
    with SessionStore.open(tmp_path) as store:
        assert recover(store, tmp_path) == [] and store.sessions() == []


def stored(store: SessionStore, session_id: int) -> str:
    """Everything stored for a session but its end and heartbeat, as text (NaN compares equal as text)."""
    info = dataclasses.replace(store.session(session_id), ended_utc=None, end_reason=None, updated_utc="")
    rows = (store.squats(session_id), store.events(session_id), store.tilt(session_id), store.link_marks(session_id))
    return repr((info, *rows))


@pytest.mark.parametrize(("trial", "squats"), [("D15/D15_SA01_R01.txt.gz", 1), ("D01/D01_SA02_R01.txt.gz", 0)])
def test_recovery_stores_what_the_recorder_stored_on_a_real_recording(tmp_path, datasets_dir, trial, squats):
    source = tmp_path / "trial.imuhold.gz"
    write_recording(load(datasets_dir / "sisfall" / trial), source)
    recorder, _ = record(tmp_path / "data", read_recording(source))  # the session as live stores it, completed
    data_dir, session_id = tmp_path / "data", recorder.session_id
    with SessionStore.open(data_dir) as store:
        recorded = stored(store, session_id)
        assert len(store.squats(session_id)) == squats and len(store.tilt(session_id)) >= 120  # 12 s at 10 Hz
        store.conn.execute("UPDATE sessions SET ended_utc = NULL, end_reason = NULL,"
                           " updated_utc = '2026-01-01T00:00:00.000Z'")  # fmt: skip
        (message,) = recover(store, data_dir)  # as if it had been killed after its last commit
        assert "recovered from its recording" in message
        assert stored(store, session_id) == recorded
        # written from many spooled batches (25 tilt points each) in one transaction: still the same rows
        with replay_recording(data_dir / store.session(session_id).recording, spool_points=25) as replayed:
            assert replayed.rows.batches > 4
            store.replace_content(session_id, replayed.rows)
        assert stored(store, session_id) == recorded
