"""Analyse a recording or a foreign data file: read or import it, pick its sensor profile, run the pipeline."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from imuhold.detect.params import DetectorParams
from imuhold.errors import RecordingError, UnknownProfileError
from imuhold.model import Packet
from imuhold.pipeline import Analysis, Pipeline
from imuhold.protocol import get_profile
from imuhold.recording import iter_recording

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
        warnings: list[str] = []
        try:
            return _analyze_blocks(formats.load_blocks(path, fmt, options, warnings), params, warnings)
        except ValueError as exc:
            raise RecordingError(str(path), str(exc)) from exc
    header, stream = iter_recording(path)
    with stream:
        try:
            profile = get_profile(header.profile)
        except UnknownProfileError as exc:
            raise RecordingError(str(path), f"header: {exc}", line=1) from exc
        packets = (item for item in stream if isinstance(item, Packet))
        analysis = Pipeline(profile, header.rate_hz, params).run(packets)
    return analysis, list(stream.warnings)


def analyze_imported(imported: Imported, params: DetectorParams | None = None) -> tuple[Analysis, list[str]]:
    """Run the pipeline on imported samples as imuhold-v1 frames; returns it and the import's warnings."""
    return _analyze_blocks(iter([imported]), params, list(imported.warnings))


def analyze_blocks(blocks: Iterator[Imported], params: DetectorParams | None = None) -> tuple[Analysis, list[str]]:
    """``analyze_imported`` for samples given in blocks (an importer's ``load_blocks``), a bounded piece at a time;
    returns the analysis and the warnings of the blocks and their encoding."""
    warnings: list[str] = []
    return _analyze_blocks(blocks, params, warnings)


def _analyze_blocks(
    blocks: Iterator[Imported], params: DetectorParams | None, warnings: list[str]
) -> tuple[Analysis, list[str]]:
    """Imported samples given in blocks, as imuhold-v1 frames through the pipeline, a bounded piece at a time;
    ``warnings`` fills as the blocks are read (the import's, then the encoding's)."""
    from imuhold.formats.packets import PROFILE, record_blocks

    first = next(blocks)
    encoded: list[str] = []
    records = record_blocks(itertools.chain([first], blocks), encoded)
    analysis = Pipeline(get_profile(PROFILE), first.rate_hz, params).run_records(records)
    return analysis, [*warnings, *encoded]
