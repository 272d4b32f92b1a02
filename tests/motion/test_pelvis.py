"""Pelvic angle conventions: anterior tilt positive, right side up positive, any sensor mounting."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from imuhold.detect.params import DetectorParams
from imuhold.motion import quaternion as qm
from imuhold.motion.pelvis import PelvisFrame

AXIS_LEARNING_DEG = DetectorParams().axis_learning_deg

# Pelvis frame: x anterior, y left, z up. Anterior tilt = rotation about +y (left); right side up = about -x.


def pelvis_quat(tilt_deg: float, obliquity_deg: float, heading_deg: float = 0.0):
    heading = qm.from_axis_angle((0, 0, 1), math.radians(heading_deg))
    tilt = qm.from_axis_angle((0, 1, 0), math.radians(tilt_deg))
    obliquity = qm.from_axis_angle((-1, 0, 0), math.radians(obliquity_deg))
    return qm.multiply(heading, qm.multiply(obliquity, tilt))  # Baker: rotation, obliquity, tilt


def sensor_up(pelvis_q, mount):
    return qm.up_in_sensor(qm.multiply(pelvis_q, mount))


mounts = st.tuples(*[st.floats(-1, 1)] * 4).filter(lambda q: sum(c * c for c in q) > 1e-2).map(qm.normalize)


@given(mounts, st.floats(-40, 60), st.floats(-20, 20), st.floats(-180, 180))
def test_angles_recovered_for_any_mount_and_heading(mount, tilt, obliquity, heading):
    frame = PelvisFrame(sensor_up(qm.IDENTITY, mount))
    frame = frame.with_axis_from(sensor_up(pelvis_quat(25.0, 0.0, 70.0), mount), AXIS_LEARNING_DEG)
    assert frame is not None
    got_tilt, got_obl = frame.angles_deg(sensor_up(pelvis_quat(tilt, obliquity, heading), mount))
    assert got_tilt == pytest.approx(tilt, abs=1e-6)
    assert got_obl == pytest.approx(obliquity, abs=1e-6)


def test_axis_not_learned_from_small_lean_and_tilt_is_inclination_until_then():
    frame = PelvisFrame((0.0, 0.0, 1.0))
    up = qm.up_in_sensor(pelvis_quat(5.0, 0.0))
    assert frame.with_axis_from(up, AXIS_LEARNING_DEG) is None
    tilt, obliquity = frame.angles_deg(qm.up_in_sensor(pelvis_quat(-20.0, 0.0)))
    assert (tilt, obliquity) == (pytest.approx(20.0), 0.0)


def test_array_matches_scalar():
    frame = PelvisFrame((0.0, 0.0, 1.0)).with_axis_from(qm.up_in_sensor(pelvis_quat(20, 0)), AXIS_LEARNING_DEG)
    ups = np.array([qm.up_in_sensor(pelvis_quat(t, o, h)) for t, o, h in [(10, 3, 0), (-5, -8, 90), (45, 1, 200)]])
    incl, tilt, obl = frame.angles_deg_array(ups)
    for i, up in enumerate(ups):
        assert (tilt[i], obl[i]) == pytest.approx(frame.angles_deg(tuple(up)), abs=1e-9)
        assert incl[i] == pytest.approx(frame.inclination_deg(tuple(up)), abs=1e-9)
