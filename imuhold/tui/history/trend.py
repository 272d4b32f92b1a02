"""The trend across days: longest and total hold per day as bars, newest at the bottom; Escape goes back."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Header, Static

from imuhold.review.text import clock, target_line
from imuhold.store import DayTrend, TargetSuggestion

_EIGHTHS = " ▏▎▍▌▋▊▉█"
LONGEST_STYLE = "#5fd787"
TOTAL_STYLE = "#5fa8ff"


def bar(value: float, full: float, width: int) -> str:
    """A horizontal bar of ``value`` out of ``full`` in ``width`` cells, with eighth-cell ends."""
    if full <= 0 or width <= 0:
        return ""
    eighths = round(max(0.0, min(1.0, value / full)) * width * 8)
    whole, part = divmod(eighths, 8)
    return "█" * whole + (_EIGHTHS[part] if part else "")


class TrendChart(Widget):
    """Per day: the longest hold and the total hold time, each scaled to the largest day."""

    DEFAULT_CSS = """
    TrendChart { height: auto; }
    """

    def __init__(self, days: Sequence[DayTrend], **kwargs) -> None:
        super().__init__(**kwargs)
        self.days = list(days)

    def get_content_height(self, container, viewport, width: int) -> int:
        return max(1, 2 * len(self.days))

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="crop")
        if not self.days:
            text.append("no sessions yet", style="dim")
            return text
        bar_width = max(4, self.size.width - 30)
        longest_max = max(d.longest_hold_s for d in self.days)
        total_max = max(d.total_hold_s for d in self.days)
        for day in self.days:
            text.append(f"{day.day.isoformat()}  longest ", style="dim")
            text.append(bar(day.longest_hold_s, longest_max, bar_width), style=LONGEST_STYLE)
            text.append(f" {day.longest_hold_s:.1f} s\n")
            text.append(f"{'':10}  total   ", style="dim")
            text.append(bar(day.total_hold_s, total_max, bar_width), style=TOTAL_STYLE)
            text.append(f" {clock(day.total_hold_s)}\n")
        text.rstrip()
        return text


class TrendScreen(Screen[None]):
    DEFAULT_CSS = """
    TrendScreen #target { padding: 0 1; color: $success; text-style: bold; }
    TrendScreen VerticalScroll { height: 1fr; padding: 0 1; }
    """
    BINDINGS: ClassVar = [Binding("escape", "app.pop_screen", "Back")]

    def __init__(self, days: Sequence[DayTrend], suggestion: TargetSuggestion) -> None:
        super().__init__()
        self.days = list(days)
        self.suggestion = suggestion

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(target_line(self.suggestion), id="target")
        with VerticalScroll():
            yield TrendChart(self.days, id="trend")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "trend: longest and total hold per day"
        self.query_one(VerticalScroll).scroll_end(animate=False)
