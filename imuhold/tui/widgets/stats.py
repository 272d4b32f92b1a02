"""Session numbers: accumulated hold time, progress to the target, hold count and best, counterweight, marks."""

from __future__ import annotations

from imuhold.tui.session import LiveFrame
from imuhold.tui.widgets.lines import DrawnLines, Run
from imuhold.tui.widgets.timer import duration_text

BAR_CELLS = 20
"""The target bar's length before the widget knows its width; then it fills the line."""


def target_bar(hold_s: float, target_s: float, cells: int = BAR_CELLS) -> list[Run]:
    fraction = min(1.0, hold_s / target_s) if target_s > 0 else 1.0
    filled = round(fraction * cells)
    colour = "#3fd46b" if fraction >= 1.0 else "#5fa8ff"
    return [("█" * filled, colour), ("░" * (cells - filled), "#555555"), (f" {fraction:4.0%}", colour)]


class SessionStats(DrawnLines):
    DEFAULT_CSS = """
    SessionStats { height: 5; padding: 0 1; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._shown: tuple = (duration_text(0.0), 30.0, 0.0, 0, duration_text(0.0), None, 0)

    def show(self, frame: LiveFrame) -> None:
        """Drawn again only when a number it shows changes (ten times a second during a hold, rarely otherwise);
        of its lines, only those that changed are repainted."""
        current = frame.hold_s if frame.hold_s is not None else (frame.last_hold_s or 0.0)
        shown = (duration_text(frame.total_hold_s), frame.target_hold_s, current, frame.holds,
                 duration_text(frame.best_hold_s), frame.counterweight_kg, frame.marks)
        if shown != self._shown:
            self._shown = shown
            self.redraw()

    def picture_key(self) -> tuple:
        return self._shown

    def draw(self, width: int, height: int) -> list[list[Run]]:
        total, target_s, current, holds, best, counterweight_kg, marks = self._shown
        label = f"target {target_s:g} s "
        cells = max(5, min(40, width - len(label) - 5)) if width else BAR_CELLS
        weight = "—" if counterweight_kg is None else f"{counterweight_kg:g} kg"
        return [
            [("session  ", "dim"), (total, "bold"), (" held", "")],
            [(label, "dim"), *target_bar(current, target_s, cells)],
            [("holds ", "dim"), (str(holds), "bold"), ("   best ", "dim"), (best, "bold")],
            [("weight ", "dim"), (weight, ""), ("   marks ", "dim"), (str(marks), "")],
        ]
