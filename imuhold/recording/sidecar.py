"""The ground-truth labels sidecar beside a recording: where it lives, reading and writing it."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from imuhold.errors import RecordingError
from imuhold.recording.format import GZIP_SUFFIX, SUFFIX
from imuhold.recording.labels import Labels

LABELS_SUFFIX = ".labels.json"


def labels_path_for(recording_path: str | os.PathLike[str]) -> Path:
    """``a/b/squats.imuhold.gz`` → ``a/b/squats.labels.json`` (also ``.imuhold``; other names lose one
    suffix after an optional ``.gz``). A path that already names a sidecar is returned unchanged."""
    path = Path(recording_path)
    name = path.name
    if name.endswith(LABELS_SUFFIX):
        return path
    for suffix in (GZIP_SUFFIX, SUFFIX):
        if name.endswith(suffix) and len(name) > len(suffix):
            return path.with_name(name[: -len(suffix)] + LABELS_SUFFIX)
    stem = Path(name.removesuffix(".gz")).stem or name
    return path.with_name(stem + LABELS_SUFFIX)


def read_labels(path: str | os.PathLike[str]) -> Labels | None:
    """The labels beside the recording at ``path`` (or in the sidecar ``path`` itself); None if there are none.

    A sidecar that exists but cannot be read or understood raises RecordingError naming it.
    """
    sidecar = labels_path_for(path)
    name = os.fspath(sidecar)
    try:
        text = sidecar.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise RecordingError(name, f"cannot read the labels file ({exc})") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RecordingError(name, f"the labels file is not valid JSON ({exc.msg})", line=exc.lineno) from None
    except (ValueError, RecursionError) as exc:
        raise RecordingError(name, f"the labels file is not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise RecordingError(name, "the labels file should hold a JSON object")
    try:
        return Labels.from_json_dict(data)
    except KeyError as exc:
        raise RecordingError(name, f"bad labels: missing {exc}") from None
    except (TypeError, ValueError, AttributeError) as exc:
        raise RecordingError(name, f"bad labels: {exc}") from None


def write_labels(path: str | os.PathLike[str], labels: Labels) -> Path:
    """Write ``labels`` as the sidecar of the recording at ``path`` (atomically, owner-only); returns its path."""
    sidecar = labels_path_for(path)
    sidecar.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(labels.to_json_dict(), indent=2, allow_nan=False) + "\n"
    fd, temporary = tempfile.mkstemp(prefix=sidecar.name, suffix=".tmp", dir=sidecar.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, sidecar)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return sidecar
