"""A tilt-over-time line chart drawn with braille dots (2×4 per character), and which columns fall in holds."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from imuhold.store import TiltPoint

_BITS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))
"""Braille dot bit by (row 0–3 from the top, column 0–1) inside one character cell."""
_BLANK = 0x2800


@dataclass(frozen=True, slots=True)
class Chart:
    """``rows`` (top first) of ``width`` characters; ``in_hold[i]`` tells whether column i overlaps a hold."""

    rows: tuple[str, ...]
    in_hold: tuple[bool, ...]
    top_deg: float
    bottom_deg: float
    end_s: float


def _range(values: list[float]) -> tuple[float, float]:
    low, high = min(values, default=0.0), max(values, default=0.0)
    low, high = min(low, 0.0), max(high, 0.0)
    pad = max(2.0, 0.05 * (high - low))
    return math.floor((low - pad) / 5.0) * 5.0, math.ceil((high + pad) / 5.0) * 5.0


def tilt_chart(
    points: Sequence[TiltPoint], holds: Sequence[tuple[float, float]], width: int, height: int, end_s: float = 0.0
) -> Chart:
    """Chart of ``points`` over [0, ``end_s``] (at least their span) in ``width``×``height`` characters."""
    width, height = max(1, width), max(1, height)
    end_s = max(end_s, points[-1].t_s if points else 0.0, 1e-9)
    dots_x, dots_y = 2 * width, 4 * height
    sums = [0.0] * dots_x
    counts = [0] * dots_x
    for p in points:
        if p.tilt_deg is None:
            continue
        x = min(dots_x - 1, int(p.t_s / end_s * dots_x))
        sums[x] += p.tilt_deg
        counts[x] += 1
    means = [s / n if n else None for s, n in zip(sums, counts, strict=True)]
    bottom, top = _range([m for m in means if m is not None])
    scale = (dots_y - 1) / (top - bottom)
    cells = [[0] * width for _ in range(height)]
    previous: int | None = None
    for x, mean in enumerate(means):
        if mean is None:
            previous = None
            continue
        y = round((top - mean) * scale)  # dot row, 0 at the top
        low, high = (y, y) if previous is None else (min(y, previous), max(y, previous))
        for row in range(low, high + 1):  # join to the previous column so steep changes stay a line
            cells[row // 4][x // 2] |= _BITS[row % 4][x % 2]
        previous = y
    rows = tuple("".join(chr(_BLANK + c) if c else " " for c in row) for row in cells)
    column_s = end_s / width
    in_hold = tuple(
        any(start < (i + 1) * column_s and end > i * column_s for start, end in holds) for i in range(width)
    )
    return Chart(rows, in_hold, top, bottom, end_s)
