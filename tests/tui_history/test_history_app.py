"""The history app (Pilot): sessions table, a session's plot and holds, the trend, the next target."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Static

from imuhold.model import HoldMetrics, Squat
from imuhold.store import SessionBatch, SessionStore, TiltPoint
from imuhold.tui.history import make_history_app
from imuhold.tui.history.plot import GAP_STYLE, HOLD_STYLE, LABEL_WIDTH, TiltPlot
from imuhold.tui.history.session import SessionScreen
from imuhold.tui.history.sessions import SessionsScreen
from imuhold.tui.history.trend import TrendChart, TrendScreen

SIZE = (120, 40)


def add_session(store: SessionStore, day: int, holds_s: list[float], target_s: float = 10.0) -> int:
    sid = store.create_session(started_utc=f"2026-02-{day:02d}T12:00:00.000Z", sensor="IH-1", target_hold_s=target_s,
                               counterweight_kg=5.0)  # fmt: skip
    holds = tuple(HoldMetrics(20.0 + 40 * i, 20.0 + 40 * i + d, 12.0 + i, 1.0, 1.2, -1.0, -0.4)
                  for i, d in enumerate(holds_s))  # fmt: skip
    duration_s = 40.0 * len(holds_s) + 20.0
    tilt = [TiltPoint(t / 10, 3.0 if t % 400 < 200 else 15.0, 0.0, "standing") for t in range(int(duration_s * 10))]
    store.write(sid, SessionBatch(squats=[Squat(15.0, duration_s - 5, -0.4, holds)] if holds else [], tilt=tilt,
                                  duration_s=duration_s, samples=int(duration_s * 100)))  # fmt: skip
    store.end_session(sid, "completed", f"2026-02-{day:02d}T12:05:00.000Z")
    return sid


@pytest.fixture
def store(tmp_path):
    with SessionStore.open(tmp_path) as s:
        add_session(s, 1, [8.0, 11.0])
        add_session(s, 2, [10.5, 6.0, 12.0])
        add_session(s, 4, [9.0])
        yield s


def rows(table: DataTable) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_the_sessions_table_lists_newest_first_with_the_next_target(store):
    app = make_history_app(store, 30.0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SessionsScreen)
        table = app.screen.query_one("#sessions", DataTable)
        assert [r[0] for r in rows(table)] == ["3", "2", "1"]
        assert rows(table)[1][3:6] == ["3", "28.5 s", "12.0 s"]  # holds, total, longest
        assert rows(table)[1][7:] == ["5 kg", "0", "completed"]  # weight, drops, end
        target = str(app.screen.query_one("#target", Static).render())
        assert target.startswith("next target: raise to 12 s")  # 3 holds ≥ 10 s over 2 of the last 3 sessions


async def test_enter_opens_the_session_with_its_plot_and_holds(store):
    opened = []
    app = make_history_app(store, 30.0)
    async with app.run_test(size=SIZE, message_hook=lambda m: opened.append(m.session_id)
                            if isinstance(m, SessionsScreen.Opened) else None) as pilot:  # fmt: skip
        await pilot.press("down", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen) and screen.info.id == 2
        assert set(opened) == {2}  # the message arrives at the screen, then bubbles to the app
        assert sum(isinstance(s, SessionScreen) for s in app.screen_stack) == 1
        holds = rows(screen.query_one("#holds", DataTable))
        assert [r[1:3] for r in holds] == [["0:20", "10.5 s"], ["1:00", "6.0 s"], ["1:40", "12.0 s"]]
        plot = screen.query_one(TiltPlot).render()
        assert any("\u2800" < ch <= "\u28ff" for ch in plot.plain)  # braille line
        assert any(span.style == HOLD_STYLE for span in plot.spans)  # holds shaded
        await pilot.press("escape")
        assert isinstance(app.screen, SessionsScreen)


async def test_a_gap_in_the_data_is_shaded_in_the_sessions_plot(store):
    sid = add_session(store, 5, [20.0])  # one hold, 20–40 s, in a 60 s session
    store.conn.execute("DELETE FROM tilt WHERE session_id = ? AND t_s > 30.0 AND t_s < 34.0", (sid,))  # link lost
    app = make_history_app(store, 30.0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")  # the newest session: this one
        await pilot.pause()
        plot = app.screen.query_one(TiltPlot)
        first_row = plot.render().split("\n")[0]
        gap_columns = sorted(i - LABEL_WIDTH for span in first_row.spans if span.style == GAP_STYLE
                             for i in range(span.start, span.end))  # fmt: skip
        column_s = 60.0 / (plot.size.width - LABEL_WIDTH)
        assert gap_columns == list(range(int(30.0 / column_s), int(34.0 / column_s) + 1))
        await pilot.press("escape", "down", "enter")  # a session without gaps: nothing shaded as one
        await pilot.pause()
        assert not any(span.style == GAP_STYLE for span in app.screen.query_one(TiltPlot).render().spans)


async def test_t_shows_the_trend_per_day(store):
    app = make_history_app(store, 30.0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TrendScreen)
        chart = app.screen.query_one(TrendChart)
        assert len(chart.days) == 3  # one per (local) day
        text = chart.render().plain
        assert text.count("longest") == 3 and "12.0 s" in text and "0:28" in text
        await pilot.press("escape")
        assert isinstance(app.screen, SessionsScreen)


async def test_an_empty_history_says_how_to_start(tmp_path):
    with SessionStore.open(tmp_path) as empty:
        app = make_history_app(empty, 20.0)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, SessionsScreen)
            assert "No sessions yet" in str(app.screen.query_one("#empty", Static).render())
            assert str(app.screen.query_one("#target", Static).render()).startswith("next target: keep 20 s")


async def test_a_garbled_session_says_the_way_out_and_the_list_stays(store):
    store.conn.execute("UPDATE holds SET end_s = 'x' WHERE session_id = 2")
    app = make_history_app(store, 30.0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionsScreen)
        [notice] = list(app._notifications)
        assert notice.severity == "error" and "move it aside" in notice.message
