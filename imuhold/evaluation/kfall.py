"""The detector on KFall trials: false squats per minute, chair sits apart, bends and floor sits reported."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np

from imuhold.detect.params import DetectorParams
from imuhold.evaluation import trials as runs
from imuhold.evaluation.trials import PREFIX_S, Standing, Trial
from imuhold.formats import kfall

# KFall (Yu, Jang, Xiong, Frontiers in Aging Neuroscience 13:692865, 2021): 32 young subjects, one IMU on the low back
# at 100 Hz, labelled by the task code in the file name. Standing, walking and jogging give false squats per minute;
# chair sits count as squats by the detector's policy and are reported apart (as SisFall's D07/D09); bends, pick-ups
# and floor sits may pass through a squat or a stoop, which KFall does not say, so their squats are counted, not
# scored. T20 is one of KFall's falls, not stairs: every T20 trial here has an impact (2.7–4.9 g) and ends lying
# (gravity moved from AccY to AccZ); KFall's site dates SA06T20R01's impact at frame 208, where S06T20R01 peaks.
# Protocol: imuhold/evaluation/trials.py (a standing prefix before each trial, with KFall's standing noise).

ROLES = {
    "T01": "standing",
    "T06": "walking",
    "T07": "walking",
    "T08": "jogging",
    "T09": "jogging",
    "T13": "chair",
    "T14": "chair",
    "T02": "bend",
    "T03": "pick-up",
    "T05": "floor sit",
    "T20": "fall",
}
"""What each task is for this detector; codes not listed are reported with the role ``other``."""

TASKS = {
    "T01": "stand for 30 s",
    "T02": "slowly bend the back, with or without bending the knees, tie a shoelace, get up",
    "T03": "pick up an object from the floor",
    "T05": "sit down to the floor, wait, get up",
    "T06": "walk normally with turns",
    "T07": "walk quickly with turns",
    "T08": "jog normally with turns",
    "T09": "jog quickly with turns",
    "T13": "sit down on a chair and get up",
    "T14": "sit down on a chair and get up quickly",
    "T20": "a fall (impact, ends lying)",
}
RATE_ROLES = ("standing", "walking", "jogging")
"""Roles scored as false squats per minute."""
REPORTED_ROLES = ("bend", "pick-up", "floor sit")
"""Roles whose squats are counted, not scored: KFall does not say whether each is a squat or a stoop."""
ACC_NOISE_M_S2 = (0.035, 0.022, 0.043)
GYR_NOISE_RAD_S = tuple(np.radians((0.44, 0.49, 0.18)))
STANDING = Standing(ACC_NOISE_M_S2, GYR_NOISE_RAD_S, rest_rate_rad_s=(0.0, 0.0, 0.0))
"""Noise: per-axis SD of the acceleration and angular rate over the first 0.5 s of the 8 T01 (standing) trials,
median. At rest KFall's gyro reads zero: its median rate over each 30 s T01 trial is 0 on every axis in 6 of 8
(under 0.52 °/s in the other two), so the sensor reports bias-corrected rates. Each trial's median rate, SisFall's
choice, would be wrong here: KFall's trials are short and mostly movement (S07T03R01, 2.75 s of picking up, has a
median of 15 °/s; a prefix holding it never looks still, and the trial never calibrates)."""
GROUP = "young"


def _identity(path: Path) -> tuple[str, str, str]:
    """Task, subject and trial from the file name; the task from the folder name otherwise."""
    found = kfall.identity(path.name)
    if found:
        return found["task"], found["subject"], found["trial"]
    folder = path.parent.name.upper()
    task = folder if len(folder) == 3 and folder[0] == "T" and folder[1:].isdigit() else "unknown"
    return task, "unknown", path.name


def run_trial(path: Path, params: DetectorParams | None = None, prefix_s: float = PREFIX_S) -> Trial:
    """Import one KFall file and run the pipeline on it, after ``prefix_s`` of still standing; read a block at a
    time, so that a file of any length fits in memory."""
    task, subject, trial = _identity(path)
    identity = runs.identified(path.name, task, subject, trial, GROUP, ROLES.get(task, "other"))
    return runs.run_blocks(lambda: kfall.load_blocks(path, None, []), identity, STANDING, params, prefix_s)


def report(trials: Iterable[Trial], prefix_s: float = PREFIX_S) -> dict[str, object]:
    """Per task (all subjects, then each subject) and every trial; false squats per minute over the rate roles."""
    trials = list(trials)
    tasks = runs.activities(trials, TASKS, RATE_ROLES)
    for code, section in tasks.items():
        section["subjects"] = runs.by_subject([t for t in trials if t.activity == code])
    negatives = [t for t in trials if t.role in RATE_ROLES]
    minutes = sum(t.duration_s for t in negatives) / 60.0
    return {
        "protocol": runs.protocol(prefix_s, "KFall", "100 Hz low-back acc + gyro"),
        "standing_prefix_s": prefix_s,
        "false_squats_per_min": round(sum(t.squats for t in negatives) / minutes, 3) if minutes else None,
        "tasks": tasks,
        "trials": runs.rows(trials),
    }
