"""SisFall raw text files (200 Hz, nine integer columns per line ending in ``;``, gzip or plain) as samples."""

from __future__ import annotations

import os
import re

import numpy as np

from imuhold.errors import RecordingError
from imuhold.formats.base import Imported, ImportOptions
from imuhold.formats.text import head_lines, read_text, shown_lines
from imuhold.units import RAD_PER_DEG, STANDARD_GRAVITY_M_S2

# SisFall v1.0 (Sucerquia, López, Vargas-Bonilla, Sensors 17(1):198, 2017). Columns 1–3 ADXL345 acceleration
# (±16 g, 13 bit: 32/8192 g per LSB), 4–6 ITG3200 angular rate (±2000 °/s, 16 bit: 4000/65536 °/s per LSB), 7–9
# MMA8451Q acceleration (±8 g, 14 bit: 16/16384 g per LSB). Both accelerometers share the gyro's axes (per-axis
# correlation 0.73–1.0 with no lag on the D16 trials). The ADXL345 and the gyro: the rate of change of the gravity
# direction seen by the ADXL345 matches −ω × g with the gyro as given (R² 0.79 on the D16 first trials; flipping
# any axis is worse, x by far), and a gyro scale fit gives 1.05.
#
# The MMA8451Q is the default: its reading of gravity changes far less with posture, which is what the pelvis drop
# (double-integrated vertical acceleration) is most sensitive to. Between quiet standing and a rest leaned more than
# 30° (273 rests of the D07/D09/D15/D16 trials) the gravity magnitude changes by a median 0.11 m/s² (90th percentile
# 0.36) on the MMA8451Q against 0.32 (1.17) on the ADXL345; its standing noise is about half.
NAME = "sisfall"
RATE_HZ = 200.0
ACCELEROMETERS = {"MMA8451Q": (6, 16.0 / 16384.0), "ADXL345": (0, 32.0 / 8192.0)}
"""Accelerometer name: (first column, g per LSB); the first is the default."""
GYR_DEG_S_PER_LSB = 4000.0 / 65536.0
COLUMNS = 9
MAX_COUNT = 1 << 15
"""Every SisFall column is a reading of at most 16 bits: a count beyond ±2¹⁵ makes the line malformed."""

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
            counts = [int(f) for f in fields]
        except ValueError:
            bad.append(number)
            continue
        if all(-MAX_COUNT <= c <= MAX_COUNT for c in counts):
            rows.append(counts)
        else:
            bad.append(number)
    warnings = []
    if bad:
        warnings.append(f"{name}: skipped {len(bad)} malformed line(s): {shown_lines(bad)}")
    return np.array(rows, dtype=np.int64).reshape(-1, COLUMNS), warnings


def accelerometer(options: ImportOptions | None, name: str) -> str:
    """The accelerometer chosen with ``--sensor`` (case-insensitive), MMA8451Q by default."""
    wanted = options.sensor if options is not None and options.sensor else next(iter(ACCELEROMETERS))
    chosen = next((a for a in ACCELEROMETERS if a.lower() == wanted.strip().lower()), None)
    if chosen is None:
        raise RecordingError(
            name, f"no accelerometer {wanted!r} in SisFall files (they have: {', '.join(ACCELEROMETERS)})"
        )
    return chosen


def load(path: str | os.PathLike[str], options: ImportOptions | None = None) -> Imported:
    """One accelerometer (``--sensor``: MMA8451Q or ADXL345) and the ITG3200 of a SisFall file, at 200 Hz from 0."""
    name = os.fspath(path)
    chosen = accelerometer(options, name)
    text, warnings = read_text(path)
    raw, parse_warnings = parse(text, name)
    if len(raw) == 0:
        raise RecordingError(name, "no SisFall samples (nine integers per line)")
    first, g_per_lsb = ACCELEROMETERS[chosen]
    acc = raw[:, first : first + 3] * (g_per_lsb * STANDARD_GRAVITY_M_S2)
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
        meta={**meta, "accelerometer": chosen, "gyroscope": "ITG3200"},
        warnings=(*warnings, *parse_warnings),
    )
