"""The labels sidecar: its path beside a recording, round trip, and errors that name the file."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from imuhold.errors import RecordingError
from imuhold.recording import (
    Distractor,
    LabelledHold,
    LabelledSquat,
    Labels,
    labels_path_for,
    read_labels,
    write_labels,
)

LABELS = Labels(
    squats=(
        LabelledSquat(3.0, 21.5, (LabelledHold(5.25, 12.0), LabelledHold(13.0, 19.5)), depth_m=-0.42),
        LabelledSquat(40.0, 52.0, style="assisted"),
    ),
    distractors=(Distractor("stoop", 25.0, 29.0),),
    notes="dumbbell 8 kg",
    extra={"labeller": "video review"},
)


@pytest.mark.parametrize(
    ("recording", "sidecar"),
    [
        ("a/b/squats.imuhold.gz", "a/b/squats.labels.json"),
        ("a/b/squats.imuhold", "a/b/squats.labels.json"),
        ("squats.v2.imuhold", "squats.v2.labels.json"),
        ("import/trial.csv.gz", "import/trial.labels.json"),
        ("import/trial.csv", "import/trial.labels.json"),
        ("noext", "noext.labels.json"),
        ("a/squats.labels.json", "a/squats.labels.json"),
    ],
)
def test_sidecar_path_rule(recording: str, sidecar: str) -> None:
    assert labels_path_for(recording) == Path(sidecar)
    assert labels_path_for(Path(recording)) == Path(sidecar)


def test_round_trip(tmp_path: Path) -> None:
    recording = tmp_path / "day1" / "squats.imuhold.gz"
    written = write_labels(recording, LABELS)
    assert written == tmp_path / "day1" / "squats.labels.json"
    assert read_labels(recording) == LABELS
    assert read_labels(written) == LABELS
    assert json.loads(written.read_text()) == LABELS.to_json_dict()
    assert [p.name for p in written.parent.iterdir()] == ["squats.labels.json"], "no temporary file left"
    if sys.platform != "win32":
        assert written.stat().st_mode & 0o777 == 0o600


def test_no_sidecar_is_none(tmp_path: Path) -> None:
    assert read_labels(tmp_path / "alone.imuhold") is None


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ('{"format": "imuhold-labels",\n  "version": 1,,\n}', "not valid JSON", 2),
        ("[]", "should hold a JSON object", None),
        ('{"format": "something-else", "version": 1}', "not an imuhold labels document", None),
        ('{"format": "imuhold-labels", "version": 1, "squats": [{"entry_s": 1}]}', "missing 'exit_s'", None),
        ('{"format": "imuhold-labels", "version": 1, "squats": [{"entry_s": "x", "exit_s": 2}]}', "bad", None),
        ('{"format": "imuhold-labels", "version": 1, "squats": 5}', "bad labels", None),
    ],
)
def test_malformed_sidecar_names_the_file(tmp_path: Path, text: str, message: str, line: int | None) -> None:
    sidecar = tmp_path / "s.labels.json"
    sidecar.write_text(text)
    with pytest.raises(RecordingError, match=message) as caught:
        read_labels(tmp_path / "s.imuhold")
    assert caught.value.path == str(sidecar)
    assert caught.value.line == line
    assert str(caught.value).startswith(str(sidecar))
