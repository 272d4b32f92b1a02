"""The big hold timer: the running hold in large digits, or the last hold dimmed between holds."""

from __future__ import annotations

from textual.renderables.digits import DIGITS, DIGITS3X3, DIGITS3X3_BOLD

from imuhold.tui.session import LiveFrame
from imuhold.tui.widgets.lines import DrawnLines, Run

HOLDING, REACHED = "bold #3fd46b", "bold #ffd23f"
"""The digits' style while a hold runs, and once it has reached its target (otherwise the widget's muted colour)."""


def clock(seconds: float) -> str:
    """12.3 below a minute, 1:05.2 from a minute on (tenths truncated, so the display never runs ahead)."""
    tenths = int(seconds * 10 + 1e-6)
    minutes, rest = divmod(tenths, 600)
    return f"{minutes}:{rest // 10:02d}.{rest % 10}" if minutes else f"{rest // 10}.{rest % 10}"


def duration_text(seconds: float) -> str:
    """``clock`` with its unit: 12.3 s, or 1:05.2 min."""
    shown = clock(seconds)
    return f"{shown} min" if ":" in shown else f"{shown} s"


def digit_rows(text: str, bold: bool) -> tuple[str, str, str]:
    """``text`` in Textual's 3x3 digit font, as its Digits widget draws it (bold strokes for a bold style; a point is
    one cell, "•" on the bottom row)."""
    font = DIGITS3X3_BOLD if bold else DIGITS3X3
    rows: tuple[list[str], list[str], list[str]] = ([], [], [])
    for ch in text.replace(".", "•"):
        at = DIGITS.find(ch) * 3
        glyph = (font[at].ljust(3), font[at + 1].ljust(3), font[at + 2].ljust(3)) if at >= 0 else (" ", " ", ch)
        for row, piece in zip(rows, glyph, strict=True):
            row.append(piece)
    return "".join(rows[0]), "".join(rows[1]), "".join(rows[2])


class HoldTimer(DrawnLines):
    """Three rows of digits and a caption, centred, drawn as runs: they change ten times a second during a hold."""

    DEFAULT_CSS = """
    HoldTimer { height: 5; padding: 0 1; color: $text-muted; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._shown: tuple[str, str, bool, bool] = ("0.0", "no hold yet", False, False)
        """What it shows: the clock, the caption, whether a hold runs and whether it has reached the target."""

    @property
    def caption(self) -> str:
        return self._shown[1]

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
        if (value, caption, holding, reached) != self._shown:
            self._shown = (value, caption, holding, reached)
            self.redraw()

    def picture_key(self) -> tuple:
        return self._shown

    def draw(self, width: int, height: int) -> list[list[Run]]:
        value, caption, holding, reached = self._shown
        rows = digit_rows(value, bold=holding)
        style = REACHED if reached else HOLDING if holding else ""
        left = " " * max(0, (width - len(rows[0])) // 2)
        lines: list[list[Run]] = [[(left, ""), (row, style)] for row in rows]
        lines.append([(" " * max(0, (width - len(caption)) // 2), ""), (caption, "")])
        return lines
