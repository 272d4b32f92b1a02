"""Pipeline: streaming ``feed`` and batch ``run`` give identical events; time comes from samples; reboots."""

from dataclasses import astuple
from pathlib import Path

import pytest

from imuhold import sim
from imuhold.model import EventKind, Packet
from imuhold.pipeline import Pipeline
from imuhold.protocol import get_profile, movella_dot
from imuhold.protocol.imuhold_v1 import MOTION_CHAR_UUID, encode_quat_acc
from imuhold.recording import read_recording

SAMPLES = sorted((Path(__file__).resolve().parents[1] / "sample_recordings").glob("*.imuhold.gz"))


def pipeline_for(header):
    return Pipeline(get_profile(header.profile), header.rate_hz)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name.split(".")[0])
def test_streaming_and_batch_give_identical_events(path):
    recording = read_recording(path)
    batch = pipeline_for(recording.header).run(recording.packets)
    streaming = pipeline_for(recording.header)
    for packet in recording.packets:
        streaming.feed(packet)
    streaming.finish()
    assert streaming.events == batch.events
    assert len(batch.squats) > 0
    for a, b in zip(streaming.squats, batch.squats, strict=True):  # metrics may differ in the last bit
        assert (a.entry_s, a.exit_s, a.depth_m) == pytest.approx((b.entry_s, b.exit_s, b.depth_m), rel=1e-9)
        for ha, hb in zip(a.holds, b.holds, strict=True):
            assert astuple(ha) == pytest.approx(astuple(hb), rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name.split(".")[0])
def test_batch_in_small_blocks_gives_the_same_as_in_one(path):
    # Long files are analysed in blocks: the orientation filter, clock, tilt speed and detector carry across them.
    recording = read_recording(path)
    whole = pipeline_for(recording.header).run(recording.packets)
    blocks = pipeline_for(recording.header).run(iter(recording.packets), block_packets=len(recording.packets) // 7)
    assert blocks.events == whole.events and blocks.squats == whole.squats
    assert (blocks.samples, blocks.decode, blocks.out_of_order) == (whole.samples, whole.decode, whole.out_of_order)


def test_host_time_does_not_matter_only_sensor_time():
    simulation = sim.simulate(sim.SCENARIOS["styles"](2), 2)
    shifted = [Packet(p.t_host_ns * 3 + 12345, p.characteristic, p.payload) for p in simulation.packets]
    a = Pipeline(get_profile("imuhold-v1"), 100.0).run(simulation.packets)
    b = Pipeline(get_profile("imuhold-v1"), 100.0).run(shifted)
    assert a.events == b.events


def test_sensor_reboot_does_not_stall_the_stream():
    profile = get_profile("imuhold-v1")
    pipeline = Pipeline(profile, 100.0)
    packets = [
        Packet(0, MOTION_CHAR_UUID, encode_quat_acc(i, 50_000_000 + i * 10_000, (1.0, 0.0, 0.0, 0.0), (0, 0, 9.81)))
        for i in range(300)
    ]
    rebooted = [
        Packet(0, MOTION_CHAR_UUID, encode_quat_acc(i, i * 10_000, (1.0, 0.0, 0.0, 0.0), (0, 0, 9.81)))
        for i in range(300)
    ]
    analysis = pipeline.run(packets + rebooted)
    assert analysis.samples == 600
    assert pipeline.clock_restarts == 1
    assert analysis.duration_s == pytest.approx(5.99, abs=0.011)
    assert [e.kind for e in analysis.events] == [EventKind.CALIBRATED]


def test_duplicates_and_reordering_are_counted_and_skipped():
    simulation = sim.simulate(sim.SCENARIOS["styles"](1), 1)
    packets = list(simulation.packets)
    packets.insert(500, packets[499])
    packets[600], packets[601] = packets[601], packets[600]
    analysis = Pipeline(get_profile("imuhold-v1"), 100.0).run(packets)
    assert analysis.out_of_order == 2
    assert len(analysis.squats) == len(simulation.labels.squats)


def test_decoder_gets_the_recordings_rate():
    """Profiles without a device clock space samples by the configured rate, not the nominal one."""
    dot = get_profile("movella-dot")
    still = ((1.0, 0.0, 0.0, 0.0), (0.0, 0.0, 0.0))
    payloads = [movella_dot.encode_payload(t, *still, dot.mode) for t in (0, 33_333, 66_667)]
    packets = [Packet(0, movella_dot.MEDIUM_PAYLOAD_CHAR_UUID, payload) for payload in payloads]
    at_30, at_nominal = Pipeline(dot, 30.0), Pipeline(dot)
    for packet in packets:
        at_30.process(packet)
        at_nominal.process(packet)
    assert dot.nominal_rate_hz > 45.0  # 1/30 s is two nominal periods or more: frames seem lost
    assert at_30.decode_stats.lost_frames == 0
    assert at_nominal.decode_stats.lost_frames >= 2
