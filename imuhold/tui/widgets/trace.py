"""The tilt trace: the last 30 s of sagittal tilt drawn in braille dots, with the target zone shaded."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from imuhold.tui.session import TRACE_S
from imuhold.tui.widgets.gauge import TILT_RANGE_DEG, TILT_ZONE_DEG

BRAILLE_BASE = 0x2800
DOT_BITS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))
"""Braille dot bit for (row 0–3, column 0–1) inside one character cell."""


def braille_rows(
    points: tuple[tuple[float, float], ...], now_s: float, cols: int, rows: int, lo: float, hi: float
) -> list[list[int]]:
    """Dot bits per cell for a line through ``points`` (t_s, value) over the last ``TRACE_S`` s up to ``now_s``."""
    cells = [[0] * cols for _ in range(rows)]
    if cols <= 0 or rows <= 0:
        return cells
    width, height = 2 * cols, 4 * rows
    t0 = now_s - TRACE_S
    previous: int | None = None
    for t_s, value in points:
        x = int((t_s - t0) / TRACE_S * (width - 1) + 0.5)
        if not 0 <= x < width:
            previous = None
            continue
        y = int((hi - min(hi, max(lo, value))) / (hi - lo) * (height - 1) + 0.5)
        top, bottom = (y, y) if previous is None else (min(y, previous), max(y, previous))
        for yy in range(top, bottom + 1):  # join to the previous point so fast moves stay one line
            cells[yy // 4][x // 2] |= DOT_BITS[yy % 4][x % 2]
        previous = y
    return cells


def zone_overlap(row: int, rows: int, lo: float, hi: float) -> float:
    """Fraction of text row ``row`` (0 on top) that lies inside the tilt target zone."""
    step = (hi - lo) / rows
    top, bottom = hi - row * step, hi - (row + 1) * step
    inside = min(top, TILT_ZONE_DEG[1]) - max(bottom, TILT_ZONE_DEG[0])
    return max(0.0, inside) / step


class TiltTrace(Widget):
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
        """Redraw only once the trace has moved by a dot column (or jumped back), not on every frame."""
        column_s = TRACE_S / max(1, 2 * self.content_size.width)
        moved = now_s - self.now_s >= column_s or now_s < self.now_s or (not points) != (not self.points)
        if moved:
            self.points, self.now_s = points, now_s
            self.refresh()

    def render(self) -> Text:
        cols, rows = self.content_size.width, self.content_size.height
        lo, hi = TILT_RANGE_DEG
        cells = braille_rows(self.points, self.now_s, cols, rows, lo, hi)
        zone_rows = {r for r in range(rows) if zone_overlap(r, rows, lo, hi) >= 0.5}
        text = Text(no_wrap=True, overflow="crop")
        for r, row in enumerate(cells):
            line = "".join(chr(BRAILLE_BASE + bits) for bits in row)
            text.append(line, style="on #12301e" if r in zone_rows else "")
            if r < rows - 1:
                text.append("\n")
        return text
