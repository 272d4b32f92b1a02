"""Orientation per sample: the sensor's own quaternion when it sends one, otherwise VQF 6D from gyro + acc.

VQF (Laidig & Seel 2023) takes rad/s and m/s², the units imuhold samples already carry, and a fixed sample
period; lost samples are bridged by repeating the last reading so the filter's clock stays right.
"""

from __future__ import annotations

import numpy as np
from vqf import VQF

from imuhold.model import Quat, Sample

MAX_BRIDGED_SAMPLES = 50


def missing_periods(dt_s: float, period_s: float) -> int:
    """How many sample periods were skipped between two samples ``dt_s`` apart (0 when none)."""
    return max(0, min(MAX_BRIDGED_SAMPLES, round(dt_s / period_s) - 1))


class OrientationEstimator:
    """Streaming orientation: ``step`` one sample at a time; ``run`` a whole batch with the same result."""

    def __init__(self, rate_hz: float) -> None:
        if not rate_hz > 0:
            raise ValueError(f"sample rate must be positive, got {rate_hz}")
        self.period_s = 1.0 / rate_hz
        self._vqf: VQF | None = None
        self._last_t_s: float | None = None

    def step(self, sample: Sample) -> Quat | None:
        """Orientation for ``sample`` (sensor → earth, w,x,y,z), or None when it carries too little."""
        if sample.quat is not None:
            return sample.quat
        if sample.gyr_rad_s is None or sample.acc_m_s2 is None:
            return None
        if self._vqf is None:
            self._vqf = VQF(self.period_s)
        gyr = np.array(sample.gyr_rad_s, dtype=float)
        acc = np.array(sample.acc_m_s2, dtype=float)
        if self._last_t_s is not None:
            for _ in range(missing_periods(sample.t_s - self._last_t_s, self.period_s)):
                self._vqf.update(gyr, acc)
        self._last_t_s = sample.t_s
        self._vqf.update(gyr, acc)
        w, x, y, z = self._vqf.getQuat6D()
        return (float(w), float(x), float(y), float(z))

    def run(self, t_s: np.ndarray, gyr_rad_s: np.ndarray, acc_m_s2: np.ndarray) -> np.ndarray:
        """Batch VQF 6D for (N,) times and (N, 3) gyro/acc arrays; returns (N, 4) quaternions.

        It continues the stream: blocks of one stream given in turn, or given to ``step``, get the same result."""
        repeats = np.ones(len(t_s), dtype=np.intp)
        if len(t_s) == 0:
            return np.zeros((0, 4))
        if self._last_t_s is not None:
            repeats[0] += missing_periods(float(t_s[0]) - self._last_t_s, self.period_s)
        if len(t_s) > 1:
            gaps = np.rint(np.diff(t_s) / self.period_s).astype(np.intp) - 1
            repeats[1:] += np.clip(gaps, 0, MAX_BRIDGED_SAMPLES)
        if self._vqf is None:
            self._vqf = VQF(self.period_s)
        self._last_t_s = float(t_s[-1])
        gyr = np.ascontiguousarray(np.repeat(gyr_rad_s, repeats, axis=0), dtype=float)
        acc = np.ascontiguousarray(np.repeat(acc_m_s2, repeats, axis=0), dtype=float)
        quat = self._vqf.updateBatch(gyr, acc)["quat6D"]
        last_of_each = np.cumsum(repeats) - 1
        return quat[last_of_each]
