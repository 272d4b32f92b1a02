"""The pair app and ``make_pair_app``: the pair screen alone; it returns what was paired (None: nothing)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import ClassVar

from textual.app import App
from textual.binding import Binding

from imuhold.ble.client import Connector
from imuhold.tui.screens.pair import SCAN_WINDOW_S, Paired, PairScreen


class PairApp(App[Paired]):
    """Choose a sensor from a live scan and remember it."""

    TITLE = "imuhold pair"
    BINDINGS: ClassVar = [Binding("q", "done", "Quit")]

    def __init__(self, screen: PairScreen) -> None:
        super().__init__()
        self.pair_screen = screen

    def on_mount(self) -> None:
        self.push_screen(self.pair_screen)

    def action_done(self) -> None:
        self.exit(self.pair_screen.paired)


def make_pair_app(
    open_connector: Callable[[], Awaitable[Connector]], profile: str | None = None, window_s: float = SCAN_WINDOW_S
) -> PairApp:
    """The pair app; ``open_connector`` is awaited in the app's loop, ``profile`` overrides recognition."""
    return PairApp(PairScreen(open_connector, profile, window_s))
