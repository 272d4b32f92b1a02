"""KFall motion files (low-back IMU, 100 Hz, gzip or plain CSV: time, frame counter, acc in g, gyro in °/s)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

import numpy as np

from imuhold.errors import RecordingError
from imuhold.formats.base import Imported, ImportOptions, RunningMedian, keep_increasing, nominal_rate_hz
from imuhold.formats.text import BLOCK_CHARS, head_lines, iter_text, read_text
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
    rows = _Rows(name)
    data = rows.parse(text)
    rows.end()
    return data, rows.warnings()


class _Rows:
    """Parses a KFall text given whole or in blocks of whole lines: the header first (blank lines before it are
    allowed), then rows; remembers the malformed rows' line numbers."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.line = 1
        self.header_seen = False
        self.bad: list[int] = []

    def parse(self, text: str) -> np.ndarray:
        lines = text.splitlines()
        start = 0
        if not self.header_seen:
            first = next((i for i, line in enumerate(lines) if line.strip()), None)
            if first is None:
                self.line += len(lines)
                return np.zeros((0, len(COLUMNS)))
            if not _is_header(lines[first]):
                raise RecordingError(
                    self.name, f"not a KFall file: the header should start with {','.join(COLUMNS)}", self.line + first
                )
            self.header_seen, start = True, first + 1
        rows: list[list[float]] = []
        bad = self.bad
        for number, line in enumerate(lines[start:], self.line + start):
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
        self.line += len(lines)
        return np.array(rows, dtype=float).reshape(-1, len(COLUMNS))

    def end(self) -> None:
        """The text has ended: RecordingError if it had no header."""
        if not self.header_seen:
            raise RecordingError(self.name, "empty file")

    def warnings(self) -> list[str]:
        bad = self.bad
        return [f"{self.name}: skipped {len(bad)} malformed row(s) at line {_shown(bad)}"] if bad else []


def _check_options(options: ImportOptions | None, name: str) -> None:
    if options is not None and options.orientation == "quat":
        raise RecordingError(name, "KFall imports use acc + gyro; the sensor's Euler angles are not read")


def load(path: str | os.PathLike[str], options: ImportOptions | None = None) -> Imported:
    """The accelerometer and gyroscope of a KFall file, times from its TimeStamp column (from 0)."""
    name = os.fspath(path)
    _check_options(options, name)
    text, warnings = read_text(path)
    return _imported(text, name, warnings)


def _imported(text: str, name: str, warnings: list[str]) -> Imported:
    data, parse_warnings = parse(text, name)
    warnings += parse_warnings
    if len(data) == 0:
        raise RecordingError(name, "no KFall samples after the header")
    keep = keep_increasing(data[:, 0])
    if not keep.all():
        warnings.append(_dropped(name, int((~keep).sum())))
        data = data[keep]
    counter_steps = np.diff(data[:, 1])
    missing = int(np.sum(counter_steps[counter_steps > 1] - 1))
    if missing:
        warnings.append(_missing(name, missing))
    t_s = data[:, 0] - data[0, 0]
    return _block(name, nominal_rate_hz(t_s, FALLBACK_RATE_HZ), t_s, data, missing, tuple(warnings))


def _dropped(name: str, count: int) -> str:
    return f"{name}: dropped {count} sample(s) whose time did not advance"


def _missing(name: str, count: int) -> str:
    return f"{name}: {count} frame(s) missing (FrameCounter gaps); their time is left empty"


def _block(
    name: str, rate_hz: float, t_s: np.ndarray, data: np.ndarray, missing: int, warnings: tuple[str, ...] = ()
) -> Imported:
    return Imported(
        source=NAME,
        original_file=name,
        rate_hz=rate_hz,
        t_s=t_s,
        acc_m_s2=data[:, 2:5] * STANDARD_GRAVITY_M_S2,
        gyr_rad_s=data[:, 5:8] * RAD_PER_DEG,
        meta={**identity(os.path.basename(name)), "frames_missing": missing, "orientation": "acc + gyro (VQF)"},
        warnings=warnings,
    )


def load_blocks(
    path: str | os.PathLike[str], options: ImportOptions | None, warnings: list[str], block_chars: int = BLOCK_CHARS
) -> Iterator[Imported]:
    """``load``'s samples in blocks of whole lines, so that memory does not grow with the file's length: a file of
    one block as ``load`` reads it; a longer one is read twice, first for what ``load`` measures over the whole
    (its first time, sample rate, frames missing, warnings), then for the samples. ``warnings`` gets the import's
    warnings before the first block; errors as ``load``'s."""
    name = os.fspath(path)
    _check_options(options, name)
    read_warnings: list[str] = []
    texts = iter_text(path, read_warnings, block_chars)
    head = next(texts, "")
    more = next(texts, None)
    texts.close()
    if more is None:
        imported = _imported(head, name, read_warnings)
        warnings += imported.warnings
        yield imported
        return
    survey = _Survey()
    rows = _Rows(name)
    read_warnings = []
    for data, dropped in _kept_blocks(path, rows, read_warnings, block_chars):
        survey.add(data)
        survey.dropped += dropped
    rows.end()
    if survey.samples == 0:
        raise RecordingError(name, "no KFall samples after the header")
    warnings += [*read_warnings, *rows.warnings()]
    if survey.dropped:
        warnings.append(_dropped(name, survey.dropped))
    if survey.missing:
        warnings.append(_missing(name, survey.missing))
    rate_hz = survey.rate_hz()
    t0 = survey.t0
    for data, _ in _kept_blocks(path, _Rows(name), [], block_chars):
        if len(data):
            yield _block(name, rate_hz, data[:, 0] - t0, data, survey.missing)


def _kept_blocks(
    path: str | os.PathLike[str], rows: _Rows, warnings: list[str], block_chars: int
) -> Iterator[tuple[np.ndarray, int]]:
    """The rows of each text block whose time is later than every earlier row's (``keep_increasing`` over the whole
    file), and how many of the block's rows were not."""
    top = -np.inf
    for text in iter_text(path, warnings, block_chars):
        data = rows.parse(text)
        if len(data) == 0:
            continue
        times = data[:, 0]
        keep = times > np.maximum.accumulate(np.concatenate(([top], times)))[:-1]
        top = max(top, float(times.max()))
        yield (data, 0) if keep.all() else (data[keep], int((~keep).sum()))


class _Survey:
    """What ``load`` measures over a whole file, from its kept rows a block at a time: the first time, the samples,
    the frames missing (counter gaps) and the median interval of the times from the first (the sample rate)."""

    def __init__(self) -> None:
        self.t0 = 0.0
        self.samples = 0
        self.dropped = 0
        self.missing = 0
        self._last_t = self._last_counter = 0.0
        self._intervals = RunningMedian()

    def add(self, data: np.ndarray) -> None:
        if self.samples == 0:
            self.t0 = float(data[0, 0])
            t_s, counters = data[:, 0] - self.t0, data[:, 1]
        else:
            t_s = np.concatenate(([self._last_t], data[:, 0] - self.t0))
            counters = np.concatenate(([self._last_counter], data[:, 1]))
        steps = np.diff(counters)
        self.missing += int(np.sum(steps[steps > 1] - 1))
        self._intervals.add(np.diff(t_s))
        self._last_t, self._last_counter = float(t_s[-1]), float(counters[-1])
        self.samples += len(data)

    def rate_hz(self) -> float:
        """As ``nominal_rate_hz`` over the whole file's times."""
        if self.samples < 2:
            return FALLBACK_RATE_HZ
        dt = float(self._intervals.median()[0])
        return round(1.0 / dt, 2) if dt > 0 else FALLBACK_RATE_HZ
