"""Ground-truth labels of a recording (the optional ``.labels.json`` sidecar): squats, holds, distractors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LABELS_FORMAT = "imuhold-labels"
LABELS_VERSION = 1


@dataclass(frozen=True, slots=True)
class LabelledHold:
    """A true hold, seconds from the first sample of the recording."""

    start_s: float
    end_s: float


@dataclass(frozen=True, slots=True)
class LabelledSquat:
    """A true squat: entry (motion onset) to exit (back at rest in standing), with its holds."""

    entry_s: float
    exit_s: float
    holds: tuple[LabelledHold, ...] = ()
    style: str = "deep"
    depth_m: float | None = None


@dataclass(frozen=True, slots=True)
class Distractor:
    """A movement that must not count as a squat (stoop, walk, chair sit…)."""

    kind: str
    start_s: float
    end_s: float


@dataclass(frozen=True, slots=True)
class Labels:
    """All ground truth for one recording."""

    squats: tuple[LabelledSquat, ...] = ()
    distractors: tuple[Distractor, ...] = ()
    notes: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "format": LABELS_FORMAT,
            "version": LABELS_VERSION,
            "time_origin": "first_sample",
            "squats": [
                {
                    "entry_s": s.entry_s,
                    "exit_s": s.exit_s,
                    "style": s.style,
                    "depth_m": s.depth_m,
                    "holds": [{"start_s": h.start_s, "end_s": h.end_s} for h in s.holds],
                }
                for s in self.squats
            ],
            "distractors": [{"kind": d.kind, "start_s": d.start_s, "end_s": d.end_s} for d in self.distractors],
            "notes": self.notes,
            **({"extra": self.extra} if self.extra else {}),
        }

    @classmethod
    def from_json_dict(cls, data: dict[str, Any]) -> Labels:
        """Build from the sidecar's JSON; raises KeyError/TypeError/ValueError on a malformed document."""
        if data.get("format") != LABELS_FORMAT:
            raise ValueError(f"not an imuhold labels document (format={data.get('format')!r})")
        if data.get("version") != LABELS_VERSION:
            raise ValueError(f"unsupported labels version {data.get('version')!r}")
        squats = tuple(
            LabelledSquat(
                entry_s=float(s["entry_s"]),
                exit_s=float(s["exit_s"]),
                style=str(s.get("style", "deep")),
                depth_m=None if s.get("depth_m") is None else float(s["depth_m"]),
                holds=tuple(LabelledHold(float(h["start_s"]), float(h["end_s"])) for h in s.get("holds", [])),
            )
            for s in data.get("squats", [])
        )
        distractors = tuple(
            Distractor(str(d["kind"]), float(d["start_s"]), float(d["end_s"])) for d in data.get("distractors", [])
        )
        return cls(squats, distractors, str(data.get("notes", "")), dict(data.get("extra", {})))
