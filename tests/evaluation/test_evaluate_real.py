"""The current detector on the real datasets, as ``imuhold evaluate`` measures it: floors, so a regression fails.

The floors sit a little beyond what was measured (numbers in the comments, commit of the measurement in
docs/evaluation.md); raise them as the detector improves.
"""

import json
import os

import pytest
from click.testing import CliRunner

from imuhold.cli import main
from imuhold.detect.params import DetectorParams
from imuhold.evaluation.report import evaluate_folder

pytestmark = [pytest.mark.datasets, pytest.mark.slow]
JOBS = min(4, os.cpu_count() or 1)


@pytest.fixture(scope="module")
def report(datasets_dir):
    kinds = {"sisfall", "cmu-mbl-sub22", "broad"}
    if not kinds <= {p.name for p in datasets_dir.iterdir()}:
        pytest.skip(f"the datasets folder lacks one of {sorted(kinds)}")
    return evaluate_folder(datasets_dir, DetectorParams(), jobs=JOBS)


def test_every_kind_is_found(report, datasets_dir):
    kfall = ["kfall"] if (datasets_dir / "kfall").is_dir() else []
    assert report["kinds"] == ["sisfall", *kfall, "cmu-mbl", "broad"]
    activities = report["sisfall"]["activities"]
    assert {code: a["all"]["trials"] for code, a in activities.items()} == {
        "D01": 16, "D05": 80, "D07": 80, "D09": 75, "D15": 80, "D16": 80
    }  # fmt: skip
    assert all(a["all"]["uncalibrated"] == 0 for a in activities.values())  # the standing prefix calibrates all
    assert len(report["cmu_mbl"]["windows"]) == 64


def test_sisfall_squats_stoops_and_walking(report):
    activities = report["sisfall"]["activities"]
    d15 = activities["D15"]["all"]
    assert d15["with_squat_pct"] >= 93.0  # measured 93.8 % (96.2 % before bias-aware calibration, docs/evaluation.md)
    assert d15["exactly_one_pct"] >= 93.0  # measured 93.8 %
    assert activities["D16"]["all"]["with_squat_pct"] <= 3.0  # measured 1.2 %
    assert activities["D01"]["false_squats_per_min"] <= 0.05  # measured 0
    assert activities["D05"]["false_squats_per_min"] <= 0.05  # measured 0
    assert activities["D15"]["young"]["with_squat_pct"] >= 94.0  # measured 94.5 %
    assert activities["D15"]["older"]["with_squat_pct"] >= 90.0  # measured 92.0 % (23 of 25)
    assert activities["D16"]["older"]["with_squat_pct"] <= 5.0  # measured 4.0 % (1 of 25: SE05_R02)


@pytest.fixture(scope="module")
def kfall(datasets_dir):
    folder = datasets_dir / "kfall"
    if not folder.is_dir():
        pytest.skip(f"no KFall folder in {datasets_dir}")
    return evaluate_folder(folder, DetectorParams(), jobs=JOBS)["kfall"]


def test_kfall_trials_all_calibrate(kfall):
    tasks = kfall["tasks"]
    assert {code: t["all"]["trials"] for code, t in tasks.items()} == {
        "T01": 8, "T02": 40, "T03": 39, "T05": 39, "T06": 37, "T08": 38, "T13": 35, "T20": 40
    }  # fmt: skip
    assert all(t["all"]["uncalibrated"] == 0 for t in tasks.values())  # the standing prefix calibrates all
    assert {code: t["role"] for code, t in tasks.items() if "false_squats_per_min" in t} == {
        "T01": "standing", "T06": "walking", "T08": "jogging"
    }  # fmt: skip


def test_kfall_standing_walking_and_jogging(kfall):
    tasks = kfall["tasks"]
    assert tasks["T01"]["false_squats_per_min"] <= 0.05  # measured 0 (8 trials, 4.1 min)
    assert tasks["T06"]["false_squats_per_min"] <= 0.15  # measured 0.129 (1 squat in 7.8 min: S07T06R02)
    assert tasks["T08"]["false_squats_per_min"] <= 0.05  # measured 0 (5.8 min)
    assert kfall["false_squats_per_min"] <= 0.07  # measured 0.057 over the three (17.7 min)
    assert sum(t["all"]["holds"] for t in tasks.values() if "false_squats_per_min" in t) == 0  # measured 0


def test_cmu_mbl_reps(report):
    exercises = report["cmu_mbl"]["exercises"]
    for name in ("SqDL", "SqSL", "SumoSq"):
        assert exercises[name]["passed"] == exercises[name]["windows"] == 5, name  # measured 5 of 5
    for name in ("HeelRaise", "Walk", "StepUpL", "StepDnL", "Pose"):
        assert exercises[name]["with_squat"] == 0, name  # measured 0
    assert exercises["Lunge"]["with_squat"] <= 4  # measured 4 of 5
    assert exercises["SpainSq"]["mean_stable_pct"] >= 90.0  # measured 100 %


def test_broad_inclination(report):
    section = report["broad"]
    assert section["mean_inclination_rmse_deg"] < 0.6  # measured 0.485°
    assert max(t["inclination_rmse_deg"] for t in section["trials"]) < 0.7  # measured 0.607°


def test_the_command_on_one_dataset_folder(datasets_dir):
    folder = datasets_dir / "cmu-mbl-sub22"
    result = CliRunner().invoke(main, ["evaluate", "--json", str(folder)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["kinds"] == ["cmu-mbl"] and report["detector_params"] == DetectorParams().as_dict()
    assert "padded window" in report["cmu_mbl"]["protocol"]
