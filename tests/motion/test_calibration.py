"""Standing calibration: waits for quiet, steady standing, tolerates an accelerometer that reads gravity a few % off,
and measures the gyro's offset."""

import math

import pytest

from imuhold.motion.calibration import StandingCalibrator
from imuhold.units import STANDARD_GRAVITY_M_S2 as G

UP = (0.0, 0.6, 0.8)


def feed(calibrator, samples, rate=100.0, gyr=None):
    """``samples``: (speed, acc norm) pairs, the acceleration along UP; returns (time, Standing) or (None, None)."""
    for i, (speed, norm) in enumerate(samples):
        acc = tuple(norm * u for u in UP)
        standing = calibrator.step(i / rate, UP, speed, acc, gyr)
        if standing is not None:
            return i / rate, standing
    return None, None


def test_calibrates_after_quiet_standing_with_scale_error():
    calibrator = StandingCalibrator(1.5, 6.0, 0.8)
    t, standing = feed(calibrator, [(1.0, 1.066 * G)] * 300)  # reads 6.6 % high, like SisFall's SA03
    assert t == pytest.approx(1.5, abs=0.011)
    assert standing.up == pytest.approx(UP)
    assert standing.samples == 151
    assert standing.gravity_offset_m_s2 == pytest.approx(0.066 * G, abs=1e-9)
    assert standing.gyr_offset_rad_s is None


def test_movement_restarts_the_wait():
    calibrator = StandingCalibrator(1.5, 6.0, 0.8)
    samples = [(1.0, G)] * 100 + [(20.0, G)] + [(1.0, G)] * 200
    t, _ = feed(calibrator, samples)
    assert t == pytest.approx(1.01 + 1.5, abs=0.011)


def test_unsteady_or_implausible_acceleration_is_not_quiet():
    assert feed(StandingCalibrator(1.5, 6.0, 0.8), [(1.0, G + (1.0 if i % 2 else 0.0)) for i in range(300)])[0] is None
    assert feed(StandingCalibrator(1.5, 6.0, 0.8), [(1.0, 1.3 * G)] * 300)[0] is None


def test_the_gyro_offset_is_the_mean_rate_at_rest():
    offset = (0.06, -0.03, 0.01)  # 3.4, -1.7, 0.6 °/s
    _, standing = feed(StandingCalibrator(1.0, 6.0, 0.8), [(1.0, G)] * 200, gyr=offset)
    assert standing.gyr_offset_rad_s == pytest.approx(offset)


def drifting(calibrator, rate_dps, seconds=8.0, rate=100.0, gyr=None):
    """The orientation's vertical turns at ``rate_dps`` (a filter still converging); gravity stays put."""
    for i in range(int(seconds * rate)):
        a = math.radians(rate_dps * i / rate)
        up = (math.sin(a), math.cos(a) * 0.6, math.cos(a) * 0.8)
        standing = calibrator.step(i / rate, up, 0.5, tuple(G * u for u in UP), gyr)
        if standing is not None:
            return i / rate
    return None


def test_an_orientation_still_converging_is_not_a_standing_reference():
    assert drifting(StandingCalibrator(1.0, 6.0, 0.8, max_drift_deg=1.5), 3.0) is None
    assert drifting(StandingCalibrator(1.0, 6.0, 0.8, max_drift_deg=1.5), 0.5) == pytest.approx(1.0, abs=0.1)


def test_with_raw_gyro_steadiness_is_judged_on_gravity_not_on_the_drifting_filter():
    # imuhold re-runs its own filter with the measured offset, so a drift there does not matter; a still body does
    t = drifting(StandingCalibrator(1.0, 6.0, 0.8, max_drift_deg=1.5), 3.0, gyr=(0.05, 0.0, 0.0))
    assert t == pytest.approx(1.0, abs=0.02)


def test_a_body_leaning_slowly_restarts_the_wait():
    calibrator = StandingCalibrator(1.0, 6.0, 0.8, max_drift_deg=1.5)
    for i in range(800):  # leans 2 °/s, slower than any speed threshold
        a = math.radians(2.0 * i / 100.0)
        acc = (G * math.sin(a), G * math.cos(a), 0.0)
        assert calibrator.step(i / 100.0, UP, 2.0, acc, (0.0, 0.0, 0.0)) is None
