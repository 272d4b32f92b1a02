"""Evaluate the pipeline on recordings that have a labels sidecar (the sample recordings, or any labelled ones)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from imuhold.analysis import analyze_recording
from imuhold.detect.params import DetectorParams
from imuhold.errors import RecordingError
from imuhold.evaluation.events import DEFAULT_TOLERANCE_S, EventScore
from imuhold.recording import read_labels


@dataclass(frozen=True, slots=True)
class RecordingScore:
    """One recording's score."""

    path: Path
    score: EventScore
    samples: int = 0


def labelled_recordings(folder: Path) -> list[Path]:
    """Recordings in ``folder`` (recursively) that have a labels sidecar."""
    found = sorted(p for pattern in ("*.imuhold", "*.imuhold.gz") for p in folder.rglob(pattern))
    return [p for p in found if read_labels(p) is not None]


def evaluate_labelled(
    paths: Iterable[Path], params: DetectorParams | None = None, tolerance_s: float = DEFAULT_TOLERANCE_S
) -> tuple[EventScore, list[RecordingScore]]:
    """The pooled score over ``paths`` and each recording's own; a recording without labels is an error."""
    total = EventScore(tolerance_s)
    each = []
    for path in paths:
        labels = read_labels(path)
        if labels is None:
            raise RecordingError(str(path), "has no labels sidecar to evaluate against")
        analysis, _ = analyze_recording(path, params=params)
        score = EventScore(tolerance_s)
        score.add(labels, analysis.squats)
        total.add(labels, analysis.squats)
        each.append(RecordingScore(path, score, analysis.samples))
    return total, each
