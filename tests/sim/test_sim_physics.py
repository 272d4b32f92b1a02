"""Physics consistency of the simulated IMU: gravity, gyro integration, double-integrated drop, mounts."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from imuhold.sim import Hold, Scenario, SensorConfig, Shift, Squat, Stand, quat, simulate
from imuhold.units import STANDARD_GRAVITY_M_S2 as G

SCENARIO_NAMES = ["routine", "mount-any", "rate-25hz", "distractors"]


def _span(sim, t0_s, t1_s):
    i0, i1 = np.searchsorted(sim.t_s, (t0_s, t1_s))
    return slice(int(i0), int(i1) + 1)


@pytest.mark.parametrize("name", SCENARIO_NAMES)
def test_quiet_standing_reads_gravity_pointing_up(simulated, name):
    sim = simulated(name)
    calm = sim.t_s < 4.0
    acc = sim.acc_m_s2[calm]
    assert np.abs(np.linalg.norm(acc, axis=1) - G).max() < 0.1
    earth = quat.rotate(sim.quat[calm], acc)
    assert np.abs(earth[:, :2]).max() < 0.15
    assert np.abs(earth[:, 2] - G).max() < 0.1


@pytest.mark.parametrize("name", SCENARIO_NAMES)
def test_integrating_the_gyro_reproduces_the_orientation(simulated, name):
    sim = simulated(name)
    squat = sim.labels.squats[0]
    sl = _span(sim, squat.entry_s, squat.exit_s)
    dt_s = 1.0 / sim.scenario.sensor.rate_hz
    gyr = sim.gyr_rad_s[sl]
    q = sim.quat[sl][0]
    errors = []
    for k in range(len(gyr) - 1):
        q = quat.multiply(q, quat.from_rotvec(0.5 * (gyr[k] + gyr[k + 1]) * dt_s))
        errors.append(quat.angle_between_rad(q, sim.quat[sl][k + 1]))
    total_rotation = np.degrees(quat.angle_between_rad(sim.quat[sl][0], sim.quat[sl][len(gyr) // 2]))
    assert total_rotation > 5.0  # the squat really rotates the sensor
    assert np.degrees(max(errors)) < 0.5


@pytest.mark.parametrize("name", SCENARIO_NAMES)
def test_double_integrated_acceleration_gives_the_drop(simulated, name):
    sim = simulated(name)
    dt_s = 1.0 / sim.scenario.sensor.rate_hz
    vertical = quat.rotate(sim.quat, sim.acc_m_s2)[:, 2] - G
    for squat in sim.labels.squats:
        if not squat.holds:
            continue
        sl = _span(sim, squat.entry_s, squat.holds[0].start_s)
        acc = vertical[sl]
        vel = np.concatenate([[0.0], np.cumsum((acc[1:] + acc[:-1]) / 2) * dt_s])
        drop = np.sum((vel[1:] + vel[:-1]) / 2) * dt_s
        true_drop = sim.true_drop_m[sl][-1] - sim.true_drop_m[sl][0]
        assert drop == pytest.approx(true_drop, abs=0.03)
        assert drop == pytest.approx(squat.depth_m, abs=0.04)


def test_the_mount_changes_the_readings_but_not_the_body(simulated):
    sim = simulated("routine")
    other = dataclasses.replace(sim.scenario.sensor, mount_wxyz=(0.0, 1.0, 0.0, 0.0))  # upside down
    flipped = simulate(dataclasses.replace(sim.scenario, sensor=other), sim.seed)
    assert np.array_equal(flipped.true_tilt_deg, sim.true_tilt_deg)
    assert np.array_equal(flipped.true_drop_m, sim.true_drop_m)
    assert flipped.labels == sim.labels
    assert np.abs(flipped.acc_m_s2 - sim.acc_m_s2).max() > 5.0
    assert np.abs(flipped.gyr_rad_s - sim.gyr_rad_s).max() > 0.1
    # the same specific force and angular speed, only seen from another frame
    assert np.allclose(quat.rotate(flipped.quat, flipped.acc_m_s2), quat.rotate(sim.quat, sim.acc_m_s2))
    assert np.allclose(np.linalg.norm(flipped.gyr_rad_s, axis=1), np.linalg.norm(sim.gyr_rad_s, axis=1))


@pytest.mark.parametrize("name", ["routine", "mount-any"])
def test_true_tilt_is_the_pelvis_tilt_seen_by_the_sensor(simulated, name):
    sim = simulated(name)
    pelvis = quat.multiply(sim.quat, quat.conjugate(np.array(sim.scenario.sensor.mount_wxyz)))
    anterior = quat.rotate(pelvis, np.array([1.0, 0.0, 0.0]))
    tilt_deg = -np.degrees(np.arcsin(np.clip(anterior[:, 2], -1.0, 1.0)))
    assert np.abs(tilt_deg - sim.true_tilt_deg).max() < 0.01


def test_the_pelvis_tips_forward_and_drops_at_the_bottom_of_a_squat(simulated):
    sim = simulated("styles")
    for squat in sim.labels.squats:
        for hold in squat.holds:
            sl = _span(sim, hold.start_s, hold.end_s)
            assert np.median(sim.true_tilt_deg[sl]) > 5.0
            assert np.median(sim.true_drop_m[sl]) == pytest.approx(squat.depth_m, abs=0.03)
    forward = next(s for s in sim.labels.squats if s.style == "forward")
    assert np.median(sim.true_tilt_deg[_span(sim, forward.holds[0].start_s, forward.holds[0].end_s)]) > 30.0


def _one_squat(bottom) -> Scenario:
    return Scenario(
        "one",
        (Stand(5.0), Squat(descent_s=2.0, ascent_s=1.5, bottom=bottom), Stand(3.0)),
        SensorConfig(),
        heading_deg=0.0,
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_holds_are_calm_and_long_wobbles_are_clearly_moving(seed):
    bottom = (Hold(6.0, sway_deg=1.5), Shift(3.0, speed_deg_s=12.0), Hold(6.0, sway_deg=1.5))
    sim = simulate(_one_squat(bottom), seed)
    speed_deg_s = np.degrees(np.linalg.norm(sim.gyr_rad_s, axis=1))
    first, second = sim.labels.squats[0].holds
    for hold in (first, second):
        assert np.median(speed_deg_s[_span(sim, hold.start_s, hold.end_s)]) < 4.0
    moving = speed_deg_s[_span(sim, first.end_s + 0.25, second.start_s - 0.25)]
    assert np.mean(moving > 8.0) > 0.8  # sway adds to or subtracts from the circling
    assert np.median(moving) == pytest.approx(12.0, abs=1.5)


def test_standing_between_activities_is_back_at_rest(simulated):
    sim = simulated("distractors")
    busy = np.zeros(sim.t_s.size, dtype=bool)
    for squat in sim.labels.squats:
        busy[_span(sim, squat.entry_s, squat.exit_s)] = True
    for item in sim.labels.distractors:
        busy[_span(sim, item.start_s, item.end_s)] = True
    assert np.abs(sim.true_tilt_deg[~busy]).max() < 2.5
    assert np.abs(sim.true_drop_m[~busy]).max() < 0.02
    speed = np.degrees(np.linalg.norm(sim.gyr_rad_s[~busy], axis=1))
    assert np.percentile(speed, 99) < 5.0
