"""The big hold timer: the running hold in large digits, or the last hold dimmed between holds."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center
from textual.widget import Widget
from textual.widgets import Digits, Label

from imuhold.tui.session import LiveFrame


def clock(seconds: float) -> str:
    """12.3 below a minute, 1:05.2 from a minute on (tenths truncated, so the display never runs ahead)."""
    tenths = int(seconds * 10 + 1e-6)
    minutes, rest = divmod(tenths, 600)
    return f"{minutes}:{rest // 10:02d}.{rest % 10}" if minutes else f"{rest // 10}.{rest % 10}"


def duration_text(seconds: float) -> str:
    """``clock`` with its unit: 12.3 s, or 1:05.2 min."""
    shown = clock(seconds)
    return f"{shown} min" if ":" in shown else f"{shown} s"


class HoldTimer(Widget):
    DEFAULT_CSS = """
    HoldTimer { height: 5; padding: 0 1; }
    HoldTimer Center { height: 3; }
    HoldTimer Digits { width: auto; color: $text-muted; }
    HoldTimer.-holding Digits { color: #3fd46b; text-style: bold; }
    HoldTimer.-reached Digits { color: #ffd23f; }
    HoldTimer Label { width: 100%; text-align: center; color: $text-muted; }
    """

    _shown: tuple | None = None

    def compose(self) -> ComposeResult:
        with Center():
            yield Digits("0.0")
        yield Label("no hold yet")

    def on_mount(self) -> None:
        self._digits = self.query_one(Digits)
        self._label = self.query_one(Label)

    def show(self, frame: LiveFrame) -> None:
        """Drawn again only when what it shows changes: the tenths during a hold, nothing between holds."""
        holding = frame.hold_s is not None
        shown = frame.hold_s if holding else frame.last_hold_s
        value = clock(shown or 0.0)
        if holding:
            caption = f"holding {duration_text(shown)} of {frame.target_hold_s:g} s"
        elif shown is not None:
            caption = f"last hold {duration_text(shown)}"
        else:
            caption = "no hold yet"
        if shown is not None and frame.hold_unobserved_s > 0:
            caption += f" ({duration_text(frame.hold_unobserved_s)} unobserved)"
        reached = holding and shown >= frame.target_hold_s
        if (value, caption, holding, reached) == self._shown:
            return
        self._shown = (value, caption, holding, reached)
        if value != self._digits.value:
            self._digits.update(value)
        self.set_class(holding, "-holding")
        self.set_class(reached, "-reached")
        self._label.update(caption, layout=False)
