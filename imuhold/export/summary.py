"""A session as one JSON-ready document: metadata, totals, squats with holds, events, in a chosen convention."""

from __future__ import annotations

import math
from typing import Any

from imuhold import __version__
from imuhold.export.convention import Convention
from imuhold.model import Event, Squat
from imuhold.store import SessionInfo

SUMMARY_FORMAT = "imuhold-session"
SUMMARY_VERSION = 1


def _r(value: float | None, digits: int = 3) -> float | None:
    if value is None or math.isnan(value):
        return None
    return round(value, digits)


def session_dict(info: SessionInfo) -> dict[str, Any]:
    return {
        "id": info.id,
        "started_utc": info.started_utc,
        "ended_utc": info.ended_utc,
        "end_reason": info.end_reason,
        "duration_s": _r(info.duration_s),
        "samples": info.samples,
        "sensor": info.sensor,
        "profile": info.profile,
        "rate_hz": info.rate_hz,
        "counterweight_kg": info.counterweight_kg,
        "target_hold_s": info.target_hold_s,
        "notes": info.notes,
        "recording": info.recording,
        "app_version": info.app_version,
        "calibration": info.calibration,
    }


def summary_dict(info: SessionInfo, squats: list[Squat], events: list[Event], convention: Convention) -> dict[str, Any]:
    """The JSON summary of ``imuhold export --format json`` and ``imuhold show --json``."""
    c = convention
    holds = [h for s in squats for h in s.holds]
    return {
        "format": SUMMARY_FORMAT,
        "version": SUMMARY_VERSION,
        "exported_by": f"imuhold {__version__}",
        "convention": {
            "name": c.name,
            "tilt": c.tilt_column,
            "obliquity": c.obliquity_column,
            "signs": c.description,
            "sequence": "rotation, obliquity, tilt (Baker 2001); rotation is not measured",
            "zero": "quiet standing at calibration",
        },
        "session": session_dict(info),
        "totals": {
            "squats": len(squats),
            "holds": len(holds),
            "total_hold_s": _r(sum(h.duration_s for h in holds)),
            "longest_hold_s": _r(max((h.duration_s for h in holds), default=0.0)),
            c.tilt_column.replace("_deg", "_mean_deg"): _r(c.tilt(info.tilt_mean_deg), 2),
        },
        "squats": [
            {
                "entry_s": _r(s.entry_s),
                "exit_s": _r(s.exit_s),
                "depth_m": _r(s.depth_m),
                "holds": [
                    {
                        "start_s": _r(h.start_s),
                        "end_s": _r(h.end_s),
                        "duration_s": _r(h.duration_s),
                        c.tilt_column.replace("_deg", "_mean_deg"): _r(c.tilt(h.tilt_mean_deg), 2),
                        c.tilt_column.replace("_deg", "_sd_deg"): _r(h.tilt_sd_deg, 2),
                        "sway_rms_deg": _r(h.sway_rms_deg, 2),
                        c.obliquity_column.replace("_deg", "_mean_deg"): _r(c.obliquity(h.obliquity_mean_deg), 2),
                        "depth_m": _r(h.depth_m),
                        "unobserved_s": _r(h.unobserved_s),
                    }
                    for h in s.holds
                ],
            }
            for s in squats
        ],
        "events": [{"kind": e.kind.value, "t_s": _r(e.t_s), "t_detected_s": _r(e.t_detected_s)} for e in events],
    }
