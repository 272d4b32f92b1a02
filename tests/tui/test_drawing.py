"""The gauge's and the trace's pictures as runs of text, before Textual draws them."""

from __future__ import annotations

import math

from imuhold.tui import make_app
from imuhold.tui.session import TRACE_S
from imuhold.tui.widgets.gauge import LABEL_CELLS, gauge_lines, scale_row
from imuhold.tui.widgets.lines import DrawnLines
from imuhold.tui.widgets.trace import BRAILLE_BASE, braille_rows

from .helpers import held, settle, shown_latest

LO, HI = -20.0, 60.0


def dots(lines: list[str]) -> set[tuple[int, int]]:
    """The (x, y) dot positions that are set, from braille lines."""
    bits = (
        (0x01, 0, 0), (0x02, 0, 1), (0x04, 0, 2), (0x40, 0, 3),
        (0x08, 1, 0), (0x10, 1, 1), (0x20, 1, 2), (0x80, 1, 3),
    )
    found = set()
    for row, line in enumerate(lines):
        for col, ch in enumerate(line):
            code = ord(ch) - BRAILLE_BASE
            assert 0 <= code <= 0xFF
            found |= {(2 * col + dx, 4 * row + dy) for bit, dx, dy in bits if code & bit}
    return found


def test_a_flat_trace_at_the_top_of_the_range_is_one_row_of_dots_across():
    points = tuple((t / 10.0, HI) for t in range(int(TRACE_S * 10) + 1))
    found = dots(braille_rows(points, TRACE_S, 10, 3, LO, HI))
    assert found == {(x, 0) for x in range(20)}


def test_a_jump_is_joined_by_a_vertical_line_and_a_point_outside_the_window_breaks_it():
    width, height = 2 * 10, 4 * 3
    now = TRACE_S
    rows = braille_rows(((now - 20.0, HI), (now - 19.9, LO)), now, 10, 3, LO, HI)
    x = round(10.0 / TRACE_S * (width - 1))
    assert {(x, y) for y in range(height)} <= dots(rows)
    broken = braille_rows(((now - 40.0, HI), (now - 19.9, LO)), now, 10, 3, LO, HI)
    assert dots(broken) == {(round(10.1 / TRACE_S * (width - 1)), height - 1)}


def test_no_points_and_no_room_draw_nothing():
    assert braille_rows((), 10.0, 4, 2, LO, HI) == [chr(BRAILLE_BASE) * 4] * 2
    assert braille_rows(((1.0, 5.0),), 10.0, 0, 2, LO, HI) == ["", ""]


def test_a_scale_is_a_few_runs_with_the_marker_in_its_own():
    runs = scale_row(20.0, LO, HI, (10.0, 30.0), 40)
    assert "".join(text for text, _ in runs) == "─" * 15 + "━" * 5 + "█" + "━" * 4 + "─" * 15
    assert [style for _, style in runs] == ["#6e6e6e", "#2e8b57", "bold #3fd46b", "#2e8b57", "#6e6e6e"]
    beyond = scale_row(75.0, LO, HI, (10.0, 30.0), 40, judged=False)
    assert beyond[-1] == ("▶", "bold #e6e6e6")


def test_the_gauge_is_four_lines_of_the_given_width_with_its_values():
    lines = gauge_lines(21.0, math.nan, True, 60)
    texts = ["".join(text for text, _ in line) for line in lines]
    assert len(texts) == 4 and all(len(text) == 60 for text in texts)
    assert texts[0].startswith("tilt        +21°─") and texts[2].startswith("obliquity     — ─")
    assert texts[1].startswith(" " * LABEL_CELLS) and "+20" in texts[1]


async def test_repainting_only_the_changed_lines_gives_the_picture_drawn_whole(routine):
    app = make_app(held(routine, 100.0), stall_after_s=None)  # a hundred seconds of gauge, trace and stats redraws
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: app.session.pipeline.decode_stats.packets == len(app.source.packets))
        await shown_latest(pilot)
        repainted = app.export_screenshot()
        widgets = list(app.screen.query(DrawnLines))
        assert {type(w).__name__ for w in widgets} == {"HoldTimer", "SessionStats", "TiltGauge", "TiltTrace", "LinkBar"}
        for widget in widgets:
            widget.refresh()  # every line drawn again
        await pilot.pause()
        assert app.export_screenshot() == repainted
