"""Recording files (format v1): raw BLE notifications with a header, read, streamed and written; labels sidecar."""

from __future__ import annotations

from imuhold.recording.format import (
    GZIP_SUFFIX,
    RECORDING_FORMAT,
    RECORDING_VERSION,
    SUFFIX,
    Mark,
    RecordingHeader,
)
from imuhold.recording.labels import Distractor, LabelledHold, LabelledSquat, Labels
from imuhold.recording.reader import Recording, RecordingStream, iter_recording, read_recording
from imuhold.recording.sidecar import labels_path_for, read_labels, write_labels
from imuhold.recording.writer import RecordingWriter

__all__ = [
    "GZIP_SUFFIX",
    "RECORDING_FORMAT",
    "RECORDING_VERSION",
    "SUFFIX",
    "Distractor",
    "LabelledHold",
    "LabelledSquat",
    "Labels",
    "Mark",
    "Recording",
    "RecordingHeader",
    "RecordingStream",
    "RecordingWriter",
    "iter_recording",
    "labels_path_for",
    "read_labels",
    "read_recording",
    "write_labels",
]
