"""Importers of foreign recordings, one module per format, registered by name and recognised from content."""

from __future__ import annotations

import importlib
import os
from types import ModuleType
from typing import TYPE_CHECKING

from imuhold.errors import RecordingError

if TYPE_CHECKING:
    from imuhold.formats.base import Imported, ImportOptions

# Importing this package is cheap (no numpy): the command line lists the names without loading any importer.
IMPORTERS: dict[str, str] = {
    "sisfall": "imuhold.formats.sisfall",
    "cmu-mbl": "imuhold.formats.cmu_mbl",
    "kfall": "imuhold.formats.kfall",
    "dot-csv": "imuhold.formats.dot_csv",
    "metabase-csv": "imuhold.formats.metabase_csv",
    "imuhold-csv": "imuhold.formats.imuhold_export",
}
"""Format name → module providing ``sniff(head_text) -> bool`` and ``load(path, options) -> Imported``."""

FORMAT_NAMES: tuple[str, ...] = tuple(IMPORTERS)
RECORDING = "imuhold"
"""The name of imuhold's own recording format in ``--format``."""


def get_importer(name: str) -> ModuleType:
    """The importer module registered under ``name``; ValueError naming the known ones."""
    try:
        return importlib.import_module(IMPORTERS[name])
    except KeyError:
        raise ValueError(f"unknown format {name!r} (known: {', '.join(FORMAT_NAMES)})") from None


def _looks_like_recording(head: str) -> bool:
    first = head.lstrip().split("\n", 1)[0]
    return first.startswith("{") and '"imuhold-recording"' in first


def detect_format(path: str | os.PathLike[str]) -> str | None:
    """``imuhold`` for a recording, an importer's name for a file it recognises, None otherwise (by content)."""
    from imuhold.formats.text import read_head

    head = read_head(path)
    if not head or _looks_like_recording(head):
        return RECORDING if head else None
    for name in FORMAT_NAMES:
        if get_importer(name).sniff(head):
            return name
    return None


def load(path: str | os.PathLike[str], fmt: str = "auto", options: ImportOptions | None = None) -> Imported:
    """The samples of a foreign file in format ``fmt`` (``auto``: recognised from its content).

    Whatever is wrong with the file, the error is a RecordingError naming it.
    """
    from imuhold.formats.text import check_readable

    name = os.fspath(path)
    check_readable(path)
    if fmt == "auto":
        detected = detect_format(path)
        if detected == RECORDING:
            raise RecordingError(os.fspath(path), "is already an imuhold recording")
        if detected is None:
            raise RecordingError(os.fspath(path), f"not recognised as any of: {', '.join(FORMAT_NAMES)}")
        fmt = detected
    try:
        importer = get_importer(fmt)
    except ValueError as exc:
        raise RecordingError(name, str(exc)) from None
    try:
        return importer.load(path, options)
    except (ValueError, ArithmeticError, IndexError, KeyError) as exc:  # content the importer did not foresee
        raise RecordingError(name, f"cannot be read as {fmt} ({exc})") from exc


__all__ = ["FORMAT_NAMES", "IMPORTERS", "RECORDING", "detect_format", "get_importer", "load"]
