"""A tilt-over-time line chart drawn with braille dots (2×4 per character), and which columns fall in holds or in
gaps in the data."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from imuhold.detect.params import DetectorParams
from imuhold.store import TiltPoint
from imuhold.store.log import TILT_PERIOD_S

_BITS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))
"""Braille dot bit by (row 0–3 from the top, column 0–1) inside one character cell."""
_BLANK = 0x2800

GAP_S = DetectorParams().gap_s + TILT_PERIOD_S
"""Stored tilt points further apart than this have a gap in the data between them (samples more than the detector's
``gap_s`` apart; the series keeps a point per ``TILT_PERIOD_S``): the line is not drawn across it."""


@dataclass(frozen=True, slots=True)
class Chart:
    """``rows`` (top first) of ``width`` characters; ``in_hold[i]`` tells whether column i overlaps a hold,
    ``in_gap[i]`` whether it overlaps a gap in the data (no line is drawn across one)."""

    rows: tuple[str, ...]
    in_hold: tuple[bool, ...]
    in_gap: tuple[bool, ...]
    top_deg: float
    bottom_deg: float
    end_s: float


def _range(values: list[float]) -> tuple[float, float]:
    low, high = min(values, default=0.0), max(values, default=0.0)
    low, high = min(low, 0.0), max(high, 0.0)
    pad = max(2.0, 0.05 * (high - low))
    return math.floor((low - pad) / 5.0) * 5.0, math.ceil((high + pad) / 5.0) * 5.0


def gaps(points: Sequence[TiltPoint], min_gap_s: float = GAP_S) -> list[tuple[float, float]]:
    """The spans without data: (last point before, first point after) of points more than ``min_gap_s`` apart."""
    return [(a.t_s, b.t_s) for a, b in pairwise(points) if b.t_s - a.t_s > min_gap_s]


def _column_means(points: Sequence[TiltPoint], end_s: float, dots_x: int) -> list[tuple[int, float] | None]:
    """(dot column, mean tilt) in time order, with None where the line breaks: at a gap in the data.

    A column whose points are split by a gap gets one mean on each side of it.
    """
    means: list[tuple[int, float] | None] = []
    x_now, total, count = -1, 0.0, 0
    previous_t_s = None
    for p in points:
        x = min(dots_x - 1, int(p.t_s / end_s * dots_x))
        gap = previous_t_s is not None and p.t_s - previous_t_s > GAP_S
        previous_t_s = p.t_s
        if (x != x_now or gap) and count:
            means.append((x_now, total / count))
            total, count = 0.0, 0
        if gap:
            means.append(None)
        x_now = x
        if p.tilt_deg is not None:
            total += p.tilt_deg
            count += 1
    if count:
        means.append((x_now, total / count))
    return means


def _overlapping(spans: Sequence[tuple[float, float]], width: int, column_s: float) -> tuple[bool, ...]:
    return tuple(any(start < (i + 1) * column_s and end > i * column_s for start, end in spans) for i in range(width))


def tilt_chart(
    points: Sequence[TiltPoint], holds: Sequence[tuple[float, float]], width: int, height: int, end_s: float = 0.0
) -> Chart:
    """Chart of ``points`` over [0, ``end_s``] (at least their span) in ``width``×``height`` characters."""
    width, height = max(1, width), max(1, height)
    end_s = max(end_s, points[-1].t_s if points else 0.0, 1e-9)
    dots_x, dots_y = 2 * width, 4 * height
    means = _column_means(points, end_s, dots_x)
    bottom, top = _range([m[1] for m in means if m is not None])
    scale = (dots_y - 1) / (top - bottom)
    cells = [[0] * width for _ in range(height)]
    previous: tuple[int, int] | None = None
    for mean in means:
        if mean is None:
            previous = None
            continue
        x = mean[0]
        y = round((top - mean[1]) * scale)  # dot row, 0 at the top
        low = high = y
        if previous is not None and x - previous[0] == 1:  # a column without points breaks the line too
            low, high = min(y, previous[1]), max(y, previous[1])
        for row in range(low, high + 1):  # join to the previous column so steep changes stay a line
            cells[row // 4][x // 2] |= _BITS[row % 4][x % 2]
        previous = (x, y)
    rows = tuple("".join(chr(_BLANK + c) if c else " " for c in row) for row in cells)
    column_s = end_s / width
    in_hold, in_gap = _overlapping(holds, width, column_s), _overlapping(gaps(points), width, column_s)
    return Chart(rows, in_hold, in_gap, top, bottom, end_s)
