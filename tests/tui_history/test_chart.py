"""The text chart and tables used by ``imuhold show`` and the history screens."""

from __future__ import annotations

from imuhold.model import HoldMetrics
from imuhold.review.chart import GAP_S, gaps, tilt_chart
from imuhold.review.text import chart_lines, clock, table
from imuhold.store import TiltPoint


def ramp(n: int = 100) -> list[TiltPoint]:
    return [TiltPoint(i * 0.1, float(i) / 2, 0.0, "standing") for i in range(n)]


def dots_in(row: str) -> int:
    return sum(bin(ord(c) - 0x2800).count("1") for c in row if c != " ")


def test_the_chart_fills_its_size_and_a_rising_line_goes_up():
    chart = tilt_chart(ramp(), [], 20, 5, end_s=10.0)
    assert len(chart.rows) == 5 and all(len(r) == 20 for r in chart.rows)
    assert chart.bottom_deg <= 0.0 and chart.top_deg >= 49.5
    first_row_of = [next(i for i, r in enumerate(chart.rows) if r[col] != " ") for col in (0, 19)]
    assert first_row_of[0] > first_row_of[1]  # late columns are drawn higher (smaller row index)
    assert all(dots_in("".join(r[c] for r in chart.rows)) >= 2 for c in range(20))


def test_hold_columns_cover_exactly_the_holds():
    chart = tilt_chart(ramp(), [(2.0, 4.0), (9.5, 10.0)], 10, 3, end_s=10.0)
    assert chart.in_hold == (False, False, True, True, False, False, False, False, False, True)


def test_points_before_calibration_leave_gaps():
    points = [TiltPoint(t / 10, None, None, "calibrating") for t in range(50)] + ramp(100)[50:]
    chart = tilt_chart(points, [], 10, 2, end_s=10.0)
    assert all(r[:5].strip() == "" for r in chart.rows) and any(r[5:].strip() for r in chart.rows)


def step(gap: tuple[float, float] | None, end_s: float = 600.0, period_s: float = 0.1) -> list[TiltPoint]:
    """+5° until the gap (or 300 s), +25° after, every ``period_s``; no points inside ``gap`` (a dropped link)."""
    change_s = gap[0] if gap else 300.0
    times = [round(i * period_s, 3) for i in range(round(end_s / period_s) + 1)]
    return [TiltPoint(t, 5.0 if t < change_s else 25.0, 0.0, "holding") for t in times
            if gap is None or not gap[0] < t < gap[1]]  # fmt: skip


def column_dots(chart, column: int) -> int:
    return dots_in("".join(r[column] for r in chart.rows))


def test_a_gap_in_the_data_breaks_the_line_and_is_marked():
    # 600 s in 72 characters: 8.3 s a character, 4.2 s a dot column; the 3 s gap lies between two dot columns
    joined = tilt_chart(step(None), [], 72, 8, end_s=600.0)
    chart = tilt_chart(step((299.95, 303.0)), [], 72, 8, end_s=600.0)
    assert column_dots(joined, 36) > 4  # without a gap the step is one line: a vertical run joins its two levels
    assert column_dots(chart, 36) == 2  # across the gap nothing is drawn: one dot per dot column, no join
    assert [i for i, g in enumerate(chart.in_gap) if g] == [35, 36]  # the span without data, 299.9–303.0 s
    assert not any(joined.in_gap)


def test_a_gap_inside_one_dot_column_leaves_both_sides_unjoined():
    chart = tilt_chart(step((300.45, 301.0)), [], 72, 8, end_s=600.0)  # 300.4 and 301.0 share dot column 72
    # dot column 72: +5° before the gap and +25° after it, one dot each, not a line between; dot column 73: +25°
    assert column_dots(chart, 36) == 3
    assert [i for i, g in enumerate(chart.in_gap) if g] == [36]


def test_slow_sensors_and_jitter_are_not_gaps():
    assert gaps(step(None, period_s=0.2)) == []  # a 5 Hz sensor keeps a point per sample
    points = step(None)
    del points[100:102]  # two points missing: 9.9 s and 10.2 s are 0.3 s apart, a sample gap of 0.25 s at most
    assert gaps(points) == [] and GAP_S > 0.3
    assert gaps(step((100.0, 100.5))) == [(100.0, 100.5)]


def test_show_marks_the_gaps_beneath_the_holds():
    lines = chart_lines(step((299.95, 303.0)), [HoldMetrics(251.0, 349.0, 5.0, 1.0, 1.0, 0.0, None, 3.0)], 600.0)
    hold_row, gap_row = lines[-3], lines[-2]
    assert hold_row.startswith("  hold ") and gap_row.startswith("   gap ")
    assert gap_row == "   gap " + " " * 35 + "░░"  # characters 35 and 36: 299.9–303.0 s
    assert hold_row == "  hold " + " " * 30 + "━" * 12  # the hold is drawn whole; the gap row says what was not seen
    assert not any(line.startswith("   gap ") for line in chart_lines(step(None), [], 600.0))


def test_an_empty_series_draws_nothing():
    chart = tilt_chart([], [], 8, 2)
    assert chart.rows == (" " * 8, " " * 8) and not any(chart.in_hold) and not any(chart.in_gap)


def test_clock_and_table():
    assert [clock(s) for s in (0, 59.4, 61, 3725)] == ["0:00", "0:59", "1:01", "1:02:05"]
    assert table(("a", "bb"), [("1", "2"), ("333", "4")]) == ["a    bb", "1    2", "333  4"]
    HoldMetrics(0, 1, 0, 0, 0, 0, None)  # the hold cells are exercised by the show and history tests
