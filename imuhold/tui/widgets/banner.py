"""The state banner: the state in big letters on a colour that tells it from across the room."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from imuhold.model import MotionState
from imuhold.tui.widgets.bigtext import big_rows, big_width

HINTS = {
    MotionState.CALIBRATING: "stand still",
    MotionState.STANDING: "squat when ready",
    MotionState.DESCENDING: "settle in",
    MotionState.HOLDING: "breathe, knees out",
    MotionState.ASCENDING: "stand tall",
}


class StateBanner(Widget):
    """Shows ``state`` (or that the session is paused); its CSS class follows, for the colour."""

    DEFAULT_CSS = """
    StateBanner {
        height: 3;
        color: #ffffff;
        background: #1f5fbf;
        text-style: bold;
    }
    StateBanner.-standing { background: #4d4d4d; }
    StateBanner.-descending { background: #b35900; }
    StateBanner.-holding { background: #14803c; }
    StateBanner.-ascending { background: #7b3fc4; }
    StateBanner.-paused { background: #262626; color: #c8c8c8; }
    """

    state: reactive[MotionState] = reactive(MotionState.CALIBRATING)
    paused: reactive[bool] = reactive(False)

    def watch_state(self) -> None:
        self._restyle()

    def watch_paused(self) -> None:
        self._restyle()

    def on_mount(self) -> None:
        self._restyle()

    @property
    def word(self) -> str:
        return "paused" if self.paused else self.state.value

    def _restyle(self) -> None:
        for state in MotionState:
            self.set_class(not self.paused and self.state is state, f"-{state.value}")
        self.set_class(self.paused, "-paused")

    def render(self) -> Text:
        word = self.word
        hint = "p resumes" if self.paused else HINTS[self.state]
        caption = f"{word} · {hint}"
        width = self.size.width
        rows = big_rows(word)
        if 1 + big_width(word) + 3 + len(caption) <= width:
            left = max(1, (width - big_width(word) - 3 - len(caption)) // 2)
            lines = [" " * left + rows[0], " " * left + rows[1] + "   " + caption, " " * left + rows[2]]
        elif big_width(word) <= width:
            left = (width - big_width(word)) // 2
            lines = [" " * left + row for row in rows]
        else:
            lines = ["", caption.center(width), ""]
        return Text("\n".join(lines), no_wrap=True, overflow="crop")
