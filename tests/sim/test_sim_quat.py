"""Quaternion helpers against rotation matrices, and the pelvis angle conventions."""

from __future__ import annotations

import math

import numpy as np
import pytest

from imuhold.sim import quat


def _matrix(q):
    w, x, y, z = q
    return np.array(
        [
            [1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)],
            [2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)],
            [2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)],
        ]
    )


def _rz(a):
    return np.array([[math.cos(a), -math.sin(a), 0], [math.sin(a), math.cos(a), 0], [0, 0, 1]])


def _ry(a):
    return np.array([[math.cos(a), 0, math.sin(a)], [0, 1, 0], [-math.sin(a), 0, math.cos(a)]])


def _rx(a):
    return np.array([[1, 0, 0], [0, math.cos(a), -math.sin(a)], [0, math.sin(a), math.cos(a)]])


def test_multiply_and_rotate_match_matrices():
    rng = np.random.default_rng(3)
    a, b = quat.random_rotation(rng), quat.random_rotation(rng)
    v = rng.normal(size=3)
    assert np.allclose(_matrix(quat.multiply(a, b)), _matrix(a) @ _matrix(b))
    assert np.allclose(quat.rotate(a, v), _matrix(a) @ v)
    assert np.allclose(quat.rotate(quat.conjugate(a), quat.rotate(a, v)), v)


def test_yaw_tilt_obliquity_is_rz_ry_rx():
    yaw, tilt, obl = 2.1, 0.4, -0.2
    q = quat.from_yaw_tilt_obliquity(np.array(yaw), np.array(tilt), np.array(obl))
    assert np.allclose(_matrix(q), _rz(yaw) @ _ry(tilt) @ _rx(obl))


def test_anterior_tilt_moves_the_top_of_the_pelvis_forward():
    q = quat.from_yaw_tilt_obliquity(np.array(0.0), np.array(math.radians(30)), np.array(0.0))
    top = quat.rotate(q, np.array([0.0, 0.0, 1.0]))
    assert top[0] == pytest.approx(0.5)  # towards anterior (+x)
    assert top[2] == pytest.approx(math.cos(math.radians(30)))


def test_rotvec_round_trip_including_zero():
    rng = np.random.default_rng(4)
    rv = np.vstack([np.zeros(3), rng.normal(size=(5, 3))])
    rv[1:] *= 1.0 / np.maximum(1.0, np.linalg.norm(rv[1:], axis=1, keepdims=True) / 3.0)
    assert np.allclose(quat.to_rotvec(quat.from_rotvec(rv)), rv)
    assert np.allclose(quat.from_rotvec(np.zeros(3)), quat.IDENTITY)
    assert quat.angle_between_rad(quat.IDENTITY, quat.about_z(np.array(0.3))) == pytest.approx(0.3)
