"""The detector on SisFall trials: squats per trial and activity, false squats per minute, young vs older."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np

from imuhold.detect.params import DetectorParams
from imuhold.evaluation import trials as runs
from imuhold.evaluation.trials import PREFIX_FROM_S, PREFIX_S, Standing, Trial
from imuhold.formats import sisfall
from imuhold.formats.base import Imported

# SisFall v1.0 (Sucerquia, López, Vargas-Bonilla, Sensors 17(1):198, 2017): a waist-worn IMU at 200 Hz, labelled only
# by the activity code in the file name. D15 (bend the knees, pause, get up) is the squat every trial should show
# once; D16 (bend without bending the knees: a stoop) is the hard negative; D07/D09 (sit on a chair) count as squats
# by the detector's policy and are reported apart; D01 (walking) and D05 (stairs) give false squats per minute.
# Protocol: imuhold/evaluation/trials.py (a standing prefix before each trial, with SisFall's standing noise).

ROLES = {
    "D15": "squat",
    "D16": "stoop",
    "D07": "chair",
    "D09": "chair",
    "D08": "chair",
    "D10": "chair",
    "D01": "walking",
    "D02": "walking",
    "D03": "walking",
    "D04": "walking",
    "D05": "stairs",
    "D06": "stairs",
}
"""What each activity is for this detector; codes not listed are reported with the role ``other``."""

ACTIVITIES = {
    "D01": "walking slowly",
    "D02": "walking quickly",
    "D03": "jogging slowly",
    "D04": "jogging quickly",
    "D05": "stairs up and down slowly",
    "D06": "stairs up and down quickly",
    "D07": "sit on a half-height chair slowly",
    "D08": "sit on a half-height chair quickly",
    "D09": "sit on a low chair slowly",
    "D10": "sit on a low chair quickly",
    "D15": "bend at the knees and get up (squat)",
    "D16": "bend without bending the knees (stoop)",
}
ACC_NOISE_M_S2 = {"MMA8451Q": (0.038, 0.047, 0.056), "ADXL345": (0.083, 0.084, 0.109)}
GYR_NOISE_RAD_S = tuple(np.radians((0.89, 0.64, 0.31)))
"""Per-axis SD of each accelerometer and the ITG3200 over the first 0.5 s of the 80 D15 trials (median): standing
noise."""
GROUPS = {"SA": "young", "SE": "older"}
RATE_ROLES = ("walking", "stairs")
"""Roles whose trials are long movements: scored as false squats per minute."""


SisfallTrial = Trial
"""One SisFall trial's outcome (the shared :class:`~imuhold.evaluation.trials.Trial`)."""


def standing_of(accelerometer: str) -> Standing:
    """SisFall's standing noise with ``accelerometer``; the gyro's rate at rest is each trial's median rate (12 s,
    most of it still: standing at both ends, a pause at the bottom)."""
    return Standing(ACC_NOISE_M_S2[accelerometer], GYR_NOISE_RAD_S)


def _identity(path: Path) -> tuple[str, str, str]:
    """Activity, subject and trial from the file name; the activity from the folder name otherwise."""
    match = sisfall.FILE_NAME.search(path.name)
    if match:
        return match["activity"].upper(), match["subject"].upper(), match["trial"].upper()
    folder = path.parent.name.upper()
    activity = folder if len(folder) == 3 and folder[0] in "DF" and folder[1:].isdigit() else "unknown"
    return activity, "unknown", path.name


def with_standing_prefix(imported: Imported, prefix_s: float, from_s: float = PREFIX_FROM_S) -> Imported:
    """``imported`` after ``prefix_s`` of standing in its first posture, with SisFall's standing noise."""
    return runs.with_standing_prefix(imported, prefix_s, standing_of(imported.meta["accelerometer"]), from_s)


def run_trial(path: Path, params: DetectorParams | None = None, prefix_s: float = PREFIX_S) -> Trial:
    """Import one SisFall file and run the pipeline on it, after ``prefix_s`` of still standing; read a block at a
    time, so that a file of any length fits in memory."""
    activity, subject, trial = _identity(path)
    group = GROUPS.get(subject[:2].upper(), "unknown")
    identity = runs.identified(path.name, activity, subject, trial, group, ROLES.get(activity, "other"))
    standing = standing_of(sisfall.accelerometer(None, str(path)))
    return runs.run_blocks(lambda: sisfall.load_blocks(path, None, []), identity, standing, params, prefix_s)


def report(trials: Iterable[Trial], prefix_s: float = PREFIX_S) -> dict[str, object]:
    """Per activity (all subjects, then young and older apart) and every trial."""
    trials = list(trials)
    return {
        "protocol": runs.protocol(prefix_s, "SisFall", "200 Hz MMA8451Q acc + ITG3200 gyro"),
        "standing_prefix_s": prefix_s,
        "activities": runs.activities(trials, ACTIVITIES, RATE_ROLES, GROUPS.values()),
        "trials": runs.rows(trials),
    }
