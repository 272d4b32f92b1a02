"""KFall motion files (low-back IMU, 100 Hz, gzip or plain CSV: time, frame counter, acc in g, gyro in °/s)."""

from __future__ import annotations

import os
import re

import numpy as np

from imuhold.errors import RecordingError
from imuhold.formats.base import Imported, ImportOptions, keep_increasing, nominal_rate_hz
from imuhold.formats.text import head_lines, read_text
from imuhold.units import RAD_PER_DEG, STANDARD_GRAVITY_M_S2

# KFall (Yu, Jang, Xiong, Frontiers in Aging Neuroscience 13:692865, 2021): one 9-axis IMU on the low back, files
# ``SA06T01R01.csv`` (subject, task, trial). Columns ``TimeStamp(s),FrameCounter,AccX,AccY,AccZ,GyrX,GyrY,GyrZ,
# EulerX,EulerY,EulerZ``: acceleration in g, angular rate in °/s, the sensor's own Euler angles in degrees. Checked
# on the files (docs/importers.md): the gyro is in °/s about the accelerometer's axes with their signs (its body
# rate matches the rate of the sensor's own Euler angles with correlation 0.99–1.0 and scale 0.98–1.01 per axis, and
# the gravity direction the accelerometer sees turns as −ω × g, R² 0.77, every sign flip worse), and the
# accelerometer reads AccY ≈ −1 g standing, like SisFall's. Both are used as given; imuhold fuses the orientation.
# The Euler angles are not used: they describe a frame whose z points down when the acceleration is taken as
# specific force, and a live acc + gyro sensor is what the detector is evaluated for.
NAME = "kfall"
FALLBACK_RATE_HZ = 100.0
COLUMNS = ("TimeStamp(s)", "FrameCounter", "AccX", "AccY", "AccZ", "GyrX", "GyrY", "GyrZ")
"""The leading header cells the importer needs (the Euler columns after them are optional)."""
FILE_NAME = re.compile(r"S(?:A)?(?P<subject>\d\d)T(?P<task>\d\d)R(?P<trial>\d\d)", re.IGNORECASE)


def _is_header(line: str) -> bool:
    cells = tuple(c.strip() for c in line.split(","))
    return cells[: len(COLUMNS)] == COLUMNS


def sniff(head: str) -> bool:
    """The KFall header line: TimeStamp(s), FrameCounter, AccX…, GyrX…."""
    lines = head_lines(head, 1)
    return bool(lines) and _is_header(lines[0])


def identity(file_name: str) -> dict[str, str]:
    """``subject`` (SA06), ``task`` (T01) and ``trial`` (R01) from a KFall file name, or {} when it has none."""
    match = FILE_NAME.search(file_name)
    if match is None:
        return {}
    return {"subject": f"SA{match['subject']}", "task": f"T{match['task']}", "trial": f"R{match['trial']}"}


def _shown(numbers: list[int]) -> str:
    return ", ".join(str(n) for n in numbers[:5]) + (" …" if len(numbers) > 5 else "")


def parse(text: str, name: str) -> tuple[np.ndarray, list[str]]:
    """(N, 8) time, frame counter, acc, gyro of a KFall text; malformed rows are skipped and named by line."""
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise RecordingError(name, "empty file")
    if not _is_header(lines[first]):
        raise RecordingError(name, f"not a KFall file: the header should start with {','.join(COLUMNS)}", first + 1)
    rows: list[list[float]] = []
    bad: list[int] = []
    for number, line in enumerate(lines[first + 1 :], first + 2):
        if not line.strip():
            continue
        cells = line.split(",")
        try:
            row = [float(cells[i]) for i in range(len(COLUMNS))]
        except (ValueError, IndexError):
            bad.append(number)
            continue
        if not all(np.isfinite(row)):
            bad.append(number)
            continue
        rows.append(row)
    warnings = [f"{name}: skipped {len(bad)} malformed row(s) at line {_shown(bad)}"] if bad else []
    return np.array(rows, dtype=float).reshape(-1, len(COLUMNS)), warnings


def load(path: str | os.PathLike[str], options: ImportOptions | None = None) -> Imported:
    """The accelerometer and gyroscope of a KFall file, times from its TimeStamp column (from 0)."""
    name = os.fspath(path)
    if options is not None and options.orientation == "quat":
        raise RecordingError(name, "KFall imports use acc + gyro; the sensor's Euler angles are not read")
    text, warnings = read_text(path)
    data, parse_warnings = parse(text, name)
    warnings += parse_warnings
    if len(data) == 0:
        raise RecordingError(name, "no KFall samples after the header")
    keep = keep_increasing(data[:, 0])
    if not keep.all():
        warnings.append(f"{name}: dropped {int((~keep).sum())} sample(s) whose time did not advance")
        data = data[keep]
    counter_steps = np.diff(data[:, 1])
    missing = int(np.sum(counter_steps[counter_steps > 1] - 1))
    if missing:
        warnings.append(f"{name}: {missing} frame(s) missing (FrameCounter gaps); their time is left empty")
    t_s = data[:, 0] - data[0, 0]
    return Imported(
        source=NAME,
        original_file=name,
        rate_hz=nominal_rate_hz(t_s, FALLBACK_RATE_HZ),
        t_s=t_s,
        acc_m_s2=data[:, 2:5] * STANDARD_GRAVITY_M_S2,
        gyr_rad_s=data[:, 5:8] * RAD_PER_DEG,
        meta={**identity(os.path.basename(name)), "frames_missing": missing, "orientation": "acc + gyro (VQF)"},
        warnings=tuple(warnings),
    )
