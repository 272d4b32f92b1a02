"""The history app: sessions table, one session's tilt plot and holds, the trend across days, the next target."""

from imuhold.tui.history.app import HistoryApp, make_history_app

__all__ = ["HistoryApp", "make_history_app"]
