"""The training screen stores its session: raw recording, squats, holds and counterweight, ended as completed."""

from __future__ import annotations

from imuhold.store import SessionRecorder, SessionSetup, SessionStore
from imuhold.tui import make_app

from .helpers import replay, settle


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
