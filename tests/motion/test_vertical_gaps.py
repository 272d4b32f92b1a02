"""Vertical kinematics across gaps in the data: a movement between two rests is measured across a short gap, and
nothing is integrated across a longer one."""

from __future__ import annotations

import numpy as np
import pytest

from imuhold.detect.params import DetectorParams
from imuhold.motion.vertical import VerticalTracker, integrate_movement

PARAMS = DetectorParams()
EXCURSION = {k: v for k, v in PARAMS.prefixed("vertical_").items() if "excursion" in k}
RATE_HZ = 100.0


def descent(depth_m: float = 0.5, duration_s: float = 1.5, rest_s: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """(t, vertical acceleration) of a minimum-jerk descent between two rests (it peaks at 0.94 m/s)."""
    t = np.arange(0.0, duration_s + 2 * rest_s, 1.0 / RATE_HZ)
    tau = np.clip((t - rest_s) / duration_s, 0.0, 1.0)
    acc = -depth_m * (60 * tau - 180 * tau**2 + 120 * tau**3) / duration_s**2
    return t, np.where((t > rest_s) & (t < rest_s + duration_s), acc, 0.0)


@pytest.mark.parametrize(("from_s", "to_s"), [(1.4, 1.9), (1.0, 1.6), (1.9, 2.5)])
def test_a_movement_is_measured_across_a_gap_between_its_rests(from_s, to_s):
    t, acc = descent()
    keep = (t < from_s) | (t >= to_s)
    kept_t, kept_acc = t[keep], acc[keep]
    dts = np.diff(kept_t, prepend=kept_t[0])
    (gap,) = np.flatnonzero(dts > 0.1)
    incl = np.zeros(len(kept_t))
    drop, lowest = integrate_movement(list(dts), list(kept_acc), list(incl), 0.0, 0.0, **EXCURSION, gaps=(int(gap),))
    assert drop == pytest.approx(-0.5, abs=0.05) and lowest == pytest.approx(-0.5, abs=0.05)
    if from_s <= 1.0 or to_s >= 2.5:  # the gap hides the start or the end of the movement: its acceleration
        linear, _ = integrate_movement(list(dts), list(kept_acc), list(incl), 0.0, 0.0, **EXCURSION)
        assert abs(linear + 0.5) > 2 * abs(drop + 0.5)  # is not simply interpolated across the gap


def tracker() -> VerticalTracker:
    tracker = VerticalTracker(**PARAMS.prefixed("vertical_"))
    tracker.start_offset(0.0)
    return tracker


def feed(tracker: VerticalTracker, t: np.ndarray, acc: np.ndarray, speed: np.ndarray) -> list[float]:
    return [tracker.step(float(a), float(b), float(c), 10.0, False)[1] for a, b, c in zip(t, acc, speed, strict=True)]


def test_the_tracker_bridges_a_short_gap_and_shows_nothing_until_the_rest_after_it():
    t, acc = descent()
    speed = np.where(acc != 0.0, 20.0, 0.5)  # tilt speed: moving while accelerating
    gap = (t >= 1.4) & (t < 1.9)
    vertical = tracker()
    drops = feed(vertical, t[t < 1.4], acc[t < 1.4], speed[t < 1.4])
    assert vertical.restart(0.5, standing=False)
    after = ~gap & (t >= 1.9)
    drops += feed(vertical, t[after], acc[after], speed[after])
    hidden = [d for d, tt in zip(drops[-len(t[after]) :], t[after], strict=True) if tt < 2.5]
    assert len(set(hidden)) == 1  # nothing shown live after the gap until the rest
    assert drops[-1] == pytest.approx(-0.5, abs=0.08) and vertical.settled


def test_after_a_long_gap_nothing_is_integrated_across_it():
    t, acc = descent()
    speed = np.where(acc != 0.0, 20.0, 0.5)
    vertical = tracker()
    before = t < 1.2
    feed(vertical, t[before], acc[before], speed[before])
    assert not vertical.restart(1.5, standing=False)
    after = t >= 2.7  # the descent ended in the gap: only rest is seen after it
    drops = feed(vertical, t[after], acc[after], speed[after])
    assert drops[-1] == pytest.approx(drops[0], abs=0.01) and abs(drops[-1]) < 0.15
