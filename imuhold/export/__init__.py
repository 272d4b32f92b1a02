"""Export a stored session: samples CSV, JSON summary, or an OpenSim ``.sto`` orientation file."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from imuhold.detect.params import DetectorParams
from imuhold.export.convention import CONVENTIONS, Convention, get_convention
from imuhold.export.csv_samples import write_samples_csv, write_tilt_csv
from imuhold.export.samples import SampleRow, sample_rows
from imuhold.export.sto import write_sto
from imuhold.export.summary import summary_dict
from imuhold.model import Packet, Quat
from imuhold.recording import iter_recording
from imuhold.store import SessionInfo, SessionStore

EXPORT_FORMATS = ("csv", "json", "sto")


@dataclass
class ExportResult:
    """What was written: rows (samples, or 1 for JSON), warnings, and the calibration pose for ``.sto``."""

    rows: int = 0
    warnings: list[str] = field(default_factory=list)
    calibration_quat: Quat | None = None


def export_session(
    store: SessionStore,
    info: SessionInfo,
    fmt: str,
    out: TextIO,
    *,
    data_dir: Path,
    convention: str = "clinical",
    params: DetectorParams | None = None,
) -> ExportResult:
    """Write session ``info`` in ``fmt`` (csv, json, sto) to ``out``; angles follow ``convention``."""
    conv = get_convention(convention)
    result = ExportResult()
    if fmt == "json":
        doc = summary_dict(info, store.squats(info.id), store.events(info.id), conv)
        json.dump(doc, out, indent=1)
        out.write("\n")
        result.rows = 1
        return result
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (known: {', '.join(EXPORT_FORMATS)})")
    if not info.recording or not (data_dir / info.recording).exists():
        if fmt == "sto":
            raise ValueError(f"session {info.id} has no recording file: no orientation to export")
        result.warnings.append(f"session {info.id} has no recording file: exporting its 10 Hz tilt series only")
        result.rows = write_tilt_csv(store.iter_tilt(info.id), conv, out)  # read as written: memory stays flat
        return result
    header, stream = iter_recording(data_dir / info.recording)  # read as it is written out: memory stays flat
    with stream:
        packets = (item for item in stream if isinstance(item, Packet))
        rows = sample_rows(header, packets, store.squats(info.id), store.events(info.id), params)
        if fmt == "csv":
            result.rows = write_samples_csv(rows, conv, out)
        else:
            result.rows = write_sto(_orientations(rows, result), header.rate_hz, out)
    result.warnings[:0] = stream.warnings  # the recording's warnings first, as ever
    return result


def _orientations(rows: Iterator[SampleRow], result: ExportResult) -> Iterator[tuple[float, Quat]]:
    for row in rows:
        if row.quat is None:
            continue
        if result.calibration_quat is None and "calibrated" in row.events:
            result.calibration_quat = row.quat
        yield row.t_s, row.quat


__all__ = [
    "CONVENTIONS",
    "EXPORT_FORMATS",
    "Convention",
    "ExportResult",
    "export_session",
    "get_convention",
    "write_sto",
]
