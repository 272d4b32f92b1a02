"""Widgets drawn as whole lines of styled runs through Textual's line API: no text layout on every redraw."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from functools import lru_cache

from rich.segment import Segment
from rich.style import Style as RichStyle
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


class DrawnLines(Widget):
    """A widget whose picture is a few lines of runs, drawn again only when ``picture_key`` or its size changes.

    Several times a second, Textual's own path (text → content → wrapped lines → strips) cost a millisecond a
    redraw for a handful of lines; strips built straight from runs cost a small fraction of that.
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._drawn_key: Hashable = None
        self._strips: list[Strip] = []

    def picture_key(self) -> Hashable:
        """Everything the picture depends on besides the size and the style."""
        raise NotImplementedError

    def draw(self, width: int, height: int) -> list[list[Run]]:
        """The lines of the picture (at most ``height``), each a list of runs."""
        raise NotImplementedError

    def render_line(self, y: int) -> Strip:
        size, base = self.content_size, self.visual_style
        key = (self.picture_key(), size, base)
        if key != self._drawn_key:
            self._drawn_key = key
            self._strips = [runs_strip(runs, base, size.width) for runs in self.draw(size.width, size.height)]
        return self._strips[y] if y < len(self._strips) else Strip.blank(size.width, base.rich_style)
