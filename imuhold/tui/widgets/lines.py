"""Widgets drawn as whole lines of styled runs through Textual's line API: no text layout on every redraw."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from functools import lru_cache

from rich.segment import Segment
from rich.style import Style as RichStyle
from rich.text import Text
from textual.geometry import Region
from textual.strip import Strip
from textual.style import Style
from textual.widget import Widget

Run = tuple[str, str]
"""Some text and its Textual style ("bold #3fd46b", "dim", "on #12301e"; "" for the widget's own)."""


@lru_cache(maxsize=256)
def run_style(base: Style, style: str) -> RichStyle:
    return (base + Style.parse(style)).rich_style if style else base.rich_style


def runs_strip(runs: Sequence[Run], base: Style, width: int) -> Strip:
    """One line of ``runs`` on the widget's ``base`` style, cropped or padded to ``width`` cells."""
    segments = [Segment(text, run_style(base, style)) for text, style in runs if text]
    return Strip(segments).adjust_cell_length(width, base.rich_style)


def ellipsised(runs: list[Run], width: int) -> list[Run]:
    """``runs`` cut to ``width`` cells, ending in "…" where something was cut (as Rich's ``overflow="ellipsis"``)."""
    if sum(len(text) for text, _ in runs) <= width:
        return runs
    cut: list[Run] = []
    room = width - 1
    for text, style in runs:
        if room <= 0:
            break
        cut.append((text[:room], style))
        room -= len(text[:room])
    if cut:
        cut[-1] = (cut[-1][0] + "…", cut[-1][1])
    return cut


class DrawnLines(Widget):
    """A widget whose picture is a few lines of runs; ``redraw`` draws it again and repaints only the lines that
    changed (a scrolling trace leaves its empty rows alone, the gauge its tick labels).

    Several times a second, Textual's own path (text → content → wrapped lines → strips, then every line of the
    widget, border included) cost a millisecond or more a redraw; a few strips built straight from runs cost a
    small fraction of that.
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._drawn_key: Hashable = None
        self._lines: list[list[Run]] = []

    def picture_key(self) -> Hashable:
        """Everything the picture depends on besides its size."""
        raise NotImplementedError

    def draw(self, width: int, height: int) -> list[list[Run]]:
        """The lines of the picture (at most ``height``), each a list of runs."""
        raise NotImplementedError

    def redraw(self) -> None:
        """The picture's inputs changed: draw it now and repaint the lines that differ."""
        size = self.content_size
        if self._drawn_key is None or self._drawn_key[1] != size:
            self.refresh()  # never drawn at this size: all of it, when Textual asks for its lines
            return
        lines = self.draw(size.width, size.height)
        changed = [y for y, runs in enumerate(lines) if y >= len(self._lines) or runs != self._lines[y]]
        changed += range(len(lines), len(self._lines))
        self._drawn_key, self._lines = (self.picture_key(), size), lines
        if changed:
            self.refresh(*(Region(0, y, size.width, 1) for y in changed))

    def render(self) -> Text:
        """The picture as plain text (Textual draws it line by line through ``render_line``)."""
        size = self.content_size
        return Text("\n".join("".join(text for text, _ in runs) for runs in self.draw(size.width, size.height)))

    def render_line(self, y: int) -> Strip:
        size = self.content_size
        key = (self.picture_key(), size)
        if key != self._drawn_key:
            self._drawn_key, self._lines = key, self.draw(size.width, size.height)
        return runs_strip(self._lines[y] if y < len(self._lines) else [], self.visual_style, size.width)
