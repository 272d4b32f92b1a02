"""The recorder on a disk that fills up (a real tmpfs): recording stops at once, the session ends as ``disk_full``
with everything recorded until then in both the database and the recording file, and nothing is left half-done."""

from __future__ import annotations

import pytest

from imuhold.pipeline import Pipeline
from imuhold.protocol import get_profile
from imuhold.recording import read_recording
from imuhold.recovery import recover
from imuhold.sim.source import simulated_source
from imuhold.store import DiskFull, SessionRecorder, SessionSetup, SessionStore
from tests.disks import fill, small_disk


def _run_until_full(data_dir, seconds: float):
    """The demo's loop, recording a simulated routine until the recorder stops it; (recorder, packets fed)."""
    source = simulated_source(1, seconds)
    problems = []
    pipeline = Pipeline(get_profile(source.profile), source.rate_hz)
    recorder = SessionRecorder.start(data_dir, SessionSetup(source.profile, source.rate_hz), on_problem=problems.append)
    fed = 0
    try:
        for packet in source.packets:
            recorder.on_packet(packet)
            recorder.on_events(pipeline.feed(packet), pipeline)
            fed += 1
    except DiskFull as exc:
        assert exc is recorder.stopped
    recorder.on_events(pipeline.finish(), pipeline)
    recorder.close("completed")
    return recorder, source.packets[:fed], problems


def test_a_full_disk_stops_the_session_and_keeps_everything_recorded_until_then(tmp_path):
    with small_disk(tmp_path / "disk", 3 << 20) as disk:
        recorder, fed, problems = _run_until_full(disk / "data", 1800.0)
        assert recorder.stopped is not None, "the disk never filled"
        assert problems == [recorder.stopped]  # reported once, as it happened
        assert "the disk is full: recording stopped at" in str(recorder.stopped) and "everything up to then" in str(
            recorder.stopped
        )
        recorded_s = (fed[-1].t_host_ns - fed[0].t_host_ns) / 1e9
        recording = read_recording(recorder.recording_path)
        assert recording.warnings == []  # ended properly
        assert recording.packets == fed  # every packet fed, and nothing else
        with SessionStore.open(disk / "data") as store:
            info = store.session(recorder.session_id)
            assert info.end_reason == "disk_full" and store.integrity_check() == "ok"
            assert recover(store, disk / "data") == []  # nothing left for recovery: it ended cleanly
        assert info.duration_s == pytest.approx(recorder.kept_s) and recorded_s - info.duration_s < 1.0
        assert not list((disk / "data" / "recordings").glob("*.reserve"))  # the reserve is given back


def test_no_room_at_the_start_is_a_disk_full_error_and_leaves_nothing(tmp_path):
    with small_disk(tmp_path / "disk", 2 << 20) as disk:
        (disk / "data" / "recordings").mkdir(parents=True)
        fill(disk, leave_bytes=64 * 1024)
        with pytest.raises(DiskFull, match="free some space"):
            SessionRecorder.start(disk / "data", SessionSetup("imuhold-v1", 100.0))
        assert list((disk / "data" / "recordings").iterdir()) == []


def test_recovery_gives_back_the_reserve_of_a_killed_session(tmp_path):
    recorder = SessionRecorder.start(tmp_path, SessionSetup("imuhold-v1", 100.0))
    assert recorder.reserve is not None and recorder.reserve.path.stat().st_size >= 1 << 20
    with SessionStore.open(tmp_path) as store:
        recover(store, tmp_path)
        assert recorder.reserve.path.exists()  # its session is alive: the reserve stays
        recorder._lock.release()  # as if the process had been killed
        recover(store, tmp_path)
        assert not recorder.reserve.path.exists()
    recorder.close()
