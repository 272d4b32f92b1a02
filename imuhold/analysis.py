"""Analyse a recording file: read it, pick its sensor profile, run the pipeline in batch."""

from __future__ import annotations

from pathlib import Path

from imuhold.detect.params import DetectorParams
from imuhold.errors import RecordingError, UnknownProfileError
from imuhold.pipeline import Analysis, Pipeline
from imuhold.protocol import get_profile
from imuhold.recording import read_recording


def analyze_recording(
    path: Path, fmt: str = "auto", params: DetectorParams | None = None
) -> tuple[Analysis, list[str]]:
    """Analysis of the recording at ``path`` and the reader's warnings; RecordingError when unreadable."""
    if fmt not in ("auto", "imuhold"):
        raise RecordingError(str(path), f"unsupported format {fmt!r}")
    recording = read_recording(path)
    try:
        profile = get_profile(recording.header.profile)
    except UnknownProfileError as exc:
        raise RecordingError(str(path), f"header: {exc}", line=1) from exc
    analysis = Pipeline(profile, recording.header.rate_hz, params).run(recording.packets)
    return analysis, list(recording.warnings)
