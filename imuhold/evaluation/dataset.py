"""Find what a folder holds, by content: SisFall, KFall or CMU-MBL files, labelled recordings, BROAD trials."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from imuhold.formats import detect_format
from imuhold.recording import labels_path_for

KINDS = ("sisfall", "kfall", "cmu-mbl", "labelled", "broad")
BROAD_KEYS = frozenset({"imu_acc", "imu_gyr", "opt_quat", "movement", "sampling_rate"})
_RECORDING_SUFFIXES = (".imuhold", ".imuhold.gz")


@dataclass
class Dataset:
    """The files of a folder grouped by the kind of evaluation they get (each list sorted)."""

    root: Path
    files: dict[str, list[Path]] = field(default_factory=lambda: {k: [] for k in KINDS})

    @property
    def kinds(self) -> list[str]:
        return [k for k in KINDS if self.files[k]]


def is_broad_trial(path: Path) -> bool:
    """A ``.npz`` holding BROAD's arrays (IMU data, optical quaternion, movement mask, rate)."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = {n.removesuffix(".npy") for n in archive.namelist()}
    except (OSError, EOFError, ValueError, zipfile.BadZipFile):  # not a zip, or a damaged one
        return False
    return names >= BROAD_KEYS


def classify(path: Path) -> str | None:
    """The evaluation kind of one file, or None when it takes no part."""
    name = path.name
    if name.endswith(".npz"):
        return "broad" if is_broad_trial(path) else None
    if name.endswith(_RECORDING_SUFFIXES):
        return "labelled" if labels_path_for(path).is_file() else None
    if name.endswith(".labels.json"):
        return None
    fmt = detect_format(path)
    return fmt if fmt in ("sisfall", "kfall", "cmu-mbl") else None


def scan(root: Path) -> Dataset:
    """Every file under ``root`` (recursively, hidden folders skipped) sorted into its kind."""
    dataset = Dataset(root)
    for path in sorted(root.rglob("*")):
        if not path.is_file() or any(part.startswith(".") for part in path.relative_to(root).parts):
            continue
        kind = classify(path)
        if kind is not None:
            dataset.files[kind].append(path)
    return dataset
