"""The text chart and tables used by ``imuhold show`` and the history screens."""

from __future__ import annotations

from imuhold.model import HoldMetrics
from imuhold.review.chart import tilt_chart
from imuhold.review.text import clock, table
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


def test_an_empty_series_draws_nothing():
    chart = tilt_chart([], [], 8, 2)
    assert chart.rows == (" " * 8, " " * 8) and not any(chart.in_hold)


def test_clock_and_table():
    assert [clock(s) for s in (0, 59.4, 61, 3725)] == ["0:00", "0:59", "1:01", "1:02:05"]
    assert table(("a", "bb"), [("1", "2"), ("333", "4")]) == ["a    bb", "1    2", "333  4"]
    HoldMetrics(0, 1, 0, 0, 0, 0, None)  # the hold cells are exercised by the show and history tests
