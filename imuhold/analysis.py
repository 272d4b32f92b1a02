"""Analyse a recording or a foreign data file: read or import it, pick its sensor profile, run the pipeline."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from imuhold.detect.params import DetectorParams
from imuhold.errors import RecordingError, UnknownProfileError
from imuhold.pipeline import Analysis, Pipeline
from imuhold.protocol import get_profile
from imuhold.recording import read_recording

if TYPE_CHECKING:
    from imuhold.formats.base import Imported, ImportOptions


def analyze_recording(
    path: Path,
    fmt: str = "auto",
    params: DetectorParams | None = None,
    options: ImportOptions | None = None,
) -> tuple[Analysis, list[str]]:
    """Analysis of the file at ``path`` and the warnings met reading it; RecordingError when unreadable.

    ``fmt`` is ``imuhold`` (a recording), an importer's name, or ``auto`` (recognised from the content; anything
    unrecognised is read as a recording, so its error says what is wrong with it as one).
    """
    from imuhold import formats

    if fmt == "auto":
        fmt = formats.detect_format(path) or formats.RECORDING
    if fmt != formats.RECORDING:
        if fmt not in formats.IMPORTERS:
            raise RecordingError(str(path), f"unsupported format {fmt!r}")
        try:
            imported = formats.load(path, fmt, options)
        except ValueError as exc:
            raise RecordingError(str(path), str(exc)) from exc
        return analyze_imported(imported, params)
    recording = read_recording(path)
    try:
        profile = get_profile(recording.header.profile)
    except UnknownProfileError as exc:
        raise RecordingError(str(path), f"header: {exc}", line=1) from exc
    analysis = Pipeline(profile, recording.header.rate_hz, params).run(recording.packets)
    return analysis, list(recording.warnings)


def analyze_imported(imported: Imported, params: DetectorParams | None = None) -> tuple[Analysis, list[str]]:
    """Run the pipeline on imported samples through imuhold-v1 packets; returns it and the import's warnings."""
    from imuhold.formats.packets import PROFILE, to_packets

    packets, warnings = to_packets(imported)
    analysis = Pipeline(get_profile(PROFILE), imported.rate_hz, params).run(packets)
    return analysis, [*imported.warnings, *warnings]
