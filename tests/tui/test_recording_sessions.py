"""The training screen stores its session: raw recording, squats, holds and counterweight, ended as completed."""

from __future__ import annotations

from pathlib import Path

from imuhold.loop import PacketLoop
from imuhold.pipeline import Pipeline
from imuhold.protocol import get_profile
from imuhold.recording import read_recording
from imuhold.recovery import replay_recording
from imuhold.source import LinkStatus
from imuhold.store import SessionRecorder, SessionSetup, SessionStore
from imuhold.tui import make_app
from imuhold.tui.session import TrainingSession

from .helpers import SAMPLES, replay, settle


async def test_a_session_on_the_training_screen_is_stored(routine, tmp_path):
    header = routine.header
    recorder = SessionRecorder.start(tmp_path, SessionSetup(header.profile, header.rate_hz, "test", None, 25.0))
    app = make_app(replay(routine), stall_after_s=None, recorder=recorder)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: app.session.ended)
        app.session.set_counterweight(8.0)
        expected = [h for s in app.session.pipeline.squats for h in s.holds]
        assert app.session.frame().target_hold_s == 25.0  # the target the session was started with
    assert recorder.closed
    with SessionStore.open(tmp_path) as store:
        [info] = store.sessions()
        assert info.end_reason == "completed"
        assert info.counterweight_kg == 8.0
        assert store.holds(info.id) == expected
        assert len(store.holds(info.id)) == 5
    assert list(tmp_path.rglob("*.imuhold.gz"))  # the raw notifications are kept too


def test_link_changes_on_the_training_screen_are_stored_as_marks(routine, tmp_path):
    header = routine.header
    recorder = SessionRecorder.start(tmp_path, SessionSetup(header.profile, header.rate_hz, "test"))
    session = TrainingSession(Pipeline(get_profile(header.profile), header.rate_hz), recorder=recorder)
    before, after = routine.packets[:1000], routine.packets[1300:2000]  # 300 packets never came
    session.on_link(LinkStatus(False, "sensor", note="searching"))  # before the first connection: no mark
    session.on_link(LinkStatus(True, "sensor"))
    for packet in before:
        session.feed(packet)
    lost_at_s = session.pipeline.live.t_s
    session.on_link(LinkStatus(False, "sensor", note="connection lost; reconnecting"))
    session.on_link(LinkStatus(True, "sensor"))
    session.feed(after[0])
    restored_at_s = session.pipeline.live.t_s
    for packet in after[1:]:
        session.feed(packet)
    session.finish()
    session.close()
    with SessionStore.open(tmp_path) as store:
        marks = store.link_marks(store.resolve("last").id)
    assert [(m.kind, m.t_s) for m in marks if m.kind != "gap"] == [
        ("link-lost", round(lost_at_s, 3)),
        ("link-restored", round(restored_at_s, 3)),
    ]
    assert restored_at_s - lost_at_s > 2.5 and marks[0].detail == "connection lost; reconnecting"


def _stored_marks(data_dir: Path) -> tuple[list, str]:
    with SessionStore.open(data_dir) as store:
        info = store.resolve("last")
        return store.link_marks(info.id), info.recording


def test_the_training_screen_stores_the_decoders_gaps_as_the_headless_loop_does(tmp_path):
    recording = read_recording(SAMPLES / "lossy.imuhold.gz")  # a link that loses frames, never the connection
    header = recording.header

    def start(data_dir: Path) -> SessionRecorder:
        return SessionRecorder.start(data_dir, SessionSetup(header.profile, header.rate_hz, "sample"))

    def pipeline() -> Pipeline:
        return Pipeline(get_profile(header.profile), header.rate_hz)

    session = TrainingSession(pipeline(), recorder=start(tmp_path / "tui"))
    session.on_link(LinkStatus(True, "sample"))
    for packet in recording.packets:
        session.feed(packet)
    session.finish()
    session.close()
    headless = PacketLoop(pipeline(), start(tmp_path / "cli"), mark_gaps=True)
    headless.link(LinkStatus(True, "sample"))
    for packet in recording.packets:
        headless.feed(packet)
    headless.close("completed")

    marks, file = _stored_marks(tmp_path / "tui")
    assert marks and {m.kind for m in marks} == {"gap"} and len(marks) == session.loop.gaps
    assert marks == _stored_marks(tmp_path / "cli")[0]
    with replay_recording(tmp_path / "tui" / file) as replayed:
        assert replayed.batch.marks == marks  # in its recording file too


async def test_a_disk_that_fills_ends_the_session_on_the_screen_and_keeps_what_was_recorded(tmp_path):
    import math

    from imuhold.sim.source import simulated_source
    from tests.disks import small_disk

    source = simulated_source(1, 1800.0, math.inf)
    with small_disk(tmp_path / "disk", 3 << 20) as disk:
        recorder = SessionRecorder.start(disk / "data", SessionSetup(source.profile, source.rate_hz))
        app = make_app(source, stall_after_s=None, recorder=recorder)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, lambda: app.session.ended, timeout_s=120.0)
            assert app.session.link is not None and "Disk full" in app.session.link.note
            assert "everything up to then is kept" in app.session.link.note
        assert recorder.closed and recorder.stopped is not None
        with SessionStore.open(disk / "data") as store:
            [info] = store.sessions()
            assert info.end_reason == "disk_full" and info.duration_s == recorder.kept_s
            assert 0 < info.duration_s < 1800.0
