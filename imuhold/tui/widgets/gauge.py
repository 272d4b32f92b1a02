"""The tilt gauge: sagittal tilt and obliquity on scales with their target zones, the value as a block marker."""

from __future__ import annotations

import math

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

TILT_RANGE_DEG = (-20.0, 60.0)
TILT_ZONE_DEG = (10.0, 30.0)
"""The simulator's range for a good deep squat (imuhold.sim.recipes); a per-user zone belongs in the config."""
OBLIQUITY_RANGE_DEG = (-15.0, 15.0)
OBLIQUITY_ZONE_DEG = (-3.0, 3.0)
LABEL_CELLS = 16
IN_ZONE, OUT_OF_ZONE, NOT_JUDGED = "#3fd46b", "#ffb02e", "#e6e6e6"


def value_colour(value: float, zone: tuple[float, float], judged: bool) -> str:
    if not judged:
        return NOT_JUDGED
    return IN_ZONE if zone[0] <= value <= zone[1] else OUT_OF_ZONE


def scale_row(value: float, lo: float, hi: float, zone: tuple[float, float], cells: int, judged: bool = True) -> Text:
    """One scale: a line with the zone drawn heavy and a block at ``value`` (an arrow at the end when beyond)."""
    row = Text()
    marker = None
    if not math.isnan(value):
        marker = min(cells - 1, max(0, int((value - lo) / (hi - lo) * cells)))
    colour = value_colour(value, zone, judged)
    for i in range(cells):
        centre = lo + (i + 0.5) / cells * (hi - lo)
        if i == marker:
            beyond = value < lo or value > hi
            row.append(("◀" if value < lo else "▶") if beyond else "█", style=f"bold {colour}")
        elif zone[0] <= centre <= zone[1]:
            row.append("━", style="#2e8b57")
        else:
            row.append("─", style="#6e6e6e")
    return row


def tick_row(lo: float, hi: float, step: float, cells: int) -> Text:
    chars = [" "] * cells
    value = math.ceil(lo / step) * step
    while value <= hi:
        label = f"{value:+.0f}" if value else "0"
        centre = int((value - lo) / (hi - lo) * cells)
        start = min(cells - len(label), max(0, centre - len(label) // 2))
        chars[start : start + len(label)] = label
        value += step
    return Text("".join(chars), style="dim")


class TiltGauge(Widget):
    DEFAULT_CSS = """
    TiltGauge { height: 4; padding: 0 1; }
    """

    tilt_deg: reactive[float] = reactive(math.nan)
    obliquity_deg: reactive[float] = reactive(math.nan)
    judged: reactive[bool] = reactive(False)
    """Colour the values by their zones (during a hold); otherwise they are shown neutral."""

    def show(self, tilt_deg: float, obliquity_deg: float, judged: bool) -> None:
        """Whole degrees: what reads from across a room, and no redraw for sway below a degree."""
        self.tilt_deg = math.nan if math.isnan(tilt_deg) else float(round(tilt_deg))
        self.obliquity_deg = math.nan if math.isnan(obliquity_deg) else float(round(obliquity_deg))
        self.judged = judged

    def render(self) -> Text:
        cells = max(10, self.size.width - LABEL_CELLS)
        text = Text(no_wrap=True, overflow="crop")
        for name, value, (lo, hi), zone, step in (
            ("tilt", self.tilt_deg, TILT_RANGE_DEG, TILT_ZONE_DEG, 20.0),
            ("obliquity", self.obliquity_deg, OBLIQUITY_RANGE_DEG, OBLIQUITY_ZONE_DEG, 5.0),
        ):
            shown = "  — " if math.isnan(value) else f"{value:+3.0f}°"
            colour = value_colour(value, zone, self.judged)
            text.append(f"{name:<9}", style="dim")
            text.append(f"{shown:>7}", style=f"bold {colour}" if not math.isnan(value) else "dim")
            text.append_text(scale_row(value, lo, hi, zone, cells, self.judged))
            text.append("\n" + " " * LABEL_CELLS)
            text.append_text(tick_row(lo, hi, step, cells))
            if name == "tilt":
                text.append("\n")
        return text
