"""Orientation per sample: the sensor's own quaternion when it sends one, otherwise VQF 6D from gyro + acc.

VQF (Laidig & Seel 2023) takes rad/s and m/s², the units imuhold samples already carry, and a fixed sample
period; lost samples are bridged by repeating the last reading so the filter's clock stays right. Real MEMS gyros
read several °/s at rest (SisFall's ITG-3200: median 3.5 °/s; MPU-6050 datasheet: ±20 °/s initial zero-rate
tolerance), more than VQF's default bias clip of 2 °/s: the clip is raised, and the offset measured during the
standing calibration is handed to a filter re-run from the start of that standing (:meth:`restart`), so the
standing reference is taken on an orientation that never drifted.
"""

from __future__ import annotations

import struct
from collections import deque

import numpy as np
from vqf import VQF

from imuhold.model import Quat, Sample, Vec3

MAX_BRIDGED_SAMPLES = 50
GYR_BIAS_CLIP_DPS = 8.0
"""Largest gyro offset VQF may estimate: MPU-6050-class parts are specified to ±20 °/s, measured parts sit within
a few °/s (SisFall's ITG-3200: p90 4.9 °/s); the clip bounds what a wrong estimate during motion can do."""
KNOWN_BIAS_SIGMA_DPS = 0.2
"""Uncertainty handed to VQF with an offset measured over a second of quiet standing."""
_READING = struct.Struct("=6d")
"""A sample's gyro (rad/s) and acceleration (m/s²) as the six native doubles VQF reads."""


def missing_periods(dt_s: float, period_s: float) -> int:
    """How many sample periods were skipped between two samples ``dt_s`` apart (0 when none)."""
    return max(0, min(MAX_BRIDGED_SAMPLES, round(dt_s / period_s) - 1))


class OrientationEstimator:
    """Streaming orientation: ``step`` one sample at a time; ``run`` a whole batch with the same result.

    ``keep_s`` of raw samples are kept so that :meth:`restart` can re-run the filter over them with a known gyro
    offset.
    """

    def __init__(self, rate_hz: float, keep_s: float = 0.0) -> None:
        if not rate_hz > 0:
            raise ValueError(f"sample rate must be positive, got {rate_hz}")
        self.period_s = 1.0 / rate_hz
        self._vqf: VQF | None = None
        self._last_t_s: float | None = None
        self._recent: deque[tuple[float, Vec3, Vec3]] = deque(maxlen=max(1, round(keep_s * rate_hz) + 2))
        # One sample's gyro and acceleration for VQF, two arrays over one buffer that ``step`` fills with a single
        # struct call (numpy item assignment per value costs more, and touches more code when caches are cold).
        self._reading = bytearray(_READING.size)
        self._gyr = np.frombuffer(self._reading, dtype=float, count=3)
        self._acc = np.frombuffer(self._reading, dtype=float, count=3, offset=_READING.size // 2)

    def step(self, sample: Sample) -> Quat | None:
        """Orientation for ``sample`` (sensor → earth, w,x,y,z), or None when it carries too little."""
        if sample.quat is not None:
            return sample.quat
        gyr_rad_s, acc_m_s2 = sample.gyr_rad_s, sample.acc_m_s2
        if gyr_rad_s is None or acc_m_s2 is None:
            return None
        vqf = self._vqf
        if vqf is None:
            vqf = self._vqf = self._new_filter(None)
        g, a = gyr_rad_s, acc_m_s2  # into self._gyr, self._acc (values one by one: no tuple of arguments built)
        _READING.pack_into(self._reading, 0, g[0], g[1], g[2], a[0], a[1], a[2])
        gyr, acc = self._gyr, self._acc  # reused: VQF reads them during the call only
        t_s, last_t_s = sample.t_s, self._last_t_s
        if last_t_s is not None and not (t_s - last_t_s) / self.period_s < 1.5:  # a sample or more skipped
            for _ in range(missing_periods(t_s - last_t_s, self.period_s)):
                vqf.update(gyr, acc)
        self._last_t_s = t_s
        self._recent.append((t_s, gyr_rad_s, acc_m_s2))
        vqf.update(gyr, acc)
        return tuple(vqf.getQuat6D().tolist())  # type: ignore[return-value]  # four floats

    def restart(self, samples: int, gyr_offset_rad_s: Vec3) -> np.ndarray:
        """Re-run the filter over the last ``samples`` samples, knowing the gyro offset; returns their orientations
        again, (M, 4), M ≤ ``samples`` (as many as were kept). Later ``step`` calls go on from the re-run filter."""
        kept = list(self._recent)[-samples:]
        if not kept:
            raise ValueError("no kept sample to restart from")
        t = np.array([s[0] for s in kept])
        gyr = np.array([s[1] for s in kept], dtype=float)
        acc = np.array([s[2] for s in kept], dtype=float)
        quat, self._vqf = self._filter(t, gyr, acc, gyr_offset_rad_s)
        self._last_t_s = float(t[-1])
        return quat

    def run_on(self, t_s: np.ndarray, gyr_rad_s: np.ndarray, acc_m_s2: np.ndarray) -> np.ndarray:
        """:meth:`step` over a block of (N,) times and (N, 3) gyro/acc arrays at batch speed, with the same result:
        the streaming filter goes on through them (blocks of one stream given in turn, or to ``step``, agree)."""
        if len(t_s) == 0:
            return np.zeros((0, 4))
        first_gap = 0 if self._last_t_s is None else missing_periods(float(t_s[0]) - self._last_t_s, self.period_s)
        if self._vqf is None:
            self._vqf = self._new_filter(None)
        self._last_t_s = float(t_s[-1])
        last = -(self._recent.maxlen or 1)  # what :meth:`restart` may need, as ``step`` keeps it
        tail = (t_s[last:].tolist(), map(tuple, gyr_rad_s[last:].tolist()), map(tuple, acc_m_s2[last:].tolist()))
        self._recent.extend(zip(*tail, strict=True))
        return self._update_bridged(self._vqf, t_s, gyr_rad_s, acc_m_s2, first_gap)

    def run(
        self, t_s: np.ndarray, gyr_rad_s: np.ndarray, acc_m_s2: np.ndarray, gyr_offset_rad_s: Vec3 | None = None
    ) -> np.ndarray:
        """Batch VQF 6D for (N,) times and (N, 3) gyro/acc arrays; returns (N, 4) quaternions.

        With ``gyr_offset_rad_s`` the filter starts from that gyro offset, as after :meth:`restart`.
        """
        return self._filter(t_s, gyr_rad_s, acc_m_s2, gyr_offset_rad_s)[0]

    def _filter(
        self, t_s: np.ndarray, gyr_rad_s: np.ndarray, acc_m_s2: np.ndarray, gyr_offset_rad_s: Vec3 | None
    ) -> tuple[np.ndarray, VQF]:
        vqf = self._new_filter(gyr_offset_rad_s)
        return self._update_bridged(vqf, t_s, gyr_rad_s, acc_m_s2, 0), vqf

    def _update_bridged(
        self, vqf: VQF, t_s: np.ndarray, gyr_rad_s: np.ndarray, acc_m_s2: np.ndarray, first_gap: int
    ) -> np.ndarray:
        """``vqf`` through a block, each lost sample bridged by repeating the reading after it (as :meth:`step`);
        ``first_gap`` periods were lost before the block. Returns the orientation at each given sample, (N, 4)."""
        repeats = np.ones(len(t_s), dtype=np.intp)
        repeats[0] += first_gap
        if len(t_s) > 1:
            gaps = np.rint(np.diff(t_s) / self.period_s).astype(np.intp) - 1
            repeats[1:] += np.clip(gaps, 0, MAX_BRIDGED_SAMPLES)
        gyr = np.ascontiguousarray(np.repeat(gyr_rad_s, repeats, axis=0), dtype=float)
        acc = np.ascontiguousarray(np.repeat(acc_m_s2, repeats, axis=0), dtype=float)
        quat = vqf.updateBatch(gyr, acc)["quat6D"]
        return quat[np.cumsum(repeats) - 1]

    def _new_filter(self, gyr_offset_rad_s: Vec3 | None) -> VQF:
        vqf = VQF(self.period_s, biasClip=GYR_BIAS_CLIP_DPS)
        if gyr_offset_rad_s is not None:
            vqf.setBiasEstimate(np.array(gyr_offset_rad_s, dtype=float), KNOWN_BIAS_SIGMA_DPS)
        return vqf
