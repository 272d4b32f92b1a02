"""Movement boundaries from a motion history: minimum-jerk transitions, drift, small movements, missing data."""

import numpy as np
import pytest

from imuhold.detect.boundaries import EventTimes, MotionHistory
from imuhold.detect.params import DetectorParams

RATE_HZ = 100.0


def min_jerk(t_s: np.ndarray, t0_s: float, t1_s: float) -> tuple[np.ndarray, np.ndarray]:
    """Position 0 → 1 over [t0_s, t1_s] and its rate (1/s), minimum-jerk."""
    u = np.clip((t_s - t0_s) / (t1_s - t0_s), 0.0, 1.0)
    return u**3 * (10.0 - 15.0 * u + 6.0 * u * u), 30.0 * u * u * (1.0 - u) ** 2 / (t1_s - t0_s)


def descent(duration_s=7.0, tilt_deg=20.0, drop_m=0.45, noise_deg=0.15, seed=1):
    """Samples of a descent from 2 s to 4 s: t, tilt, obliquity (noisy) and vertical velocity (exact)."""
    rng = np.random.default_rng(seed)
    t = np.arange(0.0, duration_s, 1.0 / RATE_HZ)
    k, rate = min_jerk(t, 2.0, 4.0)
    tilt = tilt_deg * k + rng.normal(0.0, noise_deg, t.size)
    obliquity = rng.normal(0.0, noise_deg, t.size)
    return t, tilt, obliquity, -drop_m * rate


def history_of(t, tilt, obliquity, velocity=None, length_s=None):
    history = EventTimes(DetectorParams())
    if length_s is not None:
        history = MotionHistory(length_s, DetectorParams())
    for i in range(t.size):
        history.add(float(t[i]), float(tilt[i]), float(obliquity[i]), None if velocity is None else float(velocity[i]))
    return history


def test_start_and_end_of_a_minimum_jerk_descent_within_a_few_samples():
    history = history_of(*descent())
    floor = history.floor_dps(0.0, 1.8)
    assert history.onset_s(2.5, 3.5, floor) == pytest.approx(2.0, abs=0.05)
    assert history.end_s(2.5, 3.5, history.floor_dps(4.2, 6.5)) == pytest.approx(4.0, abs=0.05)


def test_tilt_alone_crosses_its_threshold_inside_the_transition():
    # Without vertical velocity the tilt speed's crossing of its noise floor is kept as it is: late for a start,
    # early for an end, by a tenth of the transition or so.
    t, tilt, obliquity, _ = descent()
    history = history_of(t, tilt, obliquity)
    onset = history.onset_s(2.5, 3.5, history.floor_dps(0.0, 1.8))
    end = history.end_s(2.5, 3.5, history.floor_dps(4.2, 6.5))
    assert 2.0 < onset < 2.3
    assert 3.7 < end < 4.0


def test_velocity_drifting_after_the_end_does_not_delay_it():
    # An accelerometer offset in the new posture: the velocity ramps away instead of settling at zero, until the
    # tracker sees rest at 5 s and holds it at zero. The end is where the speed stopped falling, not at 5 s.
    t, tilt, obliquity, velocity = descent()
    after = (t > 4.0) & (t < 5.0)
    velocity[after] -= 0.05 * (t[after] - 4.0)
    history = history_of(t, tilt, obliquity, velocity)
    assert history.end_s(2.5, 3.5, history.floor_dps(4.2, 6.5)) == pytest.approx(4.0, abs=0.05)


def test_a_small_vertical_movement_is_left_to_the_tilt_speed():
    # A re-adjustment that barely moves the pelvis vertically: its vertical speed is drift-sized, not dated.
    t, tilt, obliquity, velocity = descent()
    small = 0.1 * velocity  # peak 0.04 m/s, below a movement's 0.12 m/s
    with_small = history_of(t, tilt, obliquity, small)
    tilt_only = history_of(t, tilt, obliquity)
    floor = tilt_only.floor_dps(0.0, 1.8)
    assert with_small.onset_s(2.5, 3.5, floor) == tilt_only.onset_s(2.5, 3.5, floor)


def test_a_boundary_outside_the_history_is_not_guessed():
    t, tilt, obliquity, velocity = descent()
    history = history_of(t, tilt, obliquity, velocity, length_s=1.5)  # holds 5.5–7 s: the descent is gone
    assert history.onset_s(5.5, 7.0) is None
    recent = history_of(*(a[:330] for a in (t, tilt, obliquity, velocity)))  # up to 3.3 s: the end is to come
    assert recent.end_s(2.5, 3.2) is None


def test_event_times_fall_back_to_the_coarse_time_and_stay_in_bounds():
    t = np.arange(0.0, 6.0, 1.0 / RATE_HZ)
    still = history_of(t, 0.1 * np.sin(t), np.zeros_like(t), np.zeros_like(t))
    assert still.hold_start_s(3.0, 5.0, 0.0) == 3.0  # nothing moved: nothing to refine
    history = history_of(*descent())
    assert history.entry_s(2.4, 3.0, earliest_s=2.2) == 2.2  # never before the previous event
    assert history.hold_start_s(3.8, 4.01, earliest_s=2.0) <= 4.01  # never after what is known
    found = history.hold_end_s(4.5, 6.9, start_s=4.0)
    assert found == 4.5  # no movement after the hold's last stable sample: the coarse time


def test_history_keeps_only_its_length():
    history = MotionHistory(2.0, DetectorParams())
    for i in range(1000):
        history.add(i / RATE_HZ, 0.0, 0.0, None)
    assert history.floor_dps(0.0, 7.5) is None  # long gone
    assert history.floor_dps(8.0, 9.5) == pytest.approx(0.0)  # still: no speed at all


@pytest.mark.parametrize("block", [7, 150, 1000])
def test_history_extended_in_blocks_equals_one_sample_at_a_time(block):
    t, tilt, obliquity, _ = descent()
    one = history_of(t, tilt, obliquity, np.zeros(t.size), length_s=1.5)
    many = MotionHistory(1.5, DetectorParams())
    many.add(float(t[0]), float(tilt[0]), float(obliquity[0]), 0.0)
    for a in range(1, t.size, block):
        many.extend(t[a : a + block], tilt[a : a + block], obliquity[a : a + block], 0.0)
    assert list(many._rows) == list(one._rows)
    assert many.onset_s(2.5, 6.9) == one.onset_s(2.5, 6.9)
