"""What the sessions store holds and returns: sessions with their summaries, holds, tilt points, day trends."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from imuhold.model import Event, Squat

END_REASONS = ("completed", "stopped", "interrupted", "link_lost", "disk_full")
"""Why a session ended: the routine finished, the user stopped it, the process died, the sensor went away, the
disk filled up."""


def parse_utc(text: str) -> datetime:
    """A stored ``…Z`` timestamp as an aware datetime."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@dataclass(frozen=True, slots=True)
class TiltPoint:
    """One point of the downsampled tilt series: sample time, angles (None before calibration), detector state."""

    t_s: float
    tilt_deg: float | None
    obliquity_deg: float | None
    state: str


@dataclass(frozen=True, slots=True)
class SessionInfo:
    """One session row with its summary over its holds (``tilt_mean_deg`` is weighted by hold duration)."""

    id: int
    started_utc: str
    ended_utc: str | None
    end_reason: str | None
    duration_s: float
    samples: int = 0
    sensor: str = ""
    profile: str = ""
    rate_hz: float | None = None
    counterweight_kg: float | None = None
    target_hold_s: float | None = None
    notes: str = ""
    recording: str | None = None
    app_version: str = ""
    updated_utc: str = ""
    calibration: dict[str, Any] | None = None
    holds: int = 0
    total_hold_s: float = 0.0
    longest_hold_s: float = 0.0
    tilt_mean_deg: float | None = None
    drops: int = 0
    """Times the connection to the sensor was lost during the session."""
    unobserved_hold_s: float = 0.0
    """Seconds of the session's holds without data (gaps they were kept across)."""

    @property
    def started(self) -> datetime:
        return parse_utc(self.started_utc)

    @property
    def recording_open(self) -> bool:
        """True while no end is stored: being recorded now, or interrupted and not yet recovered."""
        return self.ended_utc is None


@dataclass(frozen=True, slots=True)
class LinkMark:
    """A link event in a session: ``link-lost``, ``link-restored`` or ``gap`` (frames missing), at session time
    ``t_s`` (the last sample before it); ``detail``: the link's note or the number of frames lost."""

    t_s: float
    kind: str
    detail: str = ""


def mark_detail(data: dict[str, Any]) -> str:
    """The detail stored for a recording mark's data: the link's note, or the number of frames lost."""
    return str(data.get("note", data.get("lost_frames", "")))


def unobserved_s(marks: list[LinkMark]) -> float:
    """Seconds of session time without data: from each ``link-lost`` to the ``link-restored`` after it."""
    total, lost_at = 0.0, None
    for mark in marks:
        if mark.kind == "link-lost" and lost_at is None:
            lost_at = mark.t_s
        elif mark.kind == "link-restored" and lost_at is not None:
            total, lost_at = total + max(0.0, mark.t_s - lost_at), None
    return total


@dataclass(slots=True)
class SessionBatch:
    """Rows gathered since the last commit, written in one transaction."""

    events: list[Event] = field(default_factory=list)
    squats: list[Squat] = field(default_factory=list)
    tilt: list[TiltPoint] = field(default_factory=list)
    marks: list[LinkMark] = field(default_factory=list)
    duration_s: float | None = None
    samples: int | None = None
    calibration: dict[str, Any] | None = None
    counterweight_kg: float | None = None
    counterweight_changed: bool = False

    def __bool__(self) -> bool:
        return bool(
            self.events
            or self.squats
            or self.tilt
            or self.marks
            or self.duration_s is not None
            or self.calibration is not None
            or self.counterweight_changed
        )
