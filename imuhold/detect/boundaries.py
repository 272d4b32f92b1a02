"""Where a movement started and ended, found afterwards in a short history of pelvic motion by zero-phase speed."""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import deque
from itertools import chain, islice, repeat
from operator import itemgetter
from typing import NamedTuple

import numpy as np

from imuhold.detect.params import DetectorParams

_time = itemgetter(0)
"""A history row's time."""


def _crossing_s(t_s: np.ndarray, speed: np.ndarray, i: int, j: int, level: float) -> float:
    """Time where speed passes ``level`` between neighbouring samples i and j (linear interpolation)."""
    a, b = speed[i], speed[j]
    if a == b:
        return float(t_s[j])
    w = min(1.0, max(0.0, (level - a) / (b - a)))
    return float(t_s[i] + w * (t_s[j] - t_s[i]))


class _Speeds(NamedTuple):
    """The history as arrays: times, tilt speed (°/s) and |vertical velocity| (m/s), each with where it is known."""

    t_s: np.ndarray
    tilt_dps: np.ndarray
    tilt_known: np.ndarray
    vertical_m_s: np.ndarray
    vertical_known: np.ndarray


class MotionHistory:
    """The last ``length_s`` of (time, tilt, obliquity, vertical velocity): cheap to feed, queried per event.

    The detector decides late that something happened (a squat after its descent, a hold after ``min_hold_s`` of
    stability, a hold end after ``grace_s``); the samples around the transition date it. Two speed channels, both
    centred in time (no filter lag): the tilt speed, how fast the (tilt, obliquity) point moves, by a centred
    difference; and the vertical speed, |vertical pelvis velocity|, integrated acceleration, when it is streamed.

    A movement starts and ends where its speed crosses a threshold: a fraction of the movement's peak speed (the
    usual movement-onset criterion of motor-control studies), raised to the noise floor of the still posture
    beside it. Sway puts the tilt threshold at 10–30 % of the peak; the vertical one stays at 5 %. Crossing a
    threshold is late for a start and early for an end. On the vertical channel that is undone with the shape of a
    smooth start: acceleration grows from zero (muscle force cannot jump), so speed grows as the square of the
    time since the start, and the start lies as far before the crossing of θ as the crossing of 4θ lies after it.
    On the tilt channel the threshold sits too high in the edge for that law to hold (it would overshoot by
    0.05–0.1 s), so its crossing is kept. A start is the earliest of the channels' starts, an end the latest of
    their ends.

    A channel dates only a movement that is one by the detector's own standard (its peak reaches
    ``moving_speed_dps`` of tilt speed or ``moving_velocity_m_s`` of vertical speed): below that, sway and
    integration drift are as large as the movement, and the other channel, or the detector's coarse time, is
    better. The levels named here are the parameters ``dating_…`` (``imuhold.detect.params``).
    """

    __slots__ = ("_length_s", "_p", "_rows", "_speeds")

    def __init__(self, length_s: float, params: DetectorParams) -> None:
        self._length_s = length_s
        self._p = params
        self._rows: deque[tuple[float, float, float, float]] = deque()
        self._speeds: _Speeds | None = None

    def add(self, t_s: float, tilt_deg: float, obliquity_deg: float, velocity_m_s: float | None) -> None:
        rows = self._rows
        rows.append((t_s, tilt_deg, obliquity_deg, math.nan if velocity_m_s is None else velocity_m_s))
        while rows[0][0] < t_s - self._length_s:
            rows.popleft()
        self._speeds = None

    def extend(
        self, t_s: np.ndarray, tilt_deg: np.ndarray, obliquity_deg: np.ndarray, velocity_m_s: float | list[float]
    ) -> None:
        """``add`` for several samples, the vertical velocity the same in all or one per sample. Times only increase:
        the samples that would be dropped at once, older than ``length_s`` before the last, are not added (nor is
        what came before)."""
        rows = self._rows
        oldest = t_s[-1] - self._length_s
        kept = int(np.searchsorted(t_s, oldest))  # the first sample not older
        velocities = repeat(velocity_m_s) if isinstance(velocity_m_s, float) else velocity_m_s[kept:]
        if kept:
            rows.clear()
            t_s, tilt_deg, obliquity_deg = t_s[kept:], tilt_deg[kept:], obliquity_deg[kept:]
        rows.extend(zip(t_s.tolist(), tilt_deg.tolist(), obliquity_deg.tolist(), velocities, strict=False))
        older = bisect_left(rows, oldest, key=_time)  # as popping while the first is older, times only increasing
        if older:
            deque(islice(iter(rows.popleft, None), older), maxlen=0)  # popleft ``older`` times, the loop in C
        self._speeds = None

    def onset_s(self, peak_from_s: float, peak_to_s: float, floor_dps: float | None = None) -> float | None:
        """Start of the movement whose peak speed lies in [peak_from_s, peak_to_s]; None if it cannot be seen."""
        return self._boundary(-1, peak_from_s, peak_to_s, floor_dps)

    def end_s(self, peak_from_s: float, peak_to_s: float, floor_dps: float | None = None) -> float | None:
        """End of the movement whose peak speed lies in [peak_from_s, peak_to_s]; None if it cannot be seen."""
        return self._boundary(1, peak_from_s, peak_to_s, floor_dps)

    def floor_dps(self, from_s: float, to_s: float) -> float | None:
        """Noise floor of the tilt speed over a still stretch (None when the history holds none of it)."""
        s = self._snapshot()
        inside = s.tilt_known & (s.t_s >= from_s) & (s.t_s <= to_s)
        return float(self._p.dating_floor_per_median * np.median(s.tilt_dps[inside])) if inside.any() else None

    # -- internals -------------------------------------------------------------------------------------------
    def _snapshot(self) -> _Speeds:
        """The speeds of the history as it is (computed once per sample that asks)."""
        if self._speeds is None:
            flat = chain.from_iterable(self._rows)
            rows = np.fromiter(flat, dtype=float, count=4 * len(self._rows)).reshape(-1, 4)
            t_s = rows[:, 0]
            tilt_dps, tilt_known = _centred_speed(t_s, rows[:, 1], rows[:, 2], self._p.dating_half_window_s)
            velocity = rows[:, 3]
            self._speeds = _Speeds(t_s, tilt_dps, tilt_known, np.abs(np.nan_to_num(velocity)), ~np.isnan(velocity))
        return self._speeds

    def _boundary(self, direction: int, peak_from_s: float, peak_to_s: float, floor_dps: float | None) -> float | None:
        s = self._snapshot()
        p = self._p
        found = []
        floor = max(floor_dps or 0.0, 0.0)
        tilt_peak = _peak(s.t_s, s.tilt_dps, s.tilt_known, peak_from_s, peak_to_s, p.moving_speed_dps)
        if tilt_peak is not None:
            level = max(p.dating_peak_fraction * tilt_peak[1], floor)
            found.append(_tilt_boundary(s.t_s, s.tilt_dps, s.tilt_known, direction, tilt_peak, level))
        vertical_peak = _peak(s.t_s, s.vertical_m_s, s.vertical_known, peak_from_s, peak_to_s, p.moving_velocity_m_s)
        if vertical_peak is not None:
            found.append(
                _vertical_boundary(
                    s.t_s,
                    s.vertical_m_s,
                    s.vertical_known,
                    direction,
                    vertical_peak,
                    p.dating_peak_fraction * vertical_peak[1],
                    p.dating_quadratic_ratio,
                )
            )
        found = [t for t in found if t is not None]
        if not found:
            return None
        return min(found) if direction < 0 else max(found)


def _centred_speed(
    t_s: np.ndarray, tilt_deg: np.ndarray, obliquity_deg: np.ndarray, h: float
) -> tuple[np.ndarray, np.ndarray]:
    """Speed of the (tilt, obliquity) point by a centred difference over ±h seconds, and where the whole window
    lies in the history (elsewhere the speed is not known yet)."""
    if t_s.size < 3:
        return np.zeros_like(t_s), np.zeros(t_s.size, dtype=bool)
    lo = np.searchsorted(t_s, t_s - h, side="left")
    hi = np.searchsorted(t_s, t_s + h, side="right") - 1
    span_s = t_s[hi] - t_s[lo]
    known = (t_s - h >= t_s[0]) & (t_s + h <= t_s[-1]) & (span_s > 0.0)
    moved = np.hypot(tilt_deg[hi] - tilt_deg[lo], obliquity_deg[hi] - obliquity_deg[lo])
    return np.divide(moved, span_s, out=np.zeros_like(moved), where=span_s > 0.0), known


def _peak(
    t_s: np.ndarray, speed: np.ndarray, valid: np.ndarray, from_s: float, to_s: float, moving: float
) -> tuple[int, float] | None:
    """(index, speed) of the fastest sample in [from_s, to_s]; None unless it is a movement (reaches ``moving``)."""
    inside = np.flatnonzero(valid & (t_s >= from_s) & (t_s <= to_s))
    if inside.size == 0:
        return None
    i = int(inside[np.argmax(speed[inside])])
    return (i, float(speed[i])) if speed[i] >= moving else None


def _tilt_boundary(
    t_s: np.ndarray, speed: np.ndarray, valid: np.ndarray, direction: int, peak: tuple[int, float], level: float
) -> float | None:
    """Tilt channel: from the peak outwards to where speed falls below ``level``: max(a fraction of the peak, the
    noise floor)."""
    i, peak_speed = peak
    if peak_speed <= level:
        return None  # the movement does not stand out from the still posture's sway
    n = t_s.size
    while 0 <= i + direction < n and valid[i + direction]:
        j = i + direction
        if speed[j] < level:
            return _crossing_s(t_s, speed, i, j, level)
        i = j
    return None  # runs off the history: the boundary is not in it


def _vertical_boundary(
    t_s: np.ndarray,
    speed: np.ndarray,
    valid: np.ndarray,
    direction: int,
    peak: tuple[int, float],
    level: float,
    ratio: float,
) -> float | None:
    """Vertical channel: from the peak outwards to where speed falls below ``level`` (a fraction of the peak) while
    it keeps falling; the crossing is extrapolated by the square law between ``level`` and ``ratio``·``level``.

    The vertical velocity is integrated acceleration: after a movement, an offset error of the accelerometer in
    the new posture makes it drift instead of settling at zero, until the tracker sees rest and holds it at zero
    (so the still posture's own noise is not observable, and the threshold is the peak fraction alone). Where the
    speed stops falling before it crosses the threshold, what remains is drift, and the movement ended there.
    """
    start = peak[0]
    tail = ratio * level  # below this, on the steep part of the edge, a rise is drift and not noise
    n = t_s.size
    i = start
    while 0 <= i + direction < n and valid[i + direction]:
        j = i + direction
        if direction > 0 and speed[j] == 0.0:
            # The tracker saw rest and zeroed the velocity: on the edge's tail the movement ended about here,
            # but from a plateau (drift as large as a movement) where it ended is not seen.
            return float(t_s[i]) if speed[i] < tail else None
        if speed[j] < level:
            crossed_s = _crossing_s(t_s, speed, i, j, level)
            return crossed_s + direction * _square_law_s(t_s, speed, start, i, direction, level, ratio, crossed_s)
        if speed[i] < tail and speed[j] > speed[i]:
            return float(t_s[i])  # rising again: drift, not movement
        i = j
    return None


def _square_law_s(
    t_s: np.ndarray,
    speed: np.ndarray,
    start: int,
    last: int,
    direction: int,
    level: float,
    ratio: float,
    crossed_s: float,
) -> float:
    """How far the true boundary lies beyond the crossing of ``level``, if speed goes as the squared time to it.

    With v ∝ τ² the crossings of level and r·level lie at τ₁ and τ₁·√r: the boundary is (τ₂ − τ₁)/(√r − 1)
    beyond the first. ``start`` is the peak, ``last`` the last sample above level on the way out from it.
    """
    high = ratio * level
    i = last
    while i != start and speed[i] < high:
        i -= direction
    if speed[i] < high:
        return 0.0
    high_s = _crossing_s(t_s, speed, i, i + direction, high)
    return abs(crossed_s - high_s) / (math.sqrt(ratio) - 1.0)


class EventTimes(MotionHistory):
    """The detector's event times refined from the history around each; the coarse time when it cannot be seen.

    Each method gets the detector's coarse time (from its causal thresholds), the current time (nothing after it
    is known) and the earliest time the event may have (the previous event), and picks the movement and the still
    posture to compare it with: the standing before a descent, the stable run after it, the hold before an ascent.
    """

    __slots__ = ("_standing_floor_dps",)

    def __init__(self, params: DetectorParams) -> None:
        # Long enough for the longest wait between a boundary and its report (min_hold_s for a hold start, up to
        # the depth wait and the report delay for an exit) and the lookback on either side.
        p = params
        wait_s = max(p.min_hold_s, max(p.depth_wait_s, p.settle_timeout_s) + p.exit_report_delay_s)
        super().__init__(wait_s + 2.0 * p.dating_lookback_s, params)
        self._standing_floor_dps: float | None = None

    def entry_s(self, coarse_s: float, t_s: float, earliest_s: float) -> float:
        """Onset of the descent under way; the standing before it is remembered for the exit."""
        self._standing_floor_dps = floor = self.floor_dps(coarse_s - self._p.dating_lookback_s, coarse_s)
        return self._sample_time(self.onset_s(coarse_s, t_s, floor), coarse_s, earliest_s, t_s)

    def hold_start_s(self, coarse_s: float, t_s: float, earliest_s: float) -> float:
        """End of the movement (descent or re-adjustment) before a stable run that began at ``coarse_s``."""
        floor = self.floor_dps(coarse_s, t_s)
        found = self.end_s(max(earliest_s, coarse_s - self._p.dating_lookback_s), coarse_s, floor)
        return self._sample_time(found, coarse_s, earliest_s, t_s)

    def hold_end_s(self, coarse_s: float, t_s: float, start_s: float) -> float:
        """Onset of the movement after a hold's last stable sample ``coarse_s``."""
        floor = self.floor_dps(max(start_s, coarse_s - self._p.dating_lookback_s), coarse_s)
        return self._sample_time(self.onset_s(coarse_s, t_s, floor), coarse_s, start_s, t_s)

    def exit_s(self, coarse_s: float, t_s: float, earliest_s: float) -> float:
        """End of the ascent before the body settled at ``coarse_s``, against the standing before the squat."""
        found = self.end_s(max(earliest_s, coarse_s - self._p.dating_lookback_s), coarse_s, self._standing_floor_dps)
        return self._sample_time(found, coarse_s, earliest_s, t_s)

    def _sample_time(self, found_s: float | None, coarse_s: float, earliest_s: float, latest_s: float) -> float:
        """The sample nearest the found time, within [earliest_s, latest_s]; the coarse time if none was found.

        Event times stay times of samples, as the detector's own are: exports put events on samples, and streaming
        and batch analysis, whose inputs differ in the last bits, still give identical events.
        """
        if found_s is None:
            return coarse_s
        t_s = self._snapshot().t_s
        i = int(np.searchsorted(t_s, found_s))
        if i == t_s.size or (i > 0 and found_s - t_s[i - 1] <= t_s[i] - found_s):
            i -= 1
        return min(max(float(t_s[i]), earliest_s), latest_s)
