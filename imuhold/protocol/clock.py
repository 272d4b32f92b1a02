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
START_S = 0.5
"""The first notifications of a stream come as the sensor starts streaming (a partial first batch, then the
schedule settles: the e2e VM's emulated WitMotion sends 1 frame, then 4 every 40 ms, 0.1 s apart at first): gaps
in that time are not counted as lost."""
CATCH_UP_S = 1.0
"""How long after a gap its frames may still turn up. BLE retransmits a notification until it is delivered, so a
stalled link or host delivers late frames in a burst rather than never (seen in the e2e VM: stalls of 0.10–0.13 s,
then three notifications within 0.5 ms)."""


@dataclass(slots=True)
class HostClock:
    """Stamps the frames of each notification; detects gaps (lost frames) from host arrival times.

    Frames are spaced at 1/``rate_hz``. A notification that arrives more than ``max(0.1 s, 3 periods)`` later
    than its frames would have been measured starts afresh: its frames are spread back from the arrival time
    at 1/rate and the frames missing in between are counted as lost. If, within ``CATCH_UP_S``, notifications then
    arrive ahead of the new schedule by at least half the gap, the frames were late, not lost: the count is taken
    back (``stamp`` returns it negated). Times increase, unless the host clock jumps back by more than a second (a
    new stream, which the pipeline treats as a clock restart).
    """

    rate_hz: float
    _last_t_s: float | None = None
    _first_s: float | None = None
    _gap_lost: int = 0
    """Frames counted lost at the last gap while they may still arrive late."""
    _gap_s: float = 0.0
    _gap_at_s: float = 0.0

    def __post_init__(self) -> None:
        if not self.rate_hz > 0:
            raise ValueError(f"rate must be positive, got {self.rate_hz}")

    @property
    def period_s(self) -> float:
        return 1.0 / self.rate_hz

    def stamp(self, t_host_ns: int, frames: int) -> tuple[list[float], int]:
        """Times of ``frames`` frames that arrived together at ``t_host_ns``, and how many frames were lost (negative:
        frames counted lost at a gap arrived late after all)."""
        period = self.period_s
        arrival_s = t_host_ns / units.NS_PER_S
        last = self._last_t_s
        if frames <= 0:
            return [], 0
        error_s = None if last is None else arrival_s - (last + frames * period)
        if self._first_s is None:
            self._first_s = arrival_s
        if self._gap_lost and arrival_s - self._gap_at_s > CATCH_UP_S:
            self._gap_lost = 0  # no burst came: the frames are lost
        if error_s is None or error_s > max(MIN_GAP_S, GAP_PERIODS * period) or error_s < -CLOCK_JUMP_S:
            starting = arrival_s - self._first_s < START_S
            lost = 0 if error_s is None or error_s < 0 or starting else max(0, round(error_s / period))
            times = [arrival_s - (frames - 1 - k) * period for k in range(frames)]
            self._gap_lost, self._gap_s, self._gap_at_s = lost, max(0.0, error_s or 0.0), arrival_s
        else:
            assert last is not None
            step = period + max(-period / 2, min(period / 2, error_s * STEER_GAIN)) / frames
            times = [last + (k + 1) * step for k in range(frames)]
            lost = 0
            if self._gap_lost and error_s <= -0.5 * self._gap_s:
                lost, self._gap_lost = -self._gap_lost, 0  # the gap's frames are arriving now, in a burst
        self._last_t_s = times[-1]
        return times, lost
