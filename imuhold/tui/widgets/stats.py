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

    _shown: Text | None = None

    def show(self, frame: LiveFrame) -> None:
        current = frame.hold_s if frame.hold_s is not None else (frame.last_hold_s or 0.0)
        text = Text()
        text.append("session  ", style="dim")
        text.append(duration_text(frame.total_hold_s), style="bold")
        text.append(" held\n")
        label = f"target {frame.target_hold_s:g} s "
        cells = self.content_size.width - len(label) - 5 if self.content_size.width else BAR_CELLS
        text.append(label, style="dim")
        text.append_text(target_bar(current, frame.target_hold_s, max(5, min(40, cells))))
        text.append("\nholds ", style="dim")
        text.append(str(frame.holds), style="bold")
        text.append("   best ", style="dim")
        text.append(duration_text(frame.best_hold_s), style="bold")
        weight = "—" if frame.counterweight_kg is None else f"{frame.counterweight_kg:g} kg"
        text.append("\nweight ", style="dim")
        text.append(weight)
        text.append("   marks ", style="dim")
        text.append(str(frame.marks))
        if text != self._shown:  # same size every time: no layout pass
            self._shown = text
            self.update(text, layout=False)
