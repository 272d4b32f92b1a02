"""One session: its summary, the tilt plot with holds shaded and the holds table; Escape goes back."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from imuhold.model import HoldMetrics
from imuhold.review.text import HOLD_COLUMNS, hold_cells, session_heading
from imuhold.store import SessionInfo, TiltPoint
from imuhold.tui.history.plot import TiltPlot


class SessionScreen(Screen[None]):
    DEFAULT_CSS = """
    SessionScreen #heading { padding: 0 1; }
    SessionScreen DataTable { height: 1fr; }
    """
    BINDINGS: ClassVar = [Binding("escape", "app.pop_screen", "Back")]

    def __init__(self, info: SessionInfo, holds: Sequence[HoldMetrics], points: Sequence[TiltPoint]) -> None:
        super().__init__()
        self.info = info
        self.holds = list(holds)
        self.points = points

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("\n".join(session_heading(self.info)), id="heading")
        yield TiltPlot(self.points, self.holds, self.info.duration_s, id="plot")
        table: DataTable[str] = DataTable(cursor_type="row", zebra_stripes=True, id="holds")
        table.add_columns(*HOLD_COLUMNS)
        table.add_rows([hold_cells(i, h) for i, h in enumerate(self.holds, 1)])
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"session {self.info.id}"
