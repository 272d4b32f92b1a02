"""The sessions screen: one row per session, newest first, the next target above; Enter opens one, t the trend."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from imuhold.errors import ImuholdError
from imuhold.review.text import SESSION_COLUMNS, session_cells, target_line
from imuhold.store import SessionInfo, TargetSuggestion, daily_trend


class SessionsScreen(Screen[None]):
    DEFAULT_CSS = """
    SessionsScreen #target { padding: 0 1; color: $success; text-style: bold; }
    SessionsScreen #empty { padding: 1 2; color: $text-muted; }
    SessionsScreen DataTable { height: 1fr; }
    """
    BINDINGS: ClassVar = [Binding("t", "trend", "Trend"), Binding("enter", "open", "Open", priority=True)]

    class Opened(Message):
        """The user asked for one session."""

        def __init__(self, session_id: int) -> None:
            super().__init__()
            self.session_id = session_id

    def __init__(self, sessions: list[SessionInfo], suggestion: TargetSuggestion) -> None:
        super().__init__()
        self.sessions = sessions
        self.suggestion = suggestion

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(target_line(self.suggestion), id="target")
        if not self.sessions:
            yield Static("No sessions yet: train with `imuhold live` or try `imuhold demo`.", id="empty")
        table: DataTable[str] = DataTable(cursor_type="row", zebra_stripes=True, id="sessions")
        table.add_columns(*SESSION_COLUMNS)
        table.add_rows([session_cells(s) for s in self.sessions])
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()

    def selected(self) -> SessionInfo | None:
        table = self.query_one(DataTable)
        if not self.sessions:
            return None
        return self.sessions[min(table.cursor_row, len(self.sessions) - 1)]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        from imuhold.tui.history.session import SessionScreen

        info = self.selected()
        if info is None:
            return
        self.post_message(self.Opened(info.id))
        store = self.app.store  # type: ignore[attr-defined]
        try:
            holds, tilt = store.holds(info.id), store.tilt(info.id)
        except ImuholdError as exc:  # a damaged database: say so and the way out, stay on the list
            self.notify(f"{exc}", title=exc.title, severity="error", timeout=30)
            return
        self.app.push_screen(SessionScreen(info, holds, tilt))

    def action_trend(self) -> None:
        from imuhold.tui.history.trend import TrendScreen

        self.app.push_screen(TrendScreen(daily_trend(self.sessions), self.suggestion))
