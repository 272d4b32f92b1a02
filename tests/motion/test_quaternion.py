"""Property tests of the quaternion helpers (w, x, y, z order)."""

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from imuhold.motion import quaternion as qm

finite = st.floats(-1.0, 1.0, allow_nan=False)
vectors = st.tuples(st.floats(-10, 10), st.floats(-10, 10), st.floats(-10, 10))
quats = st.tuples(finite, finite, finite, finite).filter(lambda q: sum(c * c for c in q) > 1e-3).map(qm.normalize)


def close(a, b, tol=1e-9):
    return all(math.isclose(x, y, abs_tol=tol) for x, y in zip(a, b, strict=True))


@given(quats, vectors)
def test_rotation_preserves_length(q, v):
    r = qm.rotate(q, v)
    assert math.isclose(math.dist(r, (0, 0, 0)), math.dist(v, (0, 0, 0)), abs_tol=1e-9)


@given(quats, quats, vectors)
def test_multiply_composes_rotations(a, b, v):
    assert close(qm.rotate(qm.multiply(a, b), v), qm.rotate(a, qm.rotate(b, v)), 1e-8)


@given(quats, vectors)
def test_conjugate_undoes_rotation(q, v):
    assert close(qm.rotate(qm.conjugate(q), qm.rotate(q, v)), v, 1e-8)


@given(quats)
def test_up_in_sensor_is_earth_up_rotated_back(q):
    assert close(qm.up_in_sensor(q), qm.rotate(qm.conjugate(q), (0.0, 0.0, 1.0)), 1e-12)


@given(quats, quats)
def test_angle_between_is_sign_invariant_and_symmetric(a, b):
    neg = tuple(-c for c in b)
    assert math.isclose(qm.angle_between(a, b), qm.angle_between(a, neg), abs_tol=1e-7)
    assert math.isclose(qm.angle_between(a, b), qm.angle_between(b, a), abs_tol=1e-7)


def test_axis_angle_rotates_right_handed():
    q = qm.from_axis_angle((0.0, 0.0, 1.0), math.pi / 2)
    assert close(qm.rotate(q, (1.0, 0.0, 0.0)), (0.0, 1.0, 0.0), 1e-12)
    assert math.isclose(qm.angle_between(qm.IDENTITY, q), math.pi / 2, abs_tol=1e-12)


@settings(max_examples=30)
@given(st.lists(st.tuples(quats, vectors), min_size=1, max_size=20))
def test_array_versions_match_scalar(pairs):
    q = np.array([p[0] for p in pairs])
    v = np.array([p[1] for p in pairs])
    np.testing.assert_allclose(qm.rotate_array(q, v), [qm.rotate(a, b) for a, b in pairs], atol=1e-9)
    np.testing.assert_allclose(qm.up_in_sensor_array(q), [qm.up_in_sensor(a) for a, _ in pairs], atol=1e-12)
    np.testing.assert_allclose(
        qm.multiply_array(q, q[::-1]), [qm.multiply(a, b) for a, b in zip(q, q[::-1], strict=True)], atol=1e-12
    )
