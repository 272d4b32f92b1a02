"""SisFall raw text files (200 Hz, nine integer columns per line ending in ``;``, gzip or plain) as samples."""

from __future__ import annotations

import os
import re

import numpy as np

from imuhold.errors import RecordingError
from imuhold.formats.base import Imported, ImportOptions
from imuhold.formats.text import head_lines, read_text
from imuhold.units import RAD_PER_DEG, STANDARD_GRAVITY_M_S2

# SisFall v1.0 (Sucerquia, López, Vargas-Bonilla, Sensors 17(1):198, 2017). Columns 1–3 ADXL345 acceleration
# (±16 g, 13 bit: 32/8192 g per LSB), 4–6 ITG3200 angular rate (±2000 °/s, 16 bit: 4000/65536 °/s per LSB), 7–9
# MMA8451Q acceleration (a second accelerometer, not used). The ADXL345 and the gyro share axes: the rate of change
# of the gravity direction seen by the ADXL345 matches −ω × g with the gyro as given (R² 0.79 on the D16 first
# trials; flipping any axis is worse, x by far), and a gyro scale fit gives 1.05.
NAME = "sisfall"
RATE_HZ = 200.0
ACC_G_PER_LSB = 32.0 / 8192.0
GYR_DEG_S_PER_LSB = 4000.0 / 65536.0
COLUMNS = 9

_LINE = re.compile(r"^\s*-?\d+(\s*,\s*-?\d+){8}\s*;?\s*$")
FILE_NAME = re.compile(r"(?P<activity>[DF]\d\d)_(?P<subject>S[AE]\d\d)_(?P<trial>R\d\d)", re.IGNORECASE)


def sniff(head: str) -> bool:
    """Do the first lines look like SisFall samples (nine integers and a semicolon)?"""
    lines = head_lines(head, 6)[:5]
    return len(lines) >= 2 and all(_LINE.match(line) for line in lines[:-1]) and lines[0].rstrip().endswith(";")


def parse(text: str, name: str) -> tuple[np.ndarray, list[str]]:
    """The (N, 9) integer samples of a SisFall text, skipping malformed lines (reported)."""
    rows: list[list[int]] = []
    bad: list[int] = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip().rstrip(";")
        if not line:
            continue
        fields = line.split(",")
        if len(fields) != COLUMNS:
            bad.append(number)
            continue
        try:
            rows.append([int(f) for f in fields])
        except ValueError:
            bad.append(number)
    warnings = []
    if bad:
        shown = ", ".join(str(n) for n in bad[:5]) + (" …" if len(bad) > 5 else "")
        warnings.append(f"{name}: skipped {len(bad)} malformed line(s): {shown}")
    return np.array(rows, dtype=np.int64).reshape(-1, COLUMNS), warnings


def load(path: str | os.PathLike[str], options: ImportOptions | None = None) -> Imported:
    """ADXL345 acceleration and ITG3200 angular rate of a SisFall file, at 200 Hz from t = 0."""
    del options  # one sensor, no orientation on board
    name = os.fspath(path)
    text, warnings = read_text(path)
    raw, parse_warnings = parse(text, name)
    if len(raw) == 0:
        raise RecordingError(name, "no SisFall samples (nine integers per line)")
    acc = raw[:, 0:3] * (ACC_G_PER_LSB * STANDARD_GRAVITY_M_S2)
    gyr = raw[:, 3:6] * (GYR_DEG_S_PER_LSB * RAD_PER_DEG)
    match = FILE_NAME.search(os.path.basename(name))
    meta = {k: v.upper() for k, v in match.groupdict().items()} if match else {}
    return Imported(
        source=NAME,
        original_file=name,
        rate_hz=RATE_HZ,
        t_s=np.arange(len(raw)) / RATE_HZ,
        acc_m_s2=acc,
        gyr_rad_s=gyr,
        meta={**meta, "accelerometer": "ADXL345", "gyroscope": "ITG3200"},
        warnings=(*warnings, *parse_warnings),
    )
