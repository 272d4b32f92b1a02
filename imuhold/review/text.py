"""Text for reviewing sessions: table cells shared by ``imuhold show`` and the history screens, and whole reports."""

from __future__ import annotations

import math
from collections.abc import Sequence

from imuhold.model import HoldMetrics
from imuhold.review.chart import tilt_chart
from imuhold.store import DayTrend, LinkMark, SessionInfo, TargetSuggestion, TiltPoint, unobserved_s

SESSION_COLUMNS = ("id", "date", "duration", "holds", "total hold", "longest", "mean tilt", "weight", "drops", "end")
HOLD_COLUMNS = ("#", "start", "duration", "tilt mean", "tilt SD", "sway", "obliquity", "depth", "unobserved")
TREND_COLUMNS = ("day", "sessions", "holds", "total hold", "longest")


def clock(span_s: float) -> str:
    """``m:ss`` (or ``h:mm:ss``) for a span of time."""
    minutes, secs = divmod(round(max(0.0, span_s)), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def seconds(value: float) -> str:
    return f"{value:.1f} s"


def held(total_s: float, unobserved_s: float) -> str:
    """Hold seconds, with how many of them were not observed (gaps in the data) when there were any."""
    return seconds(total_s) + (f" ({unobserved_s:.1f} s unobserved)" if unobserved_s > 0 else "")


def degrees(value: float | None, signed: bool = True) -> str:
    if value is None or math.isnan(value):
        return "–"
    return f"{value:+.1f}°" if signed else f"{value:.1f}°"


def weight(kg: float | None) -> str:
    return "–" if kg is None else f"{kg:g} kg"


def local_time(info: SessionInfo) -> str:
    return info.started.astimezone().strftime("%Y-%m-%d %H:%M")


def session_cells(info: SessionInfo) -> tuple[str, ...]:
    return (
        str(info.id),
        local_time(info),
        clock(info.duration_s),
        str(info.holds),
        held(info.total_hold_s, info.unobserved_hold_s),
        seconds(info.longest_hold_s),
        degrees(info.tilt_mean_deg),
        weight(info.counterweight_kg),
        str(info.drops),
        info.end_reason or "recording",
    )


def hold_cells(number: int, hold: HoldMetrics) -> tuple[str, ...]:
    return (
        str(number),
        clock(hold.start_s),
        seconds(hold.duration_s),
        degrees(hold.tilt_mean_deg),
        degrees(hold.tilt_sd_deg, signed=False),
        degrees(hold.sway_rms_deg, signed=False),
        degrees(hold.obliquity_mean_deg),
        "–" if hold.depth_m is None else f"{hold.depth_m:+.2f} m",
        seconds(hold.unobserved_s) if hold.unobserved_s > 0 else "–",
    )


def trend_cells(day: DayTrend) -> tuple[str, ...]:
    return (day.day.isoformat(), str(day.sessions), str(day.holds), seconds(day.total_hold_s),
            seconds(day.longest_hold_s))  # fmt: skip


def table(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """Columns padded to their widest cell; numbers and text alike left-aligned, two spaces apart."""
    widths = [max(len(c), *(len(r[i]) for r in rows)) if rows else len(c) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return lines


def session_heading(info: SessionInfo) -> list[str]:
    sensor = info.sensor or "sensor"
    rate = f", {info.rate_hz:g} Hz" if info.rate_hz else ""
    target = "–" if info.target_hold_s is None else seconds(info.target_hold_s)
    return [
        f"session {info.id}   {local_time(info)}   {clock(info.duration_s)}   {info.end_reason or 'recording'}",
        f"{sensor} ({info.profile or '?'}{rate})   counterweight {weight(info.counterweight_kg)}   target {target}",
        f"holds {info.holds}   total {held(info.total_hold_s, info.unobserved_hold_s)}   "
        f"longest {seconds(info.longest_hold_s)}   mean tilt {degrees(info.tilt_mean_deg)}",
    ]


def chart_lines(points: Sequence[TiltPoint], holds: Sequence[HoldMetrics], end_s: float, width: int = 72,
                height: int = 8) -> list[str]:  # fmt: skip
    """The tilt chart with a degree scale on the left and a line marking the holds (━) beneath, then one marking the
    gaps in the data (░) when there are any."""
    chart = tilt_chart(points, [(h.start_s, h.end_s) for h in holds], width, height, end_s)
    labels = [f"{chart.top_deg:+4.0f}°" if i == 0 else f"{chart.bottom_deg:+4.0f}°" if i == height - 1 else ""
              for i in range(height)]  # fmt: skip
    lines = [f"{label:>6} {row}" for label, row in zip(labels, chart.rows, strict=True)]
    lines.append("  hold " + "".join("━" if h else " " for h in chart.in_hold).rstrip())
    if any(chart.in_gap):
        lines.append("   gap " + "".join("░" if g else " " for g in chart.in_gap).rstrip())
    lines.append(f"{'':7}0:00{clock(chart.end_s).rjust(width - 4)}")
    return lines


def link_lines(marks: Sequence[LinkMark]) -> list[str]:
    """The link marks of a session, one line each (lost and restored, frames missing), and the unobserved total."""
    if not marks:
        return []
    what = {"link-lost": "connection lost", "link-restored": "connection restored", "gap": "frames missing"}
    lines = [f"link  {clock(m.t_s)}  {what.get(m.kind, m.kind)}" + (f" ({m.detail})" if m.detail else "")
             for m in marks]  # fmt: skip
    return [*lines, f"link  unobserved {seconds(unobserved_s(list(marks)))} in all"]


def show_lines(
    info: SessionInfo, holds: Sequence[HoldMetrics], points: Sequence[TiltPoint], marks: Sequence[LinkMark] = ()
) -> list[str]:
    """``imuhold show``: heading, tilt chart (clinical: anterior tilt up), holds table, link marks."""
    lines = [*session_heading(info), "", "tilt (anterior +)"]
    lines += chart_lines(points, holds, info.duration_s)
    lines.append("")
    lines += table(HOLD_COLUMNS, [hold_cells(i, h) for i, h in enumerate(holds, 1)]) if holds else ["no holds"]
    if marks:
        lines += ["", *link_lines(marks)]
    if info.notes:
        lines += ["", f"notes: {info.notes}"]
    return lines


def target_line(suggestion: TargetSuggestion) -> str:
    change = suggestion.change_s
    how = "keep" if change == 0 else "raise to" if change > 0 else "lower to"
    return f"next target: {how} {suggestion.target_s:.0f} s ({suggestion.reason})"
