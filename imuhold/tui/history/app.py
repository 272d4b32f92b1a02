"""``HistoryApp`` and ``make_history_app``, the one factory the CLI and the tests use."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App
from textual.binding import Binding

from imuhold.store import SessionStore, suggest_from_store
from imuhold.tui.history.sessions import SessionsScreen


class HistoryApp(App[None]):
    """Review stored sessions. Reads the store in the app's thread (SQLite connections are not shared)."""

    TITLE = "imuhold history"
    BINDINGS: ClassVar = [Binding("q", "quit", "Quit")]

    def __init__(self, store: SessionStore, default_target_s: float = 30.0) -> None:
        super().__init__()
        self.store = store
        self.default_target_s = default_target_s

    def on_mount(self) -> None:
        sessions = self.store.sessions()
        suggestion = suggest_from_store(self.store, self.default_target_s)
        self.push_screen(SessionsScreen(sessions, suggestion))


def make_history_app(store: SessionStore, default_target_s: float = 30.0) -> HistoryApp:
    """The history app on an open ``store``; ``default_target_s`` is the configured target (before any history)."""
    return HistoryApp(store, default_target_s)
