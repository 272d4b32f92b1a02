"""The tilt trace: the last 30 s of sagittal tilt drawn in braille dots, with the target zone shaded."""

from __future__ import annotations

import numpy as np

from imuhold.tui.session import TRACE_S
from imuhold.tui.widgets.gauge import TILT_RANGE_DEG, TILT_ZONE_DEG
from imuhold.tui.widgets.lines import DrawnLines, Run

BRAILLE_BASE = 0x2800
DOT_BITS = np.array(((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80)), dtype=np.uint32)
"""Braille dot bit for (row 0–3, column 0–1) inside one character cell."""
ZONE_STYLE = "on #12301e"
"""Text rows that lie mostly inside the tilt target zone are shaded."""


def braille_rows(
    points: tuple[tuple[float, float], ...], now_s: float, cols: int, rows: int, lo: float, hi: float
) -> list[str]:
    """Braille lines (``rows`` strings of ``cols`` characters) for a line through ``points`` (t_s, value) over the last
    ``TRACE_S`` s up to ``now_s``; each point is joined to the previous one, so fast moves stay one line.

    Vectorised: it runs on every redraw of the screen, a few times a second, over up to 300 points."""
    if cols <= 0 or rows <= 0:
        return [""] * max(0, rows)
    cells = np.zeros((rows, cols), dtype=np.uint32)
    if points:
        width, height = 2 * cols, 4 * rows
        t_s, value = np.array(points, dtype=float).T
        x = np.trunc((t_s - (now_s - TRACE_S)) / TRACE_S * (width - 1) + 0.5).astype(np.int64)
        value = np.where(np.isnan(value), lo, np.clip(value, lo, hi))
        y = ((hi - value) / (hi - lo) * (height - 1) + 0.5).astype(np.int64)
        inside = (x >= 0) & (x < width)
        joined = np.zeros_like(inside)
        joined[1:] = inside[:-1]  # a point outside breaks the line
        previous = np.concatenate(([0], y[:-1]))
        top = np.where(joined, np.minimum(y, previous), y)[inside]
        bottom = np.where(joined, np.maximum(y, previous), y)[inside]
        x = x[inside]
        lengths = bottom - top + 1
        starts = np.repeat(np.cumsum(lengths) - lengths, lengths)
        yy = np.repeat(top, lengths) + np.arange(int(lengths.sum())) - starts
        xx = np.repeat(x, lengths)
        np.bitwise_or.at(cells, (yy // 4, xx // 2), DOT_BITS[yy % 4, xx % 2])
    text = (cells + BRAILLE_BASE).astype("<u4").tobytes().decode("utf-32-le")
    return [text[r * cols : (r + 1) * cols] for r in range(rows)]


def zone_overlap(row: int, rows: int, lo: float, hi: float) -> float:
    """Fraction of text row ``row`` (0 on top) that lies inside the tilt target zone."""
    step = (hi - lo) / rows
    top, bottom = hi - row * step, hi - (row + 1) * step
    inside = min(top, TILT_ZONE_DEG[1]) - max(bottom, TILT_ZONE_DEG[0])
    return max(0.0, inside) / step


class TiltTrace(DrawnLines):
    DEFAULT_CSS = """
    TiltTrace {
        height: 1fr;
        min-height: 4;
        border: round #555555;
        border-title-color: $text-muted;
        border-subtitle-color: $text-muted;
        color: #5fa8ff;
    }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.points: tuple[tuple[float, float], ...] = ()
        self.now_s = 0.0

    def on_mount(self) -> None:
        lo, hi = TILT_RANGE_DEG
        self.border_title = f"tilt, last {TRACE_S:.0f} s"
        self.border_subtitle = f"{lo:+.0f}° … {hi:+.0f}°, zone {TILT_ZONE_DEG[0]:.0f}–{TILT_ZONE_DEG[1]:.0f}°"

    def show(self, points: tuple[tuple[float, float], ...], now_s: float) -> None:
        """Redraw only once the trace has moved by a character column (two dots; 0.38 s at 80 columns) or jumped back,
        not on every frame: the trace is the largest picture on the screen, and the gauge shows the live tilt."""
        column_s = TRACE_S / max(1, self.content_size.width)
        moved = now_s - self.now_s >= column_s or now_s < self.now_s or (not points) != (not self.points)
        if moved:
            self.points, self.now_s = points, now_s
            self.redraw()

    def picture_key(self) -> tuple:
        return (self.points, self.now_s)

    def draw(self, width: int, height: int) -> list[list[Run]]:
        lo, hi = TILT_RANGE_DEG
        lines = braille_rows(self.points, self.now_s, width, height, lo, hi)
        return [[(line, ZONE_STYLE if zone_overlap(r, height, lo, hi) >= 0.5 else "")] for r, line in enumerate(lines)]
