"""Session numbers: accumulated hold time, progress to the target, hold count and best, counterweight, marks."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from imuhold.tui.session import LiveFrame
from imuhold.tui.widgets.timer import duration_text

BAR_CELLS = 20
"""The target bar's length before the widget knows its width; then it fills the line."""


def target_bar(hold_s: float, target_s: float, cells: int = BAR_CELLS) -> Text:
    fraction = min(1.0, hold_s / target_s) if target_s > 0 else 1.0
    filled = round(fraction * cells)
    colour = "#3fd46b" if fraction >= 1.0 else "#5fa8ff"
    bar = Text("█" * filled, style=colour)
    bar.append("░" * (cells - filled), style="#555555")
    bar.append(f" {fraction:4.0%}")
    return bar


class SessionStats(Static):
    DEFAULT_CSS = """
    SessionStats { height: 5; padding: 0 1; }
    """

    _shown: tuple | None = None

    def show(self, frame: LiveFrame) -> None:
        """Drawn again only when a number it shows changes (ten times a second during a hold, rarely otherwise)."""
        current = frame.hold_s if frame.hold_s is not None else (frame.last_hold_s or 0.0)
        label = f"target {frame.target_hold_s:g} s "
        width = self.content_size.width
        cells = max(5, min(40, width - len(label) - 5)) if width else BAR_CELLS
        weight = "—" if frame.counterweight_kg is None else f"{frame.counterweight_kg:g} kg"
        shown = (duration_text(frame.total_hold_s), label, target_bar(current, frame.target_hold_s, cells), frame.holds,
                 duration_text(frame.best_hold_s), weight, frame.marks)
        if shown == self._shown:
            return
        self._shown = shown
        total, label, bar, holds, best, weight, marks = shown
        text = Text()
        text.append("session  ", style="dim")
        text.append(total, style="bold")
        text.append(" held\n")
        text.append(label, style="dim")
        text.append_text(bar)
        text.append("\nholds ", style="dim")
        text.append(str(holds), style="bold")
        text.append("   best ", style="dim")
        text.append(best, style="bold")
        text.append("\nweight ", style="dim")
        text.append(weight)
        text.append("   marks ", style="dim")
        text.append(str(marks))
        self.update(text, layout=False)  # same size every time: no layout pass
