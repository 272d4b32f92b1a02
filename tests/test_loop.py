"""The packet loop: packets recorded before they are processed, events stored, link changes and gaps marked."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from imuhold.loop import PacketLoop
from imuhold.pipeline import Pipeline
from imuhold.protocol import get_profile
from imuhold.recording import RecordingWriter, read_recording
from imuhold.recovery import replay_recording
from imuhold.source import LinkStatus
from imuhold.store import SessionRecorder, SessionSetup, SessionStore

SAMPLES = Path(__file__).resolve().parents[1] / "sample_recordings"
LOSSY = SAMPLES / "lossy.imuhold.gz"


def _pipeline(header) -> Pipeline:
    return Pipeline(get_profile(header.profile), header.rate_hz)


def _stored(data_dir: Path, process: bool) -> tuple:
    """The lossy sample recorded and stored through the loop, fed packet by packet (``feed``) or sample by sample
    (``process``); what the store then holds."""
    recording = read_recording(LOSSY)
    header = recording.header
    recorder = SessionRecorder.start(data_dir, SessionSetup(header.profile, header.rate_hz, sensor="sample"))
    loop = PacketLoop(_pipeline(header), recorder, mark_gaps=True)
    loop.link(LinkStatus(True, "sample"))
    for packet in recording.packets:
        if process:
            loop.process(packet)
        else:
            loop.feed(packet)
    loop.close("completed")
    with SessionStore.open(data_dir) as store:
        info = store.resolve("last")
        return store.events(info.id), store.squats(info.id), store.tilt(info.id), store.link_marks(info.id), info


def test_sample_by_sample_and_packet_by_packet_store_the_same_session(tmp_path: Path) -> None:
    fed = _stored(tmp_path / "feed", process=False)
    processed = _stored(tmp_path / "process", process=True)
    assert fed[:4] == processed[:4]
    events, squats, tilt, marks, info = fed
    assert squats and len(tilt) > 100 and events
    assert marks and {m.kind for m in marks} == {"gap"}  # the sample loses frames; the link never dropped
    # the stored session is what recovery rebuilds from the recording the loop wrote for it
    with replay_recording(tmp_path / "feed" / info.recording) as replayed:
        assert replayed.batch.marks == marks


@pytest.mark.parametrize("mark_gaps", [True, False])
def test_gaps_are_marked_in_the_file_only_when_asked(tmp_path: Path, mark_gaps: bool) -> None:
    recording = read_recording(LOSSY)
    out = tmp_path / "out.imuhold"
    with RecordingWriter(out, recording.header) as writer:
        loop = PacketLoop(_pipeline(recording.header), writer=writer, mark_gaps=mark_gaps)
        for packet in recording.packets:
            loop.feed(packet)
    written = read_recording(out)
    assert written.packets == recording.packets
    gaps = [m for m in written.marks if m.kind == "gap"]
    assert loop.pipeline.decode_stats.lost_frames > 0
    assert len(gaps) == loop.gaps and (len(gaps) > 0) == mark_gaps
    if mark_gaps:
        assert sum(m.data["lost_frames"] for m in gaps) >= loop.pipeline.decode_stats.lost_frames


def test_a_recorded_packet_is_kept_but_not_processed(tmp_path: Path) -> None:
    recording = read_recording(LOSSY)
    out = tmp_path / "out.imuhold"
    with RecordingWriter(out, recording.header) as writer:
        loop = PacketLoop(_pipeline(recording.header), writer=writer)
        for packet in recording.packets[:50]:
            loop.record(packet)
    assert read_recording(out).packets == recording.packets[:50]
    assert loop.packets == 50 and loop.pipeline.decode_stats.packets == 0 and loop.pipeline.samples == 0
    assert (loop.first_ns, loop.last_ns) == (recording.packets[0].t_host_ns, recording.packets[49].t_host_ns)


def test_link_changes_are_marked_at_the_last_packet_and_drops_counted(tmp_path: Path) -> None:
    recording = read_recording(LOSSY)
    out = tmp_path / "out.imuhold"
    with RecordingWriter(out, recording.header) as writer:
        loop = PacketLoop(_pipeline(recording.header), writer=writer)
        loop.link(LinkStatus(True, "sample"))  # the first connection is not a restoration
        for packet in recording.packets[:100]:
            loop.feed(packet)
        loop.link(LinkStatus(False, "sample", note="out of range"))
        loop.link(LinkStatus(True, "sample", note="back"))
        for packet in recording.packets[100:200]:
            loop.feed(packet)
        loop.link(LinkStatus(False, "sample"))
    marks = read_recording(out).marks
    assert [(m.kind, m.t_host_ns) for m in marks] == [
        ("link-lost", recording.packets[99].t_host_ns),
        ("link-restored", recording.packets[99].t_host_ns),
        ("link-lost", recording.packets[199].t_host_ns),
    ]
    assert marks[0].data == {"note": "out of range"} and loop.drops == 2


def test_the_display_state_is_told_once_per_change() -> None:
    recording = read_recording(SAMPLES / "routine.imuhold.gz")
    loop = PacketLoop(_pipeline(recording.header))
    changes = []
    for packet in recording.packets:
        loop.feed(packet)
        state = loop.new_state()
        if state is not None:
            changes.append(state)
    assert changes[0].value == "standing"  # from calibrating, where it started
    assert all(a is not b for a, b in itertools.pairwise(changes))
    assert sum(s.value == "holding" for s in changes) == 5 == len(loop.pipeline.squats)
