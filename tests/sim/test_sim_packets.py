"""The packets decode with the real imuhold-v1 decoder into the simulated samples; loss, latency, clock wrap."""

from __future__ import annotations

import math

import numpy as np
import pytest

from imuhold.protocol import imuhold_v1
from imuhold.sim import quat

ACC_LSB_M_S2 = 9.80665 / 1000.0
GYR_LSB_RAD_S = math.radians(imuhold_v1.GYR_LSB_DEG_S)


def _decode(sim):
    decoder = imuhold_v1.PROFILE.decoder()
    samples = [s for packet in sim.packets for s in decoder.feed(packet)]
    return decoder, samples


@pytest.mark.parametrize("name", ["routine", "lossy", "rate-25hz", "rate-200hz"])
def test_quat_frames_decode_to_the_sent_values(simulated, name):
    sim = simulated(name)
    decoder, samples = _decode(sim)
    assert decoder.stats.bad_frames == 0
    received = np.flatnonzero(sim.received)
    assert len(samples) == received.size
    t_s = np.array([s.t_s for s in samples]) - sim.scenario.sensor.t_us_start / 1e6
    assert np.abs(t_s - sim.t_s[received]).max() <= 1e-6
    q = np.array([s.quat for s in samples])
    sent = sim.quat_sent[received] / np.linalg.norm(sim.quat_sent[received], axis=1, keepdims=True)
    assert np.abs(q - sent).max() < 2.0 / imuhold_v1.QUAT_SCALE
    acc = np.array([s.acc_m_s2 for s in samples])
    assert np.abs(acc - sim.acc_sent_m_s2[received]).max() <= ACC_LSB_M_S2 / 2 + 1e-9
    assert [s.seq for s in samples] == (received % 256).tolist()


def test_sent_orientation_is_the_true_one_up_to_heading_and_noise(simulated):
    sim = simulated("routine")
    _, samples = _decode(sim)
    q = np.array([s.quat for s in samples])
    up = np.array([0.0, 0.0, 1.0])
    # the gravity direction seen from the sensor is heading-free: it matches the truth within the noise
    seen = quat.rotate(quat.conjugate(q), up)
    truth = quat.rotate(quat.conjugate(sim.quat[sim.received]), up)
    angle_deg = np.degrees(np.arccos(np.clip(np.sum(seen * truth, axis=1), -1.0, 1.0)))
    assert np.percentile(angle_deg, 99) < 0.6
    # the heading differs by an offset plus a slow drift
    config = sim.scenario.sensor
    diff = quat.multiply(q, quat.conjugate(sim.quat[sim.received]))
    heading_deg = np.degrees(2 * np.arctan2(diff[:, 3], diff[:, 0]))
    expected = sim.metadata["heading_offset_deg"] + config.heading_drift_deg_s * sim.t_s[sim.received]
    wrapped = (heading_deg - expected + 180.0) % 360.0 - 180.0
    assert np.abs(wrapped).max() < 1.0


def test_raw_frames_decode_to_gyro_and_acceleration(simulated):
    sim = simulated("mount-any")
    assert sim.quat_sent is None and sim.metadata["frame_type"] == "raw"
    decoder, samples = _decode(sim)
    assert decoder.stats.bad_frames == 0 and len(samples) == sim.t_s.size
    gyr = np.array([s.gyr_rad_s for s in samples])
    assert np.abs(gyr - sim.gyr_sent_rad_s).max() <= GYR_LSB_RAD_S / 2 + 1e-9
    assert all(s.quat is None for s in samples)
    # noise and bias are there, but small: within 1 °/s and 0.2 m/s² of the truth
    assert 0.0 < np.abs(gyr - sim.gyr_rad_s).max() < math.radians(1.5)
    acc = np.array([s.acc_m_s2 for s in samples])
    assert 0.0 < np.abs(acc - sim.acc_m_s2).mean() < 0.2


def test_loss_matches_the_configuration_and_spares_the_start(simulated):
    sim = simulated("lossy")
    config = sim.scenario.sensor
    assert sim.received[sim.t_s < 1.0].all()
    lost_fraction = 1.0 - sim.received[sim.t_s >= 1.0].mean()
    assert config.expected_loss_fraction == pytest.approx(0.05, abs=0.005)
    assert lost_fraction == pytest.approx(config.expected_loss_fraction, abs=0.015)
    decoder, _ = _decode(sim)
    last = np.flatnonzero(sim.received)[-1]
    assert decoder.stats.lost_frames == int((~sim.received[: last + 1]).sum())
    assert decoder.stats.loss_fraction == pytest.approx(lost_fraction, abs=0.005)
    # bursts: some runs of consecutive losses are long
    runs = np.diff(np.flatnonzero(np.diff(np.concatenate([[1], sim.received.astype(int), [1]]))))[::2]
    assert runs.max() >= 5


def test_lossless_scenarios_lose_nothing(simulated):
    sim = simulated("routine")
    assert sim.received.all() and len(sim.packets) == sim.t_s.size


def test_the_device_clock_wraps_and_the_decoder_unwraps_it(simulated):
    sim = simulated("lossy")
    t_us = sim.t_us
    assert sim.scenario.sensor.t_us_start == imuhold_v1.T_US_WRAP - 20_000_000
    assert np.sum(np.diff(t_us) < 0) == 1, "the 32-bit clock wraps once"
    assert t_us[np.searchsorted(sim.t_s, 21.0)] < 2_000_000
    _, samples = _decode(sim)
    t_s = np.array([s.t_s for s in samples])
    assert np.all(np.diff(t_s) > 0)
    assert t_s[-1] - t_s[0] == pytest.approx(sim.t_s[sim.received][-1], abs=1e-6)


def test_host_times_have_latency_jitter_and_batching(simulated):
    sim = simulated("lossy")
    config = sim.scenario.sensor
    host_s = (np.array([p.t_host_ns for p in sim.packets]) - config.host_epoch_ns) / 1e9
    assert np.all(np.diff(host_s) >= 0)
    delay_s = host_s - sim.t_s[sim.received]
    assert delay_s.min() >= config.latency_s - 1e-9
    assert delay_s.max() <= config.latency_s + config.jitter_s + config.conn_interval_s + 1e-9
    _, counts = np.unique(host_s, return_counts=True)
    assert counts.max() >= 3, "several notifications arrive in one connection event"
    assert all(p.characteristic == imuhold_v1.MOTION_CHAR_UUID for p in sim.packets)
    assert all(len(p.payload) == imuhold_v1.FRAME_SIZE for p in sim.packets)


def test_without_batching_notifications_arrive_one_by_one(simulated):
    sim = simulated("routine")
    config = sim.scenario.sensor
    host_s = (np.array([p.t_host_ns for p in sim.packets]) - config.host_epoch_ns) / 1e9
    delay_s = host_s - sim.t_s
    assert np.all(np.diff(host_s) >= 0)
    assert config.latency_s - 1e-9 <= delay_s.min() and delay_s.max() <= config.latency_s + config.jitter_s + 1e-9
    assert np.unique(host_s).size > 0.99 * host_s.size


def test_the_demo_sensor_delivers_in_connection_events_without_changing_a_sample():
    from imuhold.sim.scenarios import routine, with_sensor_errors
    from imuhold.sim.simulation import simulate
    from imuhold.sim.source import CONN_INTERVAL_S, simulated_source

    packets = simulated_source(3, 20.0).packets
    unbatched = simulate(with_sensor_errors(routine(3, 20.0), 3, "typical", frame_type="raw"), 3).packets
    assert [p.payload for p in packets] == [p.payload for p in unbatched]
    arrivals_s = np.unique([p.t_host_ns for p in packets]) / 1e9
    assert len(packets) / arrivals_s.size == pytest.approx(CONN_INTERVAL_S * 100.0, rel=0.05)  # 100 Hz
    assert np.median(np.diff(arrivals_s)) == pytest.approx(CONN_INTERVAL_S, abs=0.005)
