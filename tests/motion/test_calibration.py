"""Standing calibration: waits for quiet standing, tolerates an accelerometer that reads gravity a few % off."""

import pytest

from imuhold.motion.calibration import StandingCalibrator
from imuhold.units import STANDARD_GRAVITY_M_S2 as G


def feed(calibrator, samples, rate=100.0):
    for i, (speed, norm) in enumerate(samples):
        frame = calibrator.step(i / rate, (0.0, 0.6, 0.8), speed, norm)
        if frame is not None:
            return i / rate, frame
    return None, None


def test_calibrates_after_quiet_standing_with_scale_error():
    calibrator = StandingCalibrator(1.5, 6.0, 0.8)
    t, frame = feed(calibrator, [(1.0, 1.066 * G)] * 300)  # reads 6.6 % high, like SisFall's SA03
    assert t == pytest.approx(1.5, abs=0.011)
    assert frame.up0 == pytest.approx((0.0, 0.6, 0.8))
    assert calibrator.gravity_offset_m_s2 == pytest.approx(0.066 * G, abs=1e-9)


def test_movement_restarts_the_wait():
    calibrator = StandingCalibrator(1.5, 6.0, 0.8)
    samples = [(1.0, G)] * 100 + [(20.0, G)] + [(1.0, G)] * 200
    t, _ = feed(calibrator, samples)
    assert t == pytest.approx(1.01 + 1.5, abs=0.011)


def test_unsteady_or_implausible_acceleration_is_not_quiet():
    assert feed(StandingCalibrator(1.5, 6.0, 0.8), [(1.0, G + (1.0 if i % 2 else 0.0)) for i in range(300)])[0] is None
    assert feed(StandingCalibrator(1.5, 6.0, 0.8), [(1.0, 1.3 * G)] * 300)[0] is None
