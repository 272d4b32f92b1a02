"""Turn pipeline results into the JSON document of ``imuhold analyze --json`` and into short text lines."""

from __future__ import annotations

import math
from typing import Any

from imuhold.model import Event, EventKind, Squat
from imuhold.pipeline import Analysis

EVENT_WORDS = {
    EventKind.CALIBRATED: "calibrated (standing reference taken)",
    EventKind.SQUAT_ENTRY: "squat entry",
    EventKind.HOLD_START: "hold start",
    EventKind.HOLD_END: "hold end",
    EventKind.SQUAT_EXIT: "squat exit",
}


def _round(value: float | None, digits: int = 3) -> float | None:
    if value is None or math.isnan(value):
        return None
    return round(value, digits)


def squat_to_dict(squat: Squat) -> dict[str, Any]:
    return {
        "entry_s": _round(squat.entry_s),
        "exit_s": _round(squat.exit_s),
        "depth_m": _round(squat.depth_m),
        "holds": [
            {
                "start_s": _round(h.start_s),
                "end_s": _round(h.end_s),
                "duration_s": _round(h.duration_s),
                "tilt_mean_deg": _round(h.tilt_mean_deg, 2),
                "tilt_sd_deg": _round(h.tilt_sd_deg, 2),
                "sway_rms_deg": _round(h.sway_rms_deg, 2),
                "obliquity_mean_deg": _round(h.obliquity_mean_deg, 2),
                "depth_m": _round(h.depth_m),
                "unobserved_s": _round(h.unobserved_s),
            }
            for h in squat.holds
        ],
    }


def analysis_to_dict(analysis: Analysis, file: str, warnings: list[str] | None = None) -> dict[str, Any]:
    """The per-file JSON object of ``imuhold analyze --json`` (times in seconds from the first sample)."""
    calibrated = next((e.t_s for e in analysis.events if e.kind is EventKind.CALIBRATED), None)
    stats = analysis.decode
    return {
        "file": file,
        "duration_s": _round(analysis.duration_s),
        "samples": analysis.samples,
        "calibrated_s": _round(calibrated),
        "squats": [squat_to_dict(s) for s in analysis.squats],
        "total_hold_s": _round(analysis.total_hold_s),
        "decode": {
            "packets": stats.packets,
            "frames": stats.frames,
            "bad_frames": stats.bad_frames,
            "lost_frames": stats.lost_frames,
            "loss_fraction": _round(stats.loss_fraction, 4),
            "out_of_order": analysis.out_of_order,
        },
        "warnings": list(warnings or []),
    }


def event_line(event: Event) -> str:
    """One line for a live event log: when it became known, what, and when it happened if that was earlier."""
    back_dated = event.t_detected_s - event.t_s >= 0.05
    suffix = f", from {event.t_s:.2f} s" if back_dated else ""
    return f"{event.t_detected_s:8.2f} s  {EVENT_WORDS[event.kind]}{suffix}"


def summary_lines(analysis: Analysis) -> list[str]:
    """A short human summary: squats, holds, total and longest hold, and per-hold posture."""
    holds = [h for s in analysis.squats for h in s.holds]
    longest = max((h.duration_s for h in holds), default=0.0)
    lines = [
        f"squats: {len(analysis.squats)}   holds: {len(holds)}   "
        f"total hold: {analysis.total_hold_s:.1f} s   longest: {longest:.1f} s",
    ]
    for i, h in enumerate(holds, 1):
        depth = "" if h.depth_m is None else f"   depth {h.depth_m:+.2f} m"
        unobserved = f"   ({h.unobserved_s:.1f} s unobserved)" if h.unobserved_s else ""
        lines.append(
            f"  hold {i}: {h.start_s:7.1f}–{h.end_s:7.1f} s  {h.duration_s:5.1f} s   "
            f"tilt {h.tilt_mean_deg:+5.1f}° ± {h.tilt_sd_deg:.1f}   sway {h.sway_rms_deg:.1f}°   "
            f"obliquity {h.obliquity_mean_deg:+.1f}°{depth}{unobserved}"
        )
    stats = analysis.decode
    if stats.lost_frames or stats.bad_frames:
        lines.append(f"link: {stats.lost_frames} frames lost ({stats.loss_fraction:.1%}), {stats.bad_frames} bad")
    return lines
