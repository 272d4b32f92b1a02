"""A small dialog to set the counterweight held during the session (kg; empty clears it)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.validation import Number
from textual.widgets import Input, Label

MAX_KG = 100.0


class CounterweightScreen(ModalScreen[tuple[float | None] | None]):
    """Dismissed with ``(kg,)`` (``(None,)`` clears it), or None when cancelled."""

    DEFAULT_CSS = """
    CounterweightScreen { align: center middle; }
    CounterweightScreen > Vertical {
        width: 44;
        height: auto;
        padding: 1 2;
        border: round $accent;
        background: $surface;
    }
    CounterweightScreen Label { width: 100%; }
    CounterweightScreen Input { margin-top: 1; }
    """

    BINDINGS: ClassVar = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, current_kg: float | None) -> None:
        super().__init__()
        self.current_kg = current_kg

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Counterweight in kg (empty: none), Enter to keep")
            yield Input(
                value="" if self.current_kg is None else f"{self.current_kg:g}",
                placeholder="kg",
                type="number",
                validators=[Number(minimum=0.0, maximum=MAX_KG)],
                id="kg",
            )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        if not value:
            self.dismiss((None,))
        elif event.validation_result is None or event.validation_result.is_valid:
            self.dismiss((float(value),))
        else:
            self.notify(f"enter a weight between 0 and {MAX_KG:g} kg", severity="warning")

    def action_cancel(self) -> None:
        self.dismiss(None)
