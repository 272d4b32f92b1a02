"""Score detected squats and holds against labelled ones: misses, false detections, timing and duration errors.

Squats are paired by the overlap of their [entry, exit] intervals (greedy, largest overlap first); holds are
paired the same way inside paired squats. Event F1 counts an event as found when a detected event of the same
kind lies within ``tolerance_s`` of a labelled one (each used once). By policy a chair sit counts as a squat
(see ``imuhold.detect.hold``): detections overlapping a labelled chair sit are reported separately, neither
false nor scored. The other distractors (stoops, walks…) are counted per kind, and so are those a false squat
overlaps ("called a squat").
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from imuhold.model import Squat
from imuhold.recording.labels import Labels

EVENT_TYPES = ("entry", "hold_start", "hold_end", "exit")
DEFAULT_TOLERANCE_S = 0.5


def _greedy(candidates: list[tuple[float, int, int]]) -> list[tuple[int, int]]:
    """Pairs (i, j) taken best score first, each index used once; candidates are (score, i, j), lower is better."""
    used_i: set[int] = set()
    used_j: set[int] = set()
    pairs = []
    for _, i, j in sorted(candidates):
        if i not in used_i and j not in used_j:
            used_i.add(i)
            used_j.add(j)
            pairs.append((i, j))
    return sorted(pairs)


def _pair(a: list[tuple[float, float]], b: list[tuple[float, float]]) -> list[tuple[int, int]]:
    """Pairing of intervals by largest positive overlap."""
    candidates = []
    for i, (a0, a1) in enumerate(a):
        for j, (b0, b1) in enumerate(b):
            overlap = min(a1, b1) - max(a0, b0)
            if overlap > 0:
                candidates.append((-overlap, i, j))
    return _greedy(candidates)


def _event_times(entries: list[tuple[str, float]]) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {k: [] for k in EVENT_TYPES}
    for kind, t in entries:
        out[kind].append(t)
    return out


def _matched_within(truth: list[float], found: list[float], tolerance_s: float) -> int:
    """How many truth events have an unused found event within the tolerance (nearest first)."""
    candidates = [
        (abs(t - f), i, j) for i, t in enumerate(truth) for j, f in enumerate(found) if abs(t - f) <= tolerance_s
    ]
    return len(_greedy(candidates))


@dataclass
class EventScore:
    """Counts and errors for one or more recordings; ``add`` accumulates, properties summarise."""

    tolerance_s: float = DEFAULT_TOLERANCE_S
    squats_true: int = 0
    squats_found: int = 0
    squats_missed: int = 0
    squats_false: int = 0
    holds_true: int = 0
    holds_missed: int = 0
    holds_false: int = 0
    errors_s: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in EVENT_TYPES})
    duration_errors_s: list[float] = field(default_factory=list)
    events_true: int = 0
    events_found: int = 0
    events_matched: int = 0
    chair_sits: int = 0
    chair_sits_detected: int = 0
    negatives: dict[str, int] = field(default_factory=dict)
    negatives_called_squat: dict[str, int] = field(default_factory=dict)

    def add(self, labels: Labels, squats: list[Squat]) -> None:
        chairs = [(d.start_s, d.end_s) for d in labels.distractors if d.kind == "chair"]
        self.chair_sits += len(chairs)
        on_chair = {j for _, j in _pair(chairs, [(s.entry_s, s.exit_s) for s in squats])}
        self.chair_sits_detected += len(on_chair)
        squats = [s for j, s in enumerate(squats) if j not in on_chair]
        truth = list(labels.squats)
        self.squats_true += len(truth)
        self.squats_found += len(squats)
        pairs = _pair([(s.entry_s, s.exit_s) for s in truth], [(s.entry_s, s.exit_s) for s in squats])
        self.squats_missed += len(truth) - len(pairs)
        self.squats_false += len(squats) - len(pairs)
        self.holds_true += sum(len(s.holds) for s in truth)
        paired_true = {i for i, _ in pairs}
        paired_found = {j for _, j in pairs}
        self.holds_missed += sum(len(s.holds) for i, s in enumerate(truth) if i not in paired_true)
        self.holds_false += sum(len(s.holds) for j, s in enumerate(squats) if j not in paired_found)
        self._add_negatives(labels, [s for j, s in enumerate(squats) if j not in paired_found])
        for i, j in pairs:
            t, d = truth[i], squats[j]
            self.errors_s["entry"].append(d.entry_s - t.entry_s)
            self.errors_s["exit"].append(d.exit_s - t.exit_s)
            hold_pairs = _pair([(h.start_s, h.end_s) for h in t.holds], [(h.start_s, h.end_s) for h in d.holds])
            self.holds_missed += len(t.holds) - len(hold_pairs)
            self.holds_false += len(d.holds) - len(hold_pairs)
            for hi, hj in hold_pairs:
                th, dh = t.holds[hi], d.holds[hj]
                self.errors_s["hold_start"].append(dh.start_s - th.start_s)
                self.errors_s["hold_end"].append(dh.end_s - th.end_s)
                self.duration_errors_s.append(dh.duration_s - (th.end_s - th.start_s))
        true_events = _event_times(
            [("entry", s.entry_s) for s in truth]
            + [("exit", s.exit_s) for s in truth]
            + [(k, t) for s in truth for h in s.holds for k, t in (("hold_start", h.start_s), ("hold_end", h.end_s))]
        )
        found_events = _event_times(
            [("entry", s.entry_s) for s in squats]
            + [("exit", s.exit_s) for s in squats]
            + [(k, t) for s in squats for h in s.holds for k, t in (("hold_start", h.start_s), ("hold_end", h.end_s))]
        )
        for kind in EVENT_TYPES:
            self.events_true += len(true_events[kind])
            self.events_found += len(found_events[kind])
            self.events_matched += _matched_within(true_events[kind], found_events[kind], self.tolerance_s)

    def _add_negatives(self, labels: Labels, false_squats: list[Squat]) -> None:
        """Count each non-chair distractor, and those that a false squat overlaps."""
        negatives = [d for d in labels.distractors if d.kind != "chair"]
        called = _pair([(d.start_s, d.end_s) for d in negatives], [(s.entry_s, s.exit_s) for s in false_squats])
        for d in negatives:
            self.negatives[d.kind] = self.negatives.get(d.kind, 0) + 1
            self.negatives_called_squat.setdefault(d.kind, 0)
        for i, _ in called:
            kind = negatives[i].kind
            self.negatives_called_squat[kind] += 1

    @property
    def event_f1(self) -> float:
        if self.events_true + self.events_found == 0:
            return 1.0
        return 2.0 * self.events_matched / (self.events_true + self.events_found)

    def timing(self, kind: str) -> dict[str, float | None]:
        errors = np.abs(np.asarray(self.errors_s[kind]))
        if errors.size == 0:
            return {"n": 0, "median_abs_s": None, "p90_abs_s": None, "max_abs_s": None, "mean_s": None}
        signed = np.asarray(self.errors_s[kind])
        return {
            "n": int(errors.size),
            "median_abs_s": round(float(np.median(errors)), 3),
            "p90_abs_s": round(float(np.percentile(errors, 90)), 3),
            "max_abs_s": round(float(errors.max()), 3),
            "mean_s": round(float(signed.mean()), 3),
        }

    def duration(self) -> dict[str, float | None]:
        errors = np.abs(np.asarray(self.duration_errors_s))
        if errors.size == 0:
            return {"n": 0, "mean_abs_s": None, "median_abs_s": None, "max_abs_s": None}
        return {
            "n": int(errors.size),
            "mean_abs_s": round(float(errors.mean()), 3),
            "median_abs_s": round(float(np.median(errors)), 3),
            "max_abs_s": round(float(errors.max()), 3),
        }

    def to_dict(self) -> dict[str, object]:
        return {
            "tolerance_s": self.tolerance_s,
            "squats": {
                "true": self.squats_true,
                "found": self.squats_found,
                "missed": self.squats_missed,
                "false": self.squats_false,
            },
            "holds": {"true": self.holds_true, "missed": self.holds_missed, "false": self.holds_false},
            "chair_sits": {"true": self.chair_sits, "detected_as_squats": self.chair_sits_detected},
            "negatives": {
                kind: {"true": n, "called_squat": self.negatives_called_squat[kind]}
                for kind, n in sorted(self.negatives.items())
            },
            "event_f1": round(self.event_f1, 4),
            "timing": {k: self.timing(k) for k in EVENT_TYPES},
            "hold_duration_error": self.duration(),
        }
