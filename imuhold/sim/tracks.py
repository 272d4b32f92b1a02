"""Pose channels sampled at the sensor times with exact first and second time derivatives, and their shapes."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Curve = tuple[np.ndarray, np.ndarray, np.ndarray]
"""A signal and its first and second time derivatives, sampled at the same times."""


def min_jerk(u: np.ndarray) -> Curve:
    """The minimum-jerk step 10u³−15u⁴+6u⁵ on u ∈ [0, 1] and its derivatives with respect to u."""
    u = np.clip(u, 0.0, 1.0)
    return (
        u**3 * (10.0 - 15.0 * u + 6.0 * u * u),
        30.0 * u * u * (1.0 - u) ** 2,
        60.0 * u * (1.0 - u) * (1.0 - 2.0 * u),
    )


def _min_jerk_integral(u: np.ndarray) -> np.ndarray:
    return u**4 * (2.5 - 3.0 * u + u * u)


def plateau(t_s: np.ndarray, duration_s: float, ramp_s: float) -> Curve:
    """0 → 1 → 0 over [0, duration_s] with minimum-jerk edges of ramp_s; time is relative to the start."""
    up = min_jerk(t_s / ramp_s)
    down = min_jerk((duration_s - t_s) / ramp_s)
    rising = t_s < ramp_s
    falling = t_s > duration_s - ramp_s
    value = np.where(rising, up[0], np.where(falling, down[0], 1.0))
    d1 = np.where(rising, up[1] / ramp_s, np.where(falling, -down[1] / ramp_s, 0.0))
    d2 = np.where(rising, up[2] / ramp_s**2, np.where(falling, down[2] / ramp_s**2, 0.0))
    return value, d1, d2


def plateau_integral(t_s: np.ndarray, duration_s: float, ramp_s: float) -> np.ndarray:
    """∫₀ᵗ plateau; reaches duration_s − ramp_s at the end."""
    total = duration_s - ramp_s
    rising = ramp_s * _min_jerk_integral(np.clip(t_s / ramp_s, 0.0, 1.0))
    flat = ramp_s / 2.0 + (t_s - ramp_s)
    falling = total - ramp_s * _min_jerk_integral(np.clip((duration_s - t_s) / ramp_s, 0.0, 1.0))
    return np.where(t_s < ramp_s, rising, np.where(t_s > duration_s - ramp_s, falling, flat))


def oscillation(
    t_s: np.ndarray, duration_s: float, ramp_s: float, amplitude: float, freq_hz: float, phase_rad: float = 0.0
) -> Curve:
    """amplitude·sin(2πft+φ) faded in and out by a plateau, so it starts and ends at rest."""
    e, e1, e2 = plateau(t_s, duration_s, ramp_s)
    w = 2.0 * np.pi * freq_hz
    s = np.sin(w * t_s + phase_rad)
    c = np.cos(w * t_s + phase_rad)
    return (
        amplitude * e * s,
        amplitude * (e1 * s + e * w * c),
        amplitude * (e2 * s + 2.0 * e1 * w * c - e * w * w * s),
    )


def bump(t_s: np.ndarray, duration_s: float, amplitude: float) -> Curve:
    """A smooth bump amplitude·64u³(1−u)³ with u = t/T: at rest (value, slope, curvature 0) at both ends."""
    u = np.clip(t_s / duration_s, 0.0, 1.0)
    return (
        amplitude * 64.0 * (u * (1.0 - u)) ** 3,
        amplitude * 192.0 * (u * (1.0 - u)) ** 2 * (1.0 - 2.0 * u) / duration_s,
        amplitude * 384.0 * u * (1.0 - u) * (1.0 - 5.0 * u + 5.0 * u * u) / duration_s**2,
    )


def band_noise(
    rng: np.random.Generator, n: int, rate_hz: float, f_lo_hz: float, f_hi_hz: float, slope: float = 1.5
) -> Curve:
    """Smooth random noise of unit RMS with an f^−slope amplitude spectrum between f_lo_hz and f_hi_hz.

    Built in the frequency domain, so its derivatives are exact at the sample times (the signal is
    band-limited far below the sample rate; it is periodic over a slightly longer, FFT-friendly record).
    """
    n_fft = _fast_length(n)
    freq_hz = np.fft.rfftfreq(n_fft, 1.0 / rate_hz)
    band = (freq_hz >= f_lo_hz) & (freq_hz <= f_hi_hz)
    if band.sum() < 2:  # a very short record: widen the band downwards to keep it random
        band = (freq_hz > 0.0) & (freq_hz <= f_hi_hz)
    spectrum = np.zeros(freq_hz.size, dtype=complex)
    spectrum[band] = (rng.normal(size=band.sum()) + 1j * rng.normal(size=band.sum())) / freq_hz[band] ** slope
    w = 2j * np.pi * freq_hz
    value = np.fft.irfft(spectrum, n_fft)[:n]
    scale = 1.0 / max(float(np.sqrt(np.mean(value**2))), 1e-300)
    return (
        value * scale,
        np.fft.irfft(spectrum * w, n_fft)[:n] * scale,
        np.fft.irfft(spectrum * w * w, n_fft)[:n] * scale,
    )


def _fast_length(n: int) -> int:
    """The smallest 2·3·5-smooth length ≥ n, where the FFT is fast."""
    best = 1 << max(n - 1, 1).bit_length()
    p5 = 1
    while p5 < best:
        p35 = p5
        while p35 < best:
            length = p35
            while length < n:
                length *= 2
            best = min(best, length)
            p35 *= 3
        p5 *= 5
    return best


def modulate(envelope: Curve, noise: Curve, gain: float = 1.0) -> Curve:
    """gain · envelope · noise with the product rule for the derivatives."""
    e, e1, e2 = envelope
    n, n1, n2 = noise
    return gain * e * n, gain * (e1 * n + e * n1), gain * (e2 * n + 2.0 * e1 * n1 + e * n2)


class Track:
    """One pose channel over the sample times, built by adding shapes in time order.

    ``level`` is the persistent value after the last lasting change (ramp or step), which later shapes
    start from; transient shapes (bumps, oscillations, noise) come and go without changing it.
    """

    def __init__(self, t_s: np.ndarray, level: float = 0.0) -> None:
        self.t_s = t_s
        self.level = level
        self._value = np.full(t_s.size, level)
        self._d1 = np.zeros(t_s.size)
        self._d2 = np.zeros(t_s.size)
        self._steps = np.zeros(t_s.size + 1)

    def span(self, t0_s: float, t1_s: float) -> slice:
        """Indices of the samples with t0_s ≤ t < t1_s."""
        i0, i1 = np.searchsorted(self.t_s, (t0_s, t1_s), side="left")
        return slice(int(i0), int(i1))

    def ramp_to(self, t0_s: float, t1_s: float, target: float) -> None:
        """Minimum-jerk move from the current level to target over [t0_s, t1_s]."""
        delta = target - self.level
        duration_s = t1_s - t0_s
        sl = self.span(t0_s, t1_s)
        v, d1, d2 = min_jerk((self.t_s[sl] - t0_s) / duration_s)
        self._add(sl, (delta * v, delta * d1 / duration_s, delta * d2 / duration_s**2), delta)
        self.level = target

    def ramp_by(self, t0_s: float, t1_s: float, delta: float) -> None:
        """Minimum-jerk move by delta over [t0_s, t1_s]."""
        self.ramp_to(t0_s, t1_s, self.level + delta)

    def add(self, t0_s: float, t1_s: float, shape: Callable[[np.ndarray], Curve], lasting: float = 0.0) -> None:
        """Add shape(t − t0_s) over [t0_s, t1_s); ``lasting`` is the value it leaves behind from t1_s on."""
        sl = self.span(t0_s, t1_s)
        self._add(sl, shape(self.t_s[sl] - t0_s), lasting)
        self.level += lasting

    def add_curve(self, curve: Curve) -> None:
        """Add a transient curve defined on every sample (e.g. sway noise)."""
        for mine, theirs in zip((self._value, self._d1, self._d2), curve, strict=True):
            mine += theirs

    def _add(self, sl: slice, curve: Curve, lasting: float) -> None:
        self._value[sl] += curve[0]
        self._d1[sl] += curve[1]
        self._d2[sl] += curve[2]
        self._steps[sl.stop] += lasting

    def curve(self) -> Curve:
        """The finished channel: value, first and second derivative."""
        return self._value + np.cumsum(self._steps)[:-1], self._d1.copy(), self._d2.copy()
