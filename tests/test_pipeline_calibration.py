"""Bias-aware standing calibration in the pipeline: a gyro offset is measured and removed, a converging sensor is
waited for."""

import math

import numpy as np
import pytest

from imuhold.model import EventKind, Sample
from imuhold.pipeline import Pipeline
from imuhold.protocol import get_profile
from imuhold.units import STANDARD_GRAVITY_M_S2 as G

RATE = 100.0
UP = np.array([0.0, -0.6, 0.8])  # the sensor strapped at an angle


def standing_raw(seconds, gyr_offset_dps, seed=0):
    """A raw-gyro sensor on a person standing still: gravity along UP, the gyro reading only its offset and noise."""
    rng = np.random.default_rng(seed)
    offset = np.radians(gyr_offset_dps)
    for i in range(int(seconds * RATE)):
        acc = G * UP + rng.normal(0.0, 0.03, 3)
        gyr = offset + rng.normal(0.0, 0.003, 3)
        yield Sample(i / RATE, None, tuple(acc), tuple(gyr))


@pytest.mark.parametrize("offset_dps", [(0.0, 0.0, 0.0), (3.5, -1.0, 0.5), (5.0, 5.0, -5.0)])
def test_a_gyro_offset_is_measured_at_calibration_and_the_standing_reference_does_not_drift(offset_dps):
    pipeline = Pipeline(get_profile("imuhold-v1"), RATE)
    inclinations = []
    for sample in standing_raw(30.0, offset_dps):
        pipeline.step(sample)
        if pipeline.frame is not None:
            inclinations.append(pipeline.live.inclination_deg)
    calibrated = [e for e in pipeline.events if e.kind is EventKind.CALIBRATED]
    assert len(calibrated) == 1 and calibrated[0].t_s < 1.5
    assert np.degrees(pipeline.gyr_offset_rad_s) == pytest.approx(offset_dps, abs=0.05)
    assert np.nanmax(inclinations) < 1.0  # still standing, read as still (a8af5d7: up to 7.8° at 3.5 °/s, 11.3° at 5)


def test_a_sensor_whose_own_orientation_still_converges_is_waited_for():
    """A quaternion sensor whose fusion is still settling (its vertical turns 3 °/s for 4 s) calibrates after it."""
    pipeline = Pipeline(get_profile("imuhold-v1"), RATE)
    for i in range(int(8 * RATE)):
        t = i / RATE
        angle = math.radians(3.0 * min(t, 4.0)) / 2.0
        quat = (math.cos(angle), math.sin(angle), 0.0, 0.0)
        pipeline.step(Sample(t, quat, (0.0, 0.0, G), None))
    calibrated = [e.t_s for e in pipeline.events if e.kind is EventKind.CALIBRATED]
    assert len(calibrated) == 1 and calibrated[0] >= 4.0  # a8af5d7: at 1.0 s
