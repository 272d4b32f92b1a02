"""The detector on SisFall trials: squats per trial and activity, false squats per minute, young vs older."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from imuhold.analysis import analyze_imported
from imuhold.detect.params import DetectorParams
from imuhold.formats import sisfall
from imuhold.formats.base import Imported
from imuhold.model import EventKind

# SisFall v1.0 (Sucerquia, López, Vargas-Bonilla, Sensors 17(1):198, 2017): a waist-worn IMU at 200 Hz, labelled only
# by the activity code in the file name. D15 (bend the knees, pause, get up) is the squat every trial should show
# once; D16 (bend without bending the knees: a stoop) is the hard negative; D07/D09 (sit on a chair) count as squats
# by the detector's policy and are reported apart; D01 (walking) and D05 (stairs) give false squats per minute.
#
# Protocol (docs/evaluation.md): each trial is run whole after PREFIX_S of standing in the posture of its first
# PREFIX_FROM_S, with SisFall's own standing noise (a noise-free prefix changes the outcome of a fifth of the D15
# trials). imuhold asks its user to stand still for the calibration before training; SisFall's subjects were not
# asked to, and its walking and stairs trials start moving at once, so without the prefix most of them never
# calibrate and their "no false squats" would mean nothing. A prefix of 0 runs the trials exactly as recorded.
# Times in the report count from the first recorded sample (negative: in the prefix).

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
PREFIX_S = 2.0
PREFIX_FROM_S = 0.5
ACC_NOISE_M_S2 = {"MMA8451Q": (0.038, 0.047, 0.056), "ADXL345": (0.083, 0.084, 0.109)}
GYR_NOISE_RAD_S = tuple(np.radians((0.89, 0.64, 0.31)))
"""Per-axis SD of each accelerometer and the ITG3200 over the first 0.5 s of the 80 D15 trials (median): standing
noise."""
GROUPS = {"SA": "young", "SE": "older"}
RATE_ROLES = ("walking", "stairs")
"""Roles whose trials are long movements: scored as false squats per minute."""


@dataclass(frozen=True, slots=True)
class SisfallTrial:
    """One trial's outcome."""

    file: str
    activity: str
    subject: str
    trial: str
    duration_s: float
    squats: int
    holds: int
    calibrated_s: float | None
    entries_s: tuple[float, ...]
    depths_m: tuple[float | None, ...]
    samples: int = 0

    @property
    def group(self) -> str:
        return GROUPS.get(self.subject[:2].upper(), "unknown")

    @property
    def role(self) -> str:
        return ROLES.get(self.activity, "other")


def _identity(path: Path) -> tuple[str, str, str]:
    """Activity, subject and trial from the file name; the activity from the folder name otherwise."""
    match = sisfall.FILE_NAME.search(path.name)
    if match:
        return match["activity"].upper(), match["subject"].upper(), match["trial"].upper()
    folder = path.parent.name.upper()
    activity = folder if len(folder) == 3 and folder[0] in "DF" and folder[1:].isdigit() else "unknown"
    return activity, "unknown", path.name


def with_standing_prefix(imported: Imported, prefix_s: float, from_s: float = PREFIX_FROM_S) -> Imported:
    """``imported`` after ``prefix_s`` of standing: the posture of its first ``from_s`` (mean specific force), the
    gyro's bias (median rate over the trial), and SisFall's standing noise (seeded: the same every run)."""
    n = round(prefix_s * imported.rate_hz)
    if n <= 0:
        return imported
    assert imported.gyr_rad_s is not None  # SisFall has a gyroscope and no quaternion
    rng = np.random.default_rng(0)
    posture = imported.acc_m_s2[: max(1, round(from_s * imported.rate_hz))].mean(axis=0)
    acc = posture + rng.normal(0.0, ACC_NOISE_M_S2[imported.meta["accelerometer"]], (n, 3))
    gyr = np.median(imported.gyr_rad_s, axis=0) + rng.normal(0.0, GYR_NOISE_RAD_S, (n, 3))
    t = np.concatenate((np.arange(-n, 0) / imported.rate_hz + imported.t_s[0], imported.t_s))
    return replace(
        imported,
        t_s=t - t[0],
        acc_m_s2=np.concatenate((acc, imported.acc_m_s2)),
        gyr_rad_s=np.concatenate((gyr, imported.gyr_rad_s)),
    )


def run_trial(path: Path, params: DetectorParams | None = None, prefix_s: float = PREFIX_S) -> SisfallTrial:
    """Import one SisFall file and run the pipeline on it, after ``prefix_s`` of still standing."""
    imported = sisfall.load(path)
    analysis, _ = analyze_imported(with_standing_prefix(imported, prefix_s), params)
    shift = round(prefix_s * imported.rate_hz) / imported.rate_hz if prefix_s > 0 else 0.0
    calibrated = next((e.t_s - shift for e in analysis.events if e.kind is EventKind.CALIBRATED), None)
    activity, subject, trial = _identity(path)
    return SisfallTrial(
        file=path.name,
        activity=activity,
        subject=subject,
        trial=trial,
        duration_s=imported.duration_s,
        squats=len(analysis.squats),
        holds=sum(len(s.holds) for s in analysis.squats),
        calibrated_s=calibrated,
        entries_s=tuple(round(s.entry_s - shift, 2) for s in analysis.squats),
        depths_m=tuple(None if s.depth_m is None else round(s.depth_m, 3) for s in analysis.squats),
        samples=imported.samples,
    )


def _pct(count: int, total: int) -> float | None:
    return round(100.0 * count / total, 1) if total else None


def summarise(trials: list[SisfallTrial]) -> dict[str, object]:
    """Counts and rates for a set of trials of one activity (or one activity and group)."""
    n = len(trials)
    zero = sum(t.squats == 0 for t in trials)
    one = sum(t.squats == 1 for t in trials)
    minutes = sum(t.duration_s for t in trials) / 60.0
    squats = sum(t.squats for t in trials)
    calibrations = sorted(t.calibrated_s for t in trials if t.calibrated_s is not None)
    calibrated_min = sum(t.duration_s - max(0.0, t.calibrated_s) for t in trials if t.calibrated_s is not None) / 60
    return {
        "trials": n,
        "squats_0": zero,
        "squats_1": one,
        "squats_2_plus": n - zero - one,
        "with_squat_pct": _pct(n - zero, n),
        "exactly_one_pct": _pct(one, n),
        "squats": squats,
        "minutes": round(minutes, 2),
        "squats_per_min": round(squats / minutes, 3) if minutes else None,
        "squats_per_calibrated_min": round(squats / calibrated_min, 3) if calibrated_min else None,
        "holds": sum(t.holds for t in trials),
        "uncalibrated": n - len(calibrations),
        "median_calibrated_s": round(calibrations[len(calibrations) // 2], 2) if calibrations else None,
    }


def report(trials: Iterable[SisfallTrial], prefix_s: float = PREFIX_S) -> dict[str, object]:
    """Per activity (all subjects, then young and older apart) and every trial."""
    trials = sorted(trials, key=lambda t: (t.activity, t.subject, t.trial))
    activities: dict[str, object] = {}
    for code in sorted({t.activity for t in trials}):
        mine = [t for t in trials if t.activity == code]
        role = ROLES.get(code, "other")
        overall = summarise(mine)
        activities[code] = {
            "activity": ACTIVITIES.get(code, ""),
            "role": role,
            **({"false_squats_per_min": overall["squats_per_min"]} if role in RATE_ROLES else {}),
            "all": overall,
            **{group: summarise([t for t in mine if t.group == group]) for group in GROUPS.values()},
        }
    return {
        "protocol": (
            f"each trial run whole after {prefix_s:g} s of standing in the posture of its first {PREFIX_FROM_S:g} s "
            "(with SisFall's standing noise); 200 Hz MMA8451Q acc + ITG3200 gyro, orientation fused by imuhold"
            if prefix_s > 0
            else "each trial run whole as recorded; 200 Hz MMA8451Q acc + ITG3200 gyro, orientation fused by imuhold"
        ),
        "standing_prefix_s": prefix_s,
        "activities": activities,
        "trials": [
            {
                "file": t.file,
                "activity": t.activity,
                "subject": t.subject,
                "group": t.group,
                "duration_s": round(t.duration_s, 2),
                "squats": t.squats,
                "holds": t.holds,
                "calibrated_s": None if t.calibrated_s is None else round(t.calibrated_s, 2),
                "entries_s": list(t.entries_s),
                "depths_m": list(t.depths_m),
            }
            for t in trials
        ],
    }
