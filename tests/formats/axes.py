"""Checks of a real file's axes: does the gyro turn the gravity direction the accelerometer sees as it should?"""

from __future__ import annotations

import numpy as np

from imuhold.formats.base import Imported

SIGN_FLIPS = {"as given": (1, 1, 1), "-x": (-1, 1, 1), "-y": (1, -1, 1), "-z": (1, 1, -1)}


def _residual(trial: Imported, signs: np.ndarray, window_s: float) -> tuple[float, float]:
    """Squared residual and total of d(ĝ)/dt ≈ −ω × ĝ (ĝ: smoothed gravity direction in the sensor frame), with
    the gyro axes multiplied by ``signs``; half a second trimmed at each end."""
    assert trial.gyr_rad_s is not None
    kernel = np.ones(round(window_s * trial.rate_hz)) / round(window_s * trial.rate_hz)
    g = np.stack([np.convolve(trial.acc_m_s2[:, i], kernel, "same") for i in range(3)], axis=1)
    g /= np.linalg.norm(g, axis=1, keepdims=True)
    w = np.stack([np.convolve(trial.gyr_rad_s[:, i], kernel, "same") for i in range(3)], axis=1) * signs
    trim = round(0.5 * trial.rate_hz)
    dg = (np.gradient(g, axis=0) * trial.rate_hz)[trim:-trim]
    residual = dg + np.cross(w, g)[trim:-trim]
    return float(np.sum(residual**2)), float(np.sum(dg**2))


def gyro_fits(trials: list[Imported], window_s: float) -> dict[str, float]:
    """R² of d(ĝ)/dt = −ω × ĝ over ``trials``, for the gyro as given and with each axis flipped."""
    fits = {}
    for name, signs in SIGN_FLIPS.items():
        sums = np.array([_residual(t, np.array(signs), window_s) for t in trials]).sum(axis=0)
        fits[name] = float(1.0 - sums[0] / sums[1])
    return fits
