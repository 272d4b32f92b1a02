"""Faults between sensor and pipeline: loss shows as loss %, gaps are marked in the recording, holds survive."""

from __future__ import annotations

import functools
import math

import pytest

from imuhold.faults import Faults, FaultySource
from imuhold.live import LiveSession, close_run
from imuhold.pipeline import Pipeline
from imuhold.protocol import get_profile
from imuhold.recording import RecordingHeader, RecordingWriter, read_recording
from imuhold.recovery import replay_recording
from imuhold.review.text import show_lines
from imuhold.sim import Hold, Scenario, Simulation, Squat, Stand, simulate
from imuhold.source import ReplaySource
from imuhold.store import SessionRecorder, SessionSetup, SessionStore, unobserved_s

HOLD = (8.0, 23.0)
RATE_HZ = 100.0
IN_HOLD_PACKET = 1500  # 15 s into the session at 100 Hz


@functools.cache
def _simulation() -> Simulation:
    scenario = Scenario("fault-hold", (Stand(6.0), Squat(bottom=(Hold(15.0),)), Stand(4.0)), heading_deg=0.0)
    return simulate(scenario, 3)


def _source(faults: Faults, seed: int = 7) -> FaultySource:
    sim = _simulation()
    replay = ReplaySource(sim.packets, sim.metadata["profile"], RATE_HZ, "simulated", speed=math.inf)
    return FaultySource(replay, faults, seed)


async def _run(source: FaultySource, writer: RecordingWriter | None = None) -> tuple[LiveSession, list[str]]:
    lines: list[str] = []
    session = LiveSession(source, Pipeline(get_profile(source.profile), RATE_HZ), lines.append, writer)
    await session.run()
    session.pipeline.finish()
    return session, lines


def _holds(session: LiveSession) -> list[tuple[float, float]]:
    return [(h.start_s, h.end_s) for s in session.pipeline.analysis().squats for h in s.holds]


async def test_no_faults_change_nothing() -> None:
    source = _source(Faults())
    session, _ = await _run(source)
    assert source.stats.passed == len(_simulation().packets)
    assert session.loss_pct == 0.0
    assert len(_holds(session)) == 1


async def test_dropped_packets_show_as_loss_percent() -> None:
    source = _source(Faults(drop_p=0.05))
    session, _ = await _run(source)
    decode = session.pipeline.decode_stats
    assert decode.lost_frames == source.stats.dropped > 0
    assert session.loss_pct == pytest.approx(100 * source.stats.dropped / len(_simulation().packets), abs=0.2)
    assert len(_holds(session)) == 1


async def test_duplicates_are_dropped_by_time_and_not_counted_as_loss() -> None:
    source = _source(Faults(duplicate_p=0.03))
    session, _ = await _run(source)
    assert source.stats.duplicated > 0
    assert session.pipeline.out_of_order == source.stats.duplicated
    assert session.pipeline.decode_stats.lost_frames == 0
    assert len(_holds(session)) == 1


async def test_reordered_packets_are_dropped_by_time() -> None:
    source = _source(Faults(reorder_p=0.03))
    session, _ = await _run(source)
    assert source.stats.reordered > 0
    assert session.pipeline.out_of_order == source.stats.reordered
    # The v1 decoder reads a swapped pair as two one-frame gaps (BLE never reorders within a connection).
    assert session.pipeline.decode_stats.lost_frames <= 2 * source.stats.reordered
    assert len(_holds(session)) == 1


async def test_truncated_packets_are_bad_frames_and_the_hold_survives() -> None:
    source = _source(Faults(truncate_p=0.05))
    session, _ = await _run(source)
    assert session.pipeline.decode_stats.bad_frames == source.stats.truncated > 0
    assert len(_holds(session)) == 1


async def test_corrupted_packets_never_raise() -> None:
    source = _source(Faults(corrupt_p=0.05))
    session, _ = await _run(source)
    assert source.stats.corrupted > 0
    assert session.pipeline.decode_stats.packets == source.stats.passed


async def test_a_short_disconnect_in_a_hold_is_marked_and_the_hold_survives(tmp_path) -> None:
    source = _source(Faults(disconnects=((IN_HOLD_PACKET, 40),)))
    path = tmp_path / "live.imuhold"
    with RecordingWriter(path, RecordingHeader(source.profile, RATE_HZ)) as writer:
        session, lines = await _run(source, writer)
    assert any("disconnected" in line for line in lines)
    (hold,) = _holds(session)
    assert hold[0] == pytest.approx(HOLD[0], abs=0.5) and hold[1] == pytest.approx(HOLD[1], abs=0.5)
    marks = read_recording(path).marks
    assert [m.kind for m in marks] == ["link-lost", "link-restored", "gap", "link-lost"]  # last: end of replay
    assert marks[2].data == {"lost_frames": 40}
    assert session.stats.drops == 2 and session.loss_pct > 0  # the injected drop, then the end of the replay


def test_fault_probabilities_are_checked() -> None:
    with pytest.raises(ValueError, match="drop_p"):
        Faults(drop_p=1.5)


async def test_link_marks_are_stored_with_the_session_and_shown(tmp_path) -> None:
    source = _source(Faults(disconnects=((IN_HOLD_PACKET, 40),)))
    recorder = SessionRecorder.start(tmp_path, SessionSetup(source.profile, RATE_HZ, sensor="simulated"))
    session = LiveSession(source, Pipeline(get_profile(source.profile), RATE_HZ), lambda _line: None, recorder=recorder)
    await session.run()
    close_run(session.loop, "completed", lambda _line: None)
    with SessionStore.open(tmp_path) as store:
        info = store.resolve("last")
        marks = store.link_marks(info.id)
        lines = show_lines(info, store.holds(info.id), store.tilt(info.id), marks)
    assert [m.kind for m in marks] == ["link-lost", "link-restored", "gap", "link-lost"]
    lost, restored, gap, _ = marks
    assert lost.t_s == pytest.approx(IN_HOLD_PACKET / RATE_HZ, abs=0.02)  # the last sample before the gap
    assert restored.t_s - lost.t_s == pytest.approx(40 / RATE_HZ, abs=0.02)  # the first sample after it
    assert lost.detail == "injected disconnect" and gap.detail == "40"
    assert unobserved_s(marks) == pytest.approx(0.4, abs=0.02) and info.drops == 2
    assert "link  0:15  connection lost (injected disconnect)" in lines
    assert lines[-1] == "link  unobserved 0.4 s in all"
    with replay_recording(tmp_path / info.recording) as replayed:
        assert replayed.batch.marks == marks  # recovery rebuilds them the same
