"""The tilt gauge: sagittal tilt and obliquity on scales with their target zones, the value as a block marker."""

from __future__ import annotations

import math

from imuhold.tui.widgets.lines import DrawnLines, Run

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


def scale_row(
    value: float, lo: float, hi: float, zone: tuple[float, float], cells: int, judged: bool = True
) -> list[Run]:
    """One scale: a line with the zone drawn heavy and a block at ``value`` (an arrow at the end when beyond); cells
    of one style make one run."""
    marker = None
    if not math.isnan(value):
        marker = min(cells - 1, max(0, int((value - lo) / (hi - lo) * cells)))
    colour = value_colour(value, zone, judged)
    runs: list[Run] = []
    for i in range(cells):
        centre = lo + (i + 0.5) / cells * (hi - lo)
        if i == marker:
            beyond = value < lo or value > hi
            cell = (("◀" if value < lo else "▶") if beyond else "█", f"bold {colour}")
        elif zone[0] <= centre <= zone[1]:
            cell = ("━", "#2e8b57")
        else:
            cell = ("─", "#6e6e6e")
        if runs and runs[-1][1] == cell[1]:
            runs[-1] = (runs[-1][0] + cell[0], cell[1])
        else:
            runs.append(cell)
    return runs


def tick_row(lo: float, hi: float, step: float, cells: int) -> str:
    chars = [" "] * cells
    value = math.ceil(lo / step) * step
    while value <= hi:
        label = f"{value:+.0f}" if value else "0"
        centre = int((value - lo) / (hi - lo) * cells)
        start = min(cells - len(label), max(0, centre - len(label) // 2))
        chars[start : start + len(label)] = label
        value += step
    return "".join(chars)


def gauge_lines(tilt_deg: float, obliquity_deg: float, judged: bool, width: int) -> list[list[Run]]:
    """Both scales, each with its name, value and tick labels: four lines of ``width`` cells."""
    cells = max(10, width - LABEL_CELLS)
    lines: list[list[Run]] = []
    for name, value, (lo, hi), zone, step in (
        ("tilt", tilt_deg, TILT_RANGE_DEG, TILT_ZONE_DEG, 20.0),
        ("obliquity", obliquity_deg, OBLIQUITY_RANGE_DEG, OBLIQUITY_ZONE_DEG, 5.0),
    ):
        shown = "  — " if math.isnan(value) else f"{value:+3.0f}°"
        colour = value_colour(value, zone, judged)
        label = [(f"{name:<9}", "dim"), (f"{shown:>7}", "dim" if math.isnan(value) else f"bold {colour}")]
        lines.append(label + scale_row(value, lo, hi, zone, cells, judged))
        lines.append([(" " * LABEL_CELLS, ""), (tick_row(lo, hi, step, cells), "dim")])
    return lines


class TiltGauge(DrawnLines):
    DEFAULT_CSS = """
    TiltGauge { height: 4; padding: 0 1; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.tilt_deg = math.nan
        self.obliquity_deg = math.nan
        self.judged = False
        """Colour the values by their zones (during a hold); otherwise they are shown neutral."""

    def show(self, tilt_deg: float, obliquity_deg: float, judged: bool) -> None:
        """Whole degrees: what reads from across a room, and no redraw for sway below a degree."""
        tilt = math.nan if math.isnan(tilt_deg) else float(round(tilt_deg))
        obliquity = math.nan if math.isnan(obliquity_deg) else float(round(obliquity_deg))
        if (tilt, obliquity, judged) != self.picture_key():  # math.nan is one object: equal to itself in a tuple
            self.tilt_deg, self.obliquity_deg, self.judged = tilt, obliquity, judged
            self.redraw()

    def picture_key(self) -> tuple:
        return (self.tilt_deg, self.obliquity_deg, self.judged)

    def draw(self, width: int, height: int) -> list[list[Run]]:
        return gauge_lines(self.tilt_deg, self.obliquity_deg, self.judged, width)
