"""Packet sources: a recording replayed from its file a block at a time, the same as from memory; pacing."""

from __future__ import annotations

import gzip
import math
from pathlib import Path

import pytest

from imuhold.errors import RecordingError
from imuhold.model import Packet
from imuhold.recording import read_recording
from imuhold.source import PACING_TICK_S, LinkStatus, Pacer, RecordingPackets, ReplaySource, replay_source

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


def test_packets_due_within_a_pacing_tick_are_handed_over_together() -> None:
    pacer = Pacer(1.0, tick_s=0.02)
    assert pacer.sleep_s(0) == 0.0
    assert pacer.sleep_s(15_000_000) == 0.0  # due in 15 ms: with the first, one wake-up for both
    assert 0.9 < pacer.sleep_s(1_000_000_000) <= 1.0  # due in a second: slept for


def test_a_paced_replay_wakes_once_per_tick_not_once_per_packet(monkeypatch) -> None:
    packets = [Packet(i * 5_000_000, "c", b"") for i in range(100)]  # 200 Hz for half a second
    clock, sleeps = [0.0], []

    def sleep(seconds: float) -> None:  # a clock that moves only by sleeping: the test takes no time
        sleeps.append(seconds)
        clock[0] += seconds

    monkeypatch.setattr("imuhold.source.time.monotonic", lambda: clock[0])
    monkeypatch.setattr("imuhold.source.time.sleep", sleep)
    handed = [(packet, clock[0]) for packet in Pacer(1.0).paced(packets)]
    assert [packet for packet, _ in handed] == packets
    assert 0 < len(sleeps) <= 100 / 4 and all(s > PACING_TICK_S for s in sleeps)
    # never late, and never early by more than a tick
    assert all(0 <= packet.t_host_ns / 1e9 - at <= PACING_TICK_S for packet, at in handed)


def test_an_unpaced_replay_is_every_packet_in_order() -> None:
    packets = [Packet(t, "c", b"") for t in (0, 10**9, 3 * 10**9)]
    assert list(Pacer(math.inf).paced(packets)) == packets
