"""Running statistics of a hold: tilt mean and SD, sway RMS, obliquity mean and depth, in constant memory."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(slots=True)
class PostureStats:
    """Sums over samples; ``merge`` folds in a tentative stretch (a brief wobble) that turned out to belong."""

    n: int = 0
    tilt_sum: float = 0.0
    tilt_sq: float = 0.0
    obl_sum: float = 0.0
    obl_sq: float = 0.0
    drop_sum: float = 0.0
    drop_n: int = 0

    def add(self, tilt_deg: float, obliquity_deg: float, drop_m: float | None) -> None:
        self.n += 1
        self.tilt_sum += tilt_deg
        self.tilt_sq += tilt_deg * tilt_deg
        self.obl_sum += obliquity_deg
        self.obl_sq += obliquity_deg * obliquity_deg
        if drop_m is not None:
            self.drop_sum += drop_m
            self.drop_n += 1

    def add_many(self, tilt_deg: np.ndarray, obliquity_deg: np.ndarray, drop_m: float | None) -> None:
        """``add`` for each sample in turn (running sums in the same order, to the bit), the drop the same in all."""
        n = len(tilt_deg)
        self.n += n
        self.tilt_sum = _running_sum(self.tilt_sum, tilt_deg)
        self.tilt_sq = _running_sum(self.tilt_sq, tilt_deg * tilt_deg)
        self.obl_sum = _running_sum(self.obl_sum, obliquity_deg)
        self.obl_sq = _running_sum(self.obl_sq, obliquity_deg * obliquity_deg)
        if drop_m is not None:
            self.drop_sum = _running_sum(self.drop_sum, np.full(n, drop_m))
            self.drop_n += n

    def merge(self, other: PostureStats) -> None:
        self.n += other.n
        self.tilt_sum += other.tilt_sum
        self.tilt_sq += other.tilt_sq
        self.obl_sum += other.obl_sum
        self.obl_sq += other.obl_sq
        self.drop_sum += other.drop_sum
        self.drop_n += other.drop_n

    @property
    def tilt_mean_deg(self) -> float:
        return self.tilt_sum / self.n if self.n else math.nan

    @property
    def obliquity_mean_deg(self) -> float:
        return self.obl_sum / self.n if self.n else math.nan

    def _variance(self, total: float, squares: float) -> float:
        if self.n < 2:
            return 0.0
        mean = total / self.n
        return max(0.0, squares / self.n - mean * mean)

    @property
    def tilt_sd_deg(self) -> float:
        return math.sqrt(self._variance(self.tilt_sum, self.tilt_sq))

    @property
    def sway_rms_deg(self) -> float:
        """RMS distance of the (tilt, obliquity) point from its mean: sway in both planes together."""
        return math.sqrt(self._variance(self.tilt_sum, self.tilt_sq) + self._variance(self.obl_sum, self.obl_sq))

    @property
    def depth_m(self) -> float | None:
        return self.drop_sum / self.drop_n if self.drop_n else None


def _running_sum(start: float, values: np.ndarray) -> float:
    """``start`` + each value in turn, left to right as a loop adds them (``np.add.accumulate`` is sequential,
    unlike ``np.sum``'s pairwise summation)."""
    return float(np.add.accumulate(np.concatenate(([start], values)))[-1])
