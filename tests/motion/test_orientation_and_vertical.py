"""Orientation (VQF 6D) streaming equals batch; vertical kinematics integrate a drop and stop drifting at rest."""

import math

import numpy as np
import pytest

from imuhold.detect.params import DetectorParams
from imuhold.model import Sample
from imuhold.motion.orientation import OrientationEstimator, missing_periods
from imuhold.motion.quaternion import up_in_sensor
from imuhold.motion.vertical import VerticalTracker, integrate_movement, vertical_acc_m_s2
from imuhold.units import STANDARD_GRAVITY_M_S2 as G

PARAMS = DetectorParams()
EXCURSION = {k: v for k, v in PARAMS.prefixed("vertical_").items() if "excursion" in k}


def tilting_stream(n=600, rate=100.0, drop_every=0):
    rng = np.random.default_rng(3)
    t = np.arange(n) / rate
    angle = np.radians(30.0) * np.sin(np.pi * t / t[-1]) ** 2  # tilt about x and back
    rate_x = np.gradient(angle, t)
    gyr = np.column_stack([rate_x, np.zeros(n), np.zeros(n)]) + rng.normal(0, 0.002, (n, 3))
    acc = np.column_stack([np.zeros(n), G * np.sin(angle), G * np.cos(angle)]) + rng.normal(0, 0.02, (n, 3))
    keep = np.ones(n, bool) if not drop_every else (np.arange(n) % drop_every != 5)
    return t[keep], gyr[keep], acc[keep], angle[keep]


@pytest.mark.parametrize("drop_every", [0, 7])
def test_streaming_equals_batch_and_tracks_tilt(drop_every):
    t, gyr, acc, angle = tilting_stream(drop_every=drop_every)
    batch = OrientationEstimator(100.0).run(t, gyr, acc)
    est = OrientationEstimator(100.0)
    stream = np.array([est.step(Sample(ti, None, tuple(a), tuple(g))) for ti, g, a in zip(t, gyr, acc, strict=True)])
    np.testing.assert_allclose(stream, batch, atol=1e-12)
    inclination = np.degrees([math.acos(min(1.0, up_in_sensor(tuple(q))[2])) for q in batch])
    assert np.max(np.abs(inclination - np.degrees(angle))) < 2.0


def test_sensor_quaternion_passes_through():
    q = (0.5, 0.5, 0.5, 0.5)
    assert OrientationEstimator(50).step(Sample(0.0, q, (0.0, 0.0, G))) == q


def test_missing_periods():
    assert missing_periods(0.01, 0.01) == 0
    assert missing_periods(0.031, 0.01) == 2
    assert missing_periods(100.0, 0.01) == 50


def test_vertical_acc_removes_gravity():
    assert vertical_acc_m_s2((0.0, 0.0, 1.0), (0.0, 0.0, G + 0.5)) == pytest.approx(0.5)
    assert vertical_acc_m_s2((0.0, 1.0, 0.0), (3.0, G, 0.0)) == pytest.approx(0.0)


def test_drop_integrated_and_held_at_rest():
    rate, depth, duration = 100.0, -0.5, 2.0
    tracker = VerticalTracker(**PARAMS.prefixed("vertical_"))
    t = np.arange(0, 6.0, 1 / rate)
    tau = np.clip((t - 1.0) / duration, 0, 1)
    acc = depth * (60 * tau - 180 * tau**2 + 120 * tau**3) / duration**2  # minimum-jerk acceleration
    drops = []
    for ti, ai, ta in zip(t, acc, tau, strict=True):
        speed_dps = 0.0 if ta <= 0 or ta >= 1 else 20.0
        _, drop = tracker.step(ti, ai + 0.01, speed_dps, 20.0 * ta, standing=ta <= 0)
        drops.append(drop)
    assert drops[-1] == pytest.approx(depth, abs=0.03)
    assert drops[-1] == drops[-50]


def test_posture_dependent_offset_is_removed_from_a_movement():
    """An accelerometer reading gravity 0.3 m/s² lower at the bottom posture must not fake a deeper squat."""
    rate, depth, duration = 200.0, -0.4, 2.0
    t = np.arange(0, duration, 1 / rate)
    tau = t / duration
    true_acc = depth * (60 * tau - 180 * tau**2 + 120 * tau**3) / duration**2
    inclination = 30.0 * (10 * tau**3 - 15 * tau**4 + 6 * tau**5)
    shape = (1 - np.cos(np.radians(inclination))) / (1 - np.cos(np.radians(30.0)))
    offset = 0.1 - 0.3 * shape  # an axis bias seen along a tilting vertical
    dts = [1 / rate] * len(t)
    corrected, lowest = integrate_movement(dts, list(true_acc + offset), list(inclination), 0.1, -0.2, **EXCURSION)
    naive, _ = integrate_movement(dts, list(true_acc + offset), list(inclination), 0.1, 0.1, **EXCURSION)
    assert lowest == pytest.approx(depth, abs=0.02)
    assert corrected == pytest.approx(depth, abs=0.02)
    assert abs(naive - depth) > 0.05


def down_and_up(depth, lean_deg, offset_change, rate=200.0, duration=6.0):
    """A squat that goes straight back up (no rest at the bottom), read with an offset that grows with the lean."""
    t = np.arange(0, duration, 1 / rate)
    tau = t / duration
    true_drop = depth * np.sin(np.pi * tau) ** 2
    true_acc = np.gradient(np.gradient(true_drop, t), t)
    inclination = 2.0 + lean_deg * np.sin(np.pi * tau) ** 2
    measured = true_acc + 0.1 + offset_change * (inclination - 2.0) / lean_deg
    return [1 / rate] * len(t), list(measured), list(inclination)


def test_offset_change_of_an_excursion_is_fitted_from_its_end_velocity():
    dts, accs, inclination = down_and_up(-0.4, 30.0, -0.25)
    end, lowest = integrate_movement(dts, accs, inclination, 0.1, 0.1, **EXCURSION)
    assert lowest == pytest.approx(-0.4, abs=0.03)
    assert end == pytest.approx(0.0, abs=0.03)
    velocity = np.cumsum((np.array(accs) - 0.1) * dts[0])
    naive = np.cumsum(velocity * dts[0]) - 0.5 * velocity[-1] * (np.cumsum(dts) ** 2) / sum(dts)
    assert abs(naive.min() + 0.4) > 0.1  # linear drift removal alone gets this depth badly wrong


def test_excursion_without_offset_change_keeps_its_depth():
    dts, accs, inclination = down_and_up(-0.35, 20.0, 0.0)
    _, lowest = integrate_movement(dts, accs, inclination, 0.1, 0.1, **EXCURSION)
    assert lowest == pytest.approx(-0.35, abs=0.02)


def test_too_large_an_excursion_adds_no_depth():
    """A stoop leans 75° and back: the offsets on the way were never measured, so no depth is claimed."""
    dts, accs, inclination = down_and_up(-0.6, 75.0, -0.8)
    assert integrate_movement(dts, accs, inclination, 0.1, 0.1, **EXCURSION) == (0.0, 0.0)


def test_an_excursion_within_the_limit_keeps_its_depth():
    """A squat leaning 55° with no rest at the bottom (SisFall SA10 squats so) still gets its depth."""
    dts, accs, inclination = down_and_up(-0.5, 55.0, -0.3)
    _, lowest = integrate_movement(dts, accs, inclination, 0.1, 0.1, **EXCURSION)
    assert lowest == pytest.approx(-0.5, abs=0.05)


def test_offset_is_seeded_from_calibration():
    tracker = VerticalTracker(**PARAMS.prefixed("vertical_"))
    tracker.start_offset(0.3)  # the sensor reads gravity 3 % high
    for i in range(100):
        velocity, drop = tracker.step(i / 100, 0.3, 0.5, 0.0, standing=True)
    assert (velocity, drop) == (0.0, 0.0)
    assert tracker.at_rest
