"""Packet sources: a recording replayed from its file a block at a time, the same as from memory; pacing."""

from __future__ import annotations

import gzip
import math
from pathlib import Path

import pytest

from imuhold.errors import RecordingError
from imuhold.model import Packet
from imuhold.recording import read_recording
from imuhold.source import LinkStatus, Pacer, RecordingPackets, ReplaySource, replay_source

ROUTINE = Path(__file__).resolve().parents[1] / "sample_recordings" / "routine.imuhold.gz"


def test_a_recording_file_gives_its_packets_on_every_pass_with_its_warnings(tmp_path: Path) -> None:
    text = gzip.decompress(ROUTINE.read_bytes()).decode()
    lines = text.splitlines()
    lines.insert(5, "12 zz 00")  # an unknown alias
    path = tmp_path / "damaged.imuhold"
    path.write_text("\n".join(lines) + "\n")
    whole = read_recording(path)
    packets = RecordingPackets(path)
    assert list(packets) == whole.packets and len(whole.packets) > 1000
    assert packets.warnings == whole.warnings and len(whole.warnings) == 1
    assert list(packets) == whole.packets  # again, from the start


def test_a_bad_header_fails_before_any_replay(tmp_path: Path) -> None:
    path = tmp_path / "bad.imuhold"
    path.write_text("not a header\n")
    with pytest.raises(RecordingError, match=r"bad\.imuhold"):
        replay_source(path)


async def test_a_file_replays_as_the_same_packets_held_in_memory() -> None:
    source, packets = replay_source(ROUTINE, math.inf)
    whole = read_recording(ROUTINE)
    in_memory = ReplaySource(whole.packets, source.profile, source.rate_hz, source.description, math.inf)
    from_file = [item async for item in source.stream()]
    assert from_file == [item async for item in in_memory.stream()]
    assert from_file[0] == LinkStatus(True, "routine.imuhold.gz")
    assert from_file[-1] == LinkStatus(False, "routine.imuhold.gz", note="end of recording")
    assert source.duration_s() == in_memory.duration_s() == pytest.approx(
        (whole.packets[-1].t_host_ns - whole.packets[0].t_host_ns) / 1e9
    )
    assert packets.warnings == whole.warnings


def test_pacing_follows_host_time_divided_by_speed() -> None:
    assert Pacer(math.inf).wait_s(10**12) == 0.0
    pacer = Pacer(2.0)
    assert pacer.wait_s(5_000_000_000) <= 0.0  # the first packet is due at once
    assert 4.0 < pacer.wait_s(15_000_000_000) <= 5.0  # 10 s of host time later, at twice real time
    with pytest.raises(ValueError, match="speed"):
        Pacer(0.0)


def test_an_unpaced_replay_is_every_packet_in_order() -> None:
    packets = [Packet(t, "c", b"") for t in (0, 10**9, 3 * 10**9)]
    assert list(Pacer(math.inf).paced(packets)) == packets
