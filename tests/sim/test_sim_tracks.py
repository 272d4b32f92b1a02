"""Shapes and tracks: values and their exact derivatives agree with numerical differentiation."""

from __future__ import annotations

import numpy as np
import pytest

from imuhold.sim.tracks import Track, band_noise, bump, min_jerk, oscillation, plateau, plateau_integral

RATE_HZ = 1000.0
T_S = np.arange(0, 10.0, 1 / RATE_HZ)


def _assert_derivatives(curve, rtol=1e-3):
    value, d1, d2 = curve
    scale1 = np.max(np.abs(d1)) + 1e-12
    scale2 = np.max(np.abs(d2)) + 1e-12
    num1 = np.gradient(value, 1 / RATE_HZ)
    num2 = np.gradient(d1, 1 / RATE_HZ)
    inner = slice(2, -2)
    assert np.max(np.abs(num1 - d1)[inner]) < rtol * scale1 * 10
    assert np.max(np.abs(num2 - d2)[inner]) < rtol * scale2 * 10


def test_min_jerk_goes_from_rest_to_rest():
    v, d1, d2 = min_jerk(np.array([0.0, 0.5, 1.0]))
    assert v.tolist() == [0.0, 0.5, 1.0]
    assert d1[0] == d1[2] == 0.0 and d1[1] == pytest.approx(1.875)
    assert d2[0] == d2[2] == 0.0


@pytest.mark.parametrize(
    ("shape", "duration_s"),
    [
        (lambda t: plateau(t, 6.0, 1.0), 6.0),
        (lambda t: oscillation(t, 6.0, 1.0, 2.0, 1.8, 0.3), 6.0),
        (lambda t: bump(t, 0.5, 7.0), 0.5),
    ],
)
def test_shape_derivatives(shape, duration_s):
    _assert_derivatives(shape(T_S[duration_s >= T_S]))


def test_bump_peaks_in_the_middle_and_rests_at_the_ends():
    value, d1, d2 = bump(np.array([0.0, 0.25, 0.5]), 0.5, 7.0)
    assert value.tolist() == [0.0, pytest.approx(7.0), 0.0]
    assert d1[0] == d1[2] == 0.0 and d2[0] == d2[2] == 0.0


def test_plateau_integral_is_the_integral():
    t = T_S
    e = plateau(t, 6.0, 1.0)[0]
    numeric = np.concatenate([[0.0], np.cumsum((e[1:] + e[:-1]) / 2) / RATE_HZ])
    exact = plateau_integral(t, 6.0, 1.0)
    assert np.max(np.abs(numeric - exact)[t <= 6.0]) < 1e-5
    assert plateau_integral(np.array([6.0]), 6.0, 1.0)[0] == pytest.approx(5.0)


def test_track_ramps_steps_and_transients():
    track = Track(T_S, level=1.0)
    track.ramp_to(1.0, 3.0, 4.0)
    track.add(4.0, 5.0, lambda t: bump(t, 1.0, 2.0))
    track.ramp_by(6.0, 7.0, -1.0)
    value, d1, d2 = track.curve()
    at = lambda s: value[round(s * RATE_HZ)]  # noqa: E731
    assert at(0.5) == 1.0
    assert at(2.0) == pytest.approx(2.5)
    assert at(3.5) == 4.0
    assert at(4.5) == pytest.approx(6.0)
    assert at(5.5) == 4.0
    assert at(9.0) == 3.0
    assert track.level == 3.0
    _assert_derivatives((value, d1, d2))


def test_band_noise_is_smooth_unit_rms_and_in_band():
    rng = np.random.default_rng(0)
    n = 60_001
    value, d1, d2 = band_noise(rng, n, 100.0, 0.1, 1.0)
    assert np.sqrt(np.mean(value**2)) == pytest.approx(1.0)
    spectrum = np.abs(np.fft.rfft(value))
    freq = np.fft.rfftfreq(n, 0.01)
    assert spectrum[freq > 1.2].max() < 0.02 * spectrum.max()
    t = np.arange(n) / 100.0
    assert np.allclose(np.gradient(value, t)[2:-2], d1[2:-2], atol=0.01 * np.abs(d1).max())
    assert np.allclose(np.gradient(d1, t)[2:-2], d2[2:-2], atol=0.01 * np.abs(d2).max())
