"""The tilt-over-time plot of one session, holds and gaps in the data shaded, drawn by ``imuhold.review.chart`` to the
widget's size."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widget import Widget

from imuhold.model import HoldMetrics
from imuhold.review.chart import tilt_chart
from imuhold.review.text import clock
from imuhold.store import TiltPoint

LABEL_WIDTH = 6
HOLD_STYLE = "on #1f3d2a"
GAP_STYLE = "on #4a3a1a"
"""Columns with a gap in the data (no line is drawn across one); a gap inside a hold shows as a gap."""


class TiltPlot(Widget):
    DEFAULT_CSS = """
    TiltPlot {
        height: 12;
        border: round #555555;
        border-title-color: $text-muted;
        color: #5fa8ff;
    }
    """

    def __init__(self, points: Sequence[TiltPoint], holds: Sequence[HoldMetrics], end_s: float, **kwargs) -> None:
        super().__init__(**kwargs)
        self.points = points
        self.holds = [(h.start_s, h.end_s) for h in holds]
        self.end_s = end_s
        self.border_title = "tilt (anterior +), holds shaded green, gaps in the data brown"

    def render(self) -> Text:
        width = max(1, self.size.width - LABEL_WIDTH)
        height = max(1, self.size.height - 1)
        chart = tilt_chart(self.points, self.holds, width, height, self.end_s)
        text = Text(no_wrap=True, overflow="crop")
        for i, row in enumerate(chart.rows):
            label = f"{chart.top_deg:+.0f}°" if i == 0 else f"{chart.bottom_deg:+.0f}°" if i == height - 1 else ""
            text.append(label.rjust(LABEL_WIDTH - 1) + " ", style="dim")
            for ch, in_hold, in_gap in zip(row, chart.in_hold, chart.in_gap, strict=True):
                text.append(ch, style=GAP_STYLE if in_gap else HOLD_STYLE if in_hold else "")
            text.append("\n")
        end = clock(chart.end_s)
        text.append(" " * LABEL_WIDTH + "0:00" + end.rjust(width - 4), style="dim")
        return text
