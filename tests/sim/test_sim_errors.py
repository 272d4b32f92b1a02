"""Real sensor errors in the simulator: draws within the cited ranges, no change without them, and their effects."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from imuhold.cli import main
from imuhold.cli.data import SENSOR_ERROR_PROFILES
from imuhold.protocol import imuhold_v1
from imuhold.recording import read_labels, read_recording
from imuhold.sim import (
    ATTITUDES,
    NO_ERRORS,
    PLACES,
    PROFILES,
    SCENARIOS,
    SensorErrors,
    draw_errors,
    mount_at,
    on_sensor,
    quat,
    simulate,
    with_sensor_errors,
)
from imuhold.sim.errors import MG_M_S2
from imuhold.units import STANDARD_GRAVITY_M_S2 as G

SAMPLES = Path(__file__).resolve().parents[2] / "sample_recordings"
DPS = math.radians(1.0)


def _decoded(sim):
    decoder = imuhold_v1.PROFILE.decoder()
    return [s for packet in sim.packets for s in decoder.feed(packet)]


def test_the_cli_offers_exactly_the_profiles():
    assert tuple(PROFILES) == SENSOR_ERROR_PROFILES


@pytest.mark.parametrize("profile", ["typical", "harsh"])
def test_drawn_errors_stay_within_their_ranges_and_span_them(profile):
    ranges = PROFILES[profile]
    draws = [draw_errors(ranges, np.random.default_rng(seed)) for seed in range(400)]
    gyr = np.array([d.gyr_offset_rad_s for d in draws]) / DPS
    drift = np.array([d.gyr_drift_rad_s for d in draws]) / DPS
    acc = np.array([d.acc_offset_m_s2 for d in draws]) / MG_M_S2
    acc_m = np.array([d.acc_matrix for d in draws])
    gyr_m = np.array([d.gyr_matrix for d in draws])
    rate = np.array([d.rate_error for d in draws])
    tau = np.array([d.gyr_drift_tau_s for d in draws])
    off = ~np.eye(3, dtype=bool)
    checks = [
        (np.abs(gyr), ranges.gyr_offset_dps),
        (np.abs(drift), ranges.gyr_drift_dps),
        (np.abs(acc) / np.asarray(ranges.acc_offset_mg), 1.0),
        (np.abs(acc_m[:, ~off] - 1.0), ranges.acc_scale),
        (np.abs(acc_m[:, off]), ranges.acc_cross_axis),
        (np.abs(gyr_m[:, ~off] - 1.0), ranges.gyr_scale),
        (np.abs(gyr_m[:, off]), ranges.gyr_cross_axis),
        (np.abs(rate), ranges.rate_error),
    ]
    for values, bound in checks:
        assert values.max() <= bound + 1e-12
        assert values.max() > 0.9 * bound  # the whole range is used, not just its middle
    assert ranges.gyr_drift_tau_s[0] <= tau.min() and tau.max() <= ranges.gyr_drift_tau_s[1]
    # every draw is a different sensor
    assert len({d.gyr_offset_rad_s for d in draws}) == len(draws)


def test_the_profiles_hold_the_cited_extremes():
    harsh, typical = PROFILES["harsh"], PROFILES["typical"]
    assert harsh.gyr_offset_dps == 5.0 and harsh.acc_offset_mg == (50.0, 50.0, 80.0)  # issue 14; MPU-6050 zero-g
    assert (harsh.acc_scale, harsh.acc_cross_axis, harsh.rate_error) == (0.03, 0.02, 0.01)  # MPU-6050
    assert typical.gyr_offset_dps < harsh.gyr_offset_dps and PROFILES["none"] is None


def test_each_recording_draws_its_own_errors_and_mounting_over_every_place_and_attitude():
    base = SCENARIOS["mount-any"](1)
    fitted = [with_sensor_errors(base, seed, "typical").sensor for seed in range(80)]
    assert {c.mounting.place for c in fitted} == set(PLACES)
    assert {c.mounting.attitude for c in fitted} == set(ATTITUDES)
    assert all(c.mount_wxyz == c.mounting.wxyz for c in fitted)
    assert all(c.acc_bias_m_s2 == 0.0 and c.gyr_bias_rad_s == 0.0 for c in fitted)  # the chip's offsets replace them
    assert with_sensor_errors(base, 3, "typical") == with_sensor_errors(base, 3, "typical")
    assert with_sensor_errors(base, 3, "typical") != with_sensor_errors(base, 4, "typical")


def test_zero_errors_reproduce_the_old_output_exactly(simulated):
    for name in ("mount-any", "lossy"):
        old = simulated(name)
        config = dataclasses.replace(old.scenario.sensor, errors=NO_ERRORS)
        again = simulate(dataclasses.replace(old.scenario, sensor=config), old.seed)
        assert again.packets == old.packets
        assert np.array_equal(again.t_s, old.t_s) and np.array_equal(again.acc_sent_m_s2, old.acc_sent_m_s2)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_profile_none_changes_nothing_and_the_samples_are_on_typical_chips(name):
    assert with_sensor_errors(SCENARIOS[name](1), 1, "none") == SCENARIOS[name](1)
    typical = with_sensor_errors(SCENARIOS[name](1), 1, "typical")  # what sample_recordings/regenerate.sh makes
    assert simulate(typical, 1).packets == read_recording(SAMPLES / f"{name}.imuhold.gz").packets


def test_simulate_command_writes_the_sample_recording_by_default_and_an_ideal_chip_on_request(tmp_path):
    out = tmp_path / "routine.imuhold.gz"
    result = CliRunner().invoke(main, ["simulate", str(out), "--scenario", "routine"])
    assert result.exit_code == 0, result.output
    assert read_recording(out).packets == read_recording(SAMPLES / "routine.imuhold.gz").packets
    assert "sensor_errors" in read_labels(out).extra
    ideal = tmp_path / "ideal.imuhold.gz"
    result = CliRunner().invoke(main, ["simulate", str(ideal), "--scenario", "routine", "--sensor-errors", "none"])
    assert result.exit_code == 0, result.output
    assert read_recording(ideal).packets == simulate(SCENARIOS["routine"](1), 1).packets
    assert "sensor_errors" not in read_labels(ideal).extra


def test_simulate_command_records_the_drawn_errors_and_mounting(tmp_path):
    out = tmp_path / "d.imuhold"
    args = ["simulate", str(out), "--scenario", "distractors", "--seed", "5", "--sensor-errors", "harsh"]
    result = CliRunner().invoke(main, [*args, "--frame-type", "raw"])
    assert result.exit_code == 0, result.output
    expected = with_sensor_errors(SCENARIOS["distractors"](5), 5, "harsh", frame_type="raw").sensor
    extra = read_labels(out).extra
    assert extra["mounting"]["place"] == expected.mounting.place
    assert extra["mounting"]["wxyz"] == list(expected.mounting.wxyz)
    assert extra["sensor_errors"]["gyr_offset_rad_s"] == list(expected.errors.gyr_offset_rad_s)
    assert extra["sensor_errors"]["gyro_sent"] is True
    assert extra["sensor_errors"]["readable"]["acc_offset_mg"] == [
        round(v / MG_M_S2, 1) for v in expected.errors.acc_offset_m_s2
    ]
    assert f"mounted {expected.mounting.name}" in result.output and "°/s" in result.output


def test_a_bad_mounting_is_one_clear_error(tmp_path):
    result = CliRunner().invoke(main, ["simulate", str(tmp_path / "x.imuhold"), "--mounting", "belly-flat"])
    assert result.exit_code == 2
    assert "PLACE-ATTITUDE" in result.output and "Traceback" not in result.output


def _raw(errors: SensorErrors | None, seed: int = 2, scenario: str = "mount-any"):
    return simulate(on_sensor(SCENARIOS[scenario](seed), errors=errors, frame_type="raw"), seed)


def test_a_known_gyro_offset_is_the_mean_rate_at_rest():
    offset = (0.05, -0.08, 0.03)  # rad/s: 2.9, −4.6, 1.7 °/s
    drift = (0.0, 0.02, -0.02)
    chip = SensorErrors(gyr_offset_rad_s=offset, gyr_drift_rad_s=drift, gyr_drift_tau_s=30.0)
    for errors in (NO_ERRORS, chip):
        sim = _raw(errors)
        gyr = np.array([s.gyr_rad_s for s in _decoded(sim)])
        assert gyr.shape == sim.gyr_rad_s.shape  # nothing lost, so samples line up
        residual = gyr - sim.gyr_rad_s
        for rest in (sim.t_s < 4.0, sim.t_s > sim.t_s[-1] - 2.0):  # the calibration stand, the final stand
            warmed = np.mean(1.0 - np.exp(-sim.t_s[rest] / errors.gyr_drift_tau_s))
            expected = np.array(errors.gyr_offset_rad_s) + warmed * np.array(errors.gyr_drift_rad_s)
            assert np.abs(residual[rest].mean(axis=0) - expected).max() < 0.02 * DPS


def test_gyro_errors_leave_quaternion_frames_alone_but_not_the_acceleration():
    chip = SensorErrors(gyr_offset_rad_s=(0.1, 0.1, 0.1), acc_offset_m_s2=(0.5, 0.0, 0.0))
    plain = simulate(SCENARIOS["routine"](2), 2)
    with_chip = simulate(on_sensor(plain.scenario, errors=chip), 2)
    assert np.array_equal(with_chip.quat_sent, plain.quat_sent) and with_chip.gyr_sent_rad_s is None
    assert with_chip.labels.extra["sensor_errors"]["gyro_sent"] is False
    # the base offset (≤ 0.05 m/s²) is replaced by the chip's
    assert np.abs((with_chip.acc_sent_m_s2 - plain.acc_sent_m_s2).mean(axis=0) - (0.5, 0.0, 0.0)).max() < 0.06


@pytest.mark.parametrize("rate_error", [0.01, -0.008])
def test_a_sample_clock_error_changes_the_sample_spacing(rate_error):
    plain = _raw(None)
    fast = _raw(SensorErrors(rate_error=rate_error))
    rate_hz = plain.scenario.sensor.rate_hz
    true_period_s = 1.0 / (rate_hz * (1.0 + rate_error))
    assert np.allclose(np.diff(fast.t_s), true_period_s)
    assert fast.t_s.size == pytest.approx(plain.t_s.size * (1.0 + rate_error), abs=2)
    assert fast.t_s[-1] == pytest.approx(plain.t_s[-1], abs=true_period_s)  # the same session, in true time
    decoded_t = np.array([s.t_s for s in _decoded(fast)])
    assert np.abs(np.diff(decoded_t) - true_period_s).max() <= 1.5e-6  # the device stamps say so, to the µs
    host_s = np.array([p.t_host_ns for p in fast.packets]) / 1e9
    assert host_s[-1] - host_s[0] == pytest.approx(fast.t_s[-1], abs=0.01)
    # the recording still claims the nominal rate, as a real sensor would
    assert fast.metadata["rate_hz"] == rate_hz


def test_stamp_jitter_delays_stamps_within_its_bound_and_keeps_their_order():
    jitter_s = 0.002
    sim = _raw(SensorErrors(stamp_jitter_s=jitter_s))
    delay = sim.stamp_s - sim.t_s
    assert delay.min() >= 0.0 and delay.max() <= jitter_s and delay.std() > jitter_s / 5
    decoded_t = np.array([s.t_s for s in _decoded(sim)])
    assert np.all(np.diff(decoded_t) > 0.0)
    assert np.abs(decoded_t - decoded_t[0] - (sim.stamp_s - sim.stamp_s[0])).max() <= 1e-6
    with pytest.raises(ValueError, match="not below the sample period"):
        _raw(SensorErrors(stamp_jitter_s=0.02))


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize(("attitude", "axis", "sign"), [("flat", 0, 1), ("upside-down", 0, -1), ("sideways", 1, 0)])
def test_mountings_put_gravity_along_the_expected_sensor_axis(place, attitude, axis, sign):
    base = SCENARIOS["beginner-short-holds"](3)
    for seed in (3, 4):
        mount = mount_at(np.random.default_rng(seed), place, attitude)
        sim = simulate(on_sensor(base, mounting=mount), seed)
        acc = sim.acc_m_s2[sim.t_s < 4.0].mean(axis=0)  # standing still: specific force is gravity, up
        assert np.linalg.norm(acc) == pytest.approx(G, abs=0.05)
        if sign:
            assert sign * acc[axis] > 0.95 * G
        else:
            assert abs(acc[axis]) > 0.95 * G
        assert abs(acc[2]) < 0.2 * G  # the face is against the belt: its normal is horizontal


def test_a_sensor_twisted_in_a_pouch_points_anywhere():
    base = SCENARIOS["beginner-short-holds"](3)
    ups = []
    for seed in range(6):
        sim = simulate(on_sensor(base, mounting=mount_at(np.random.default_rng(seed), "left", "twisted")), 3)
        up = sim.acc_m_s2[sim.t_s < 4.0].mean(axis=0) / G
        assert np.linalg.norm(up) == pytest.approx(1.0, abs=0.01)
        ups.append(up)
    assert np.ptp(np.array(ups), axis=0).min() > 0.5


def test_a_sensor_at_the_front_of_the_belt_drops_further_as_the_pelvis_tilts():
    base = on_sensor(SCENARIOS["styles"](2), frame_type="raw")
    back = simulate(on_sensor(base, mounting=mount_at(np.random.default_rng(1), "back", "flat")), 2)
    front_mount = mount_at(np.random.default_rng(1), "front", "flat")
    front = simulate(on_sensor(base, mounting=front_mount), 2)
    assert front.labels.squats == back.labels.squats and np.array_equal(front.true_tilt_deg, back.true_tilt_deg)
    dt_s = 1.0 / base.sensor.rate_hz
    depth_m = front_mount.lever_m[0]
    checked = 0
    for squat in back.labels.squats:
        if not squat.holds:
            continue
        i0, i1 = np.searchsorted(back.t_s, (squat.entry_s, squat.holds[0].start_s))
        drops = []
        for sim in (back, front):
            vertical = quat.rotate(sim.quat, sim.acc_m_s2)[i0 : i1 + 1, 2] - G
            vel = np.concatenate([[0.0], np.cumsum((vertical[1:] + vertical[:-1]) / 2) * dt_s])
            drops.append(np.sum((vel[1:] + vel[:-1]) / 2) * dt_s)
        tilt = np.radians(back.true_tilt_deg[[i0, i1]])
        # the front of the belt is depth_m ahead of the sacrum: it sinks by depth·(sin tilt1 − sin tilt0) more
        expected_m = -depth_m * (math.sin(tilt[1]) - math.sin(tilt[0]))
        assert abs(expected_m) > 0.04 and drops[1] - drops[0] == pytest.approx(expected_m, abs=0.02)
        checked += 1
    assert checked >= 3
