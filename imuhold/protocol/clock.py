"""Sample times for sensors without a device clock: nominal-rate spacing steered gently towards host arrival."""

from __future__ import annotations

from dataclasses import dataclass

from imuhold import units

STEER_GAIN = 0.05
"""Fraction of the arrival-time error corrected per notification: follows a device whose rate is off by a few
per cent, while connection-interval bunching (tens of ms) barely moves the sample times."""
MIN_GAP_S = 0.1
GAP_PERIODS = 3.0
CLOCK_JUMP_S = 1.0


@dataclass(slots=True)
class HostClock:
    """Stamps the frames of each notification; detects gaps (lost frames) from host arrival times.

    Frames are spaced at 1/``rate_hz``. A notification that arrives more than ``max(0.1 s, 3 periods)`` later
    than its frames would have been measured starts afresh: its frames are spread back from the arrival time
    at 1/rate and the frames missing in between are counted as lost. Times increase, unless the host clock
    jumps back by more than a second (a new stream, which the pipeline treats as a clock restart).
    """

    rate_hz: float
    _last_t_s: float | None = None

    def __post_init__(self) -> None:
        if not self.rate_hz > 0:
            raise ValueError(f"rate must be positive, got {self.rate_hz}")

    @property
    def period_s(self) -> float:
        return 1.0 / self.rate_hz

    def stamp(self, t_host_ns: int, frames: int) -> tuple[list[float], int]:
        """Times of ``frames`` frames that arrived together at ``t_host_ns``, and how many frames were lost."""
        period = self.period_s
        arrival_s = t_host_ns / units.NS_PER_S
        last = self._last_t_s
        if frames <= 0:
            return [], 0
        error_s = None if last is None else arrival_s - (last + frames * period)
        if error_s is None or error_s > max(MIN_GAP_S, GAP_PERIODS * period) or error_s < -CLOCK_JUMP_S:
            lost = 0 if error_s is None or error_s < 0 else max(0, round(error_s / period))
            times = [arrival_s - (frames - 1 - k) * period for k in range(frames)]
        else:
            assert last is not None
            step = period + max(-period / 2, min(period / 2, error_s * STEER_GAIN)) / frames
            times = [last + (k + 1) * step for k in range(frames)]
            lost = 0
        self._last_t_s = times[-1]
        return times, lost
