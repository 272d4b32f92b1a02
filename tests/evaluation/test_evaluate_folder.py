"""``imuhold evaluate`` on folders built here: each kind recognised from content, the report's sections and text."""

import json
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from imuhold.cli import main
from imuhold.detect.params import DetectorParams
from imuhold.evaluation import cmu_mbl, kfall, sisfall, trials
from imuhold.evaluation.dataset import scan
from imuhold.evaluation.report import evaluate_folder, text_lines
from imuhold.formats import cmu_mbl as cmu_format
from imuhold.formats import kfall as kfall_format
from tests.formats.builders import KFALL_HEADER, session, sisfall_counts, write_cmu, write_kfall, write_sisfall

SAMPLES = Path(__file__).resolve().parents[2] / "sample_recordings"


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """A SisFall-like tree (two squats per "D15" trial, a still "D01"), a KFall-like one (two squats in a "T13" trial
    of subject SA06 and one of SA07, a still "T01"), CMU-like windows, two labelled recordings."""
    root = tmp_path_factory.mktemp("dataset")
    counts = sisfall_counts(session(200.0))
    for activity in ("D15", "D01"):
        (root / "sisfall" / activity).mkdir(parents=True)
    for name in ("D15_SA01_R01", "D15_SE01_R01"):
        write_sisfall(root / "sisfall" / "D15" / f"{name}.txt.gz", counts)
    write_sisfall(root / "sisfall" / "D01" / "D01_SA01_R01.txt.gz", np.tile(counts[:1], (6000, 1)))
    for task in ("T13", "T01"):
        (root / "kfall" / task).mkdir(parents=True)
    for name in ("S06T13R01", "S07T13R01"):
        write_kfall(root / "kfall" / "T13" / f"{name}.csv.gz", session())
    still = ",".join(f"{v:.4f}" for v in session().acc_m_s2[0] / 9.80665)
    rows = [f"{(i + 1) / 100:.2f},{i + 1},{still},0,0,0,80,0,0" for i in range(3000)]
    (root / "kfall" / "T01" / "S06T01R01.csv").write_text("\n".join([KFALL_HEADER, *rows]) + "\n")
    cmu = root / "cmu" / "SUB07"
    for exercise in ("SqDL", "Pose"):
        (cmu / exercise).mkdir(parents=True)
        write_cmu(cmu / exercise / f"{exercise}_01_rep1.csv.gz", session())
    (root / "recordings").mkdir()
    for name in ("long-hold", "split-hold"):
        for suffix in (".imuhold.gz", ".labels.json"):
            shutil.copy(SAMPLES / (name + suffix), root / "recordings")
    (root / "notes.txt").write_text("not data\n")
    return root


def test_every_kind_is_found_by_content(folder):
    dataset = scan(folder)
    assert dataset.kinds == ["sisfall", "kfall", "cmu-mbl", "labelled"]
    assert [p.name for p in dataset.files["kfall"]] == ["S06T01R01.csv", "S06T13R01.csv.gz", "S07T13R01.csv.gz"]
    assert [p.name for p in dataset.files["cmu-mbl"]] == ["Pose_01_rep1.csv.gz", "SqDL_01_rep1.csv.gz"]
    assert len(dataset.files["sisfall"]) == 3 and len(dataset.files["labelled"]) == 2


@pytest.fixture(scope="module")
def report(folder):
    return evaluate_folder(folder, DetectorParams())


def test_the_report_states_its_thresholds(report):
    assert report["detector_params"] == DetectorParams().as_dict()
    assert report["kinds"] == ["sisfall", "kfall", "cmu-mbl", "labelled"]
    json.dumps(report)  # plain JSON types only


def test_sisfall_section(report):
    section = report["sisfall"]
    d15 = section["activities"]["D15"]
    assert d15["role"] == "squat" and d15["all"]["trials"] == 2
    assert d15["all"]["squats_2_plus"] == 2 and d15["all"]["with_squat_pct"] == 100.0  # the session has two
    assert d15["young"]["trials"] == 1 and d15["older"]["trials"] == 1
    d01 = section["activities"]["D01"]
    assert d01["role"] == "walking" and d01["false_squats_per_min"] == 0.0
    assert d01["all"]["minutes"] == pytest.approx(30.0 / 60, abs=0.01) and d01["all"]["uncalibrated"] == 0
    trial = next(t for t in section["trials"] if t["file"] == "D15_SA01_R01.txt.gz")
    assert trial["entries_s"] == pytest.approx([5.0, 26.5], abs=0.6) and trial["calibrated_s"] < 0  # in the prefix


def test_kfall_section(report):
    section = report["kfall"]
    t13 = section["tasks"]["T13"]
    assert t13["role"] == "chair" and "false_squats_per_min" not in t13  # a policy, reported apart
    assert t13["all"]["trials"] == 2 and t13["all"]["squats_2_plus"] == 2
    assert set(t13["subjects"]) == {"SA06", "SA07"} and t13["subjects"]["SA07"]["squats"] == 2
    t01 = section["tasks"]["T01"]
    assert t01["role"] == "standing" and t01["false_squats_per_min"] == 0.0 and t01["all"]["uncalibrated"] == 0
    assert section["false_squats_per_min"] == 0.0  # over standing, walking and jogging only
    trial = next(t for t in section["trials"] if t["file"] == "S06T13R01.csv.gz")
    assert trial["subject"] == "SA06" and trial["entries_s"] == pytest.approx([5.0, 26.5], abs=0.6)
    assert trial["calibrated_s"] < 0  # in the prefix


def test_cmu_section(report):
    section = report["cmu_mbl"]
    sqdl = section["exercises"]["SqDL"]
    assert sqdl["expected"] == "squat" and sqdl["with_squat"] == 1 and sqdl["passed"] == 1
    window = next(w for w in section["windows"] if w["exercise"] == "SqDL")
    assert window["subject"] == "SUB07"  # this "Pose" is the whole session, squats included: not at 0°
    assert 0.0 < window["start_from_pose_deg"] < window["peak_from_pose_deg"]
    assert section["squat_recall_pct"] == 100.0


def test_labelled_section(report):
    section = report["labelled"]
    assert section["recordings"] == 2 and section["tolerance_s"] == 0.5
    assert section["squats"]["missed"] == 0 and section["squats"]["false"] == 0
    assert section["event_f1"] >= 0.9
    assert set(section["timing"]) == {"entry", "hold_start", "hold_end", "exit"}
    assert section["timing"]["entry"]["p90_abs_s"] is not None
    assert section["hold_duration_error"]["median_abs_s"] is not None


def test_text_tables(report):
    text = "\n".join(text_lines(report))
    assert "detector: calibration_s=" in text
    assert "SisFall" in text and "\n  D15       squat" in text
    assert "KFall" in text and "\n  T13   chair" in text and "false squats per minute over standing" in text
    assert "CMU-MBL" in text and "\n  SqDL        squat" in text
    assert "Labelled recordings — 2 files, event F1" in text


def test_unreadable_files_are_named_and_the_rest_evaluated(folder, tmp_path):
    root = tmp_path / "mixed"
    shutil.copytree(folder / "recordings", root / "recordings")
    (root / "recordings" / "broken.imuhold").write_text("{not json\n")
    (root / "recordings" / "broken.labels.json").write_text((SAMPLES / "long-hold.labels.json").read_text())
    chest_only = root / "cmu" / "SqDL_01_rep2.csv"
    chest_only.parent.mkdir()
    lines = write_cmu(tmp_path / "full.csv", session()).read_text().splitlines()
    chest_only.write_text("\n".join(",".join(line.split(",")[:15]) for line in lines) + "\n")
    report = evaluate_folder(root)
    assert report["kinds"] == ["cmu-mbl", "labelled"]
    assert report["labelled"]["recordings"] == 2 and report["cmu_mbl"]["windows"] == []
    assert len(report["errors"]) == 2
    assert any("broken.imuhold" in e for e in report["errors"])
    assert any("no sensor 'Pelvis'" in e for e in report["errors"])
    assert "2 file(s) could not be evaluated" in "\n".join(text_lines(report))


def test_the_command(folder, tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["evaluate", str(folder), "--json", "--param", "min_hold_s=3", "--jobs", "2"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["detector_params"]["min_hold_s"] == 3.0
    result = runner.invoke(main, ["evaluate", str(folder / "recordings")])
    assert result.exit_code == 0 and "Labelled recordings" in result.output and "SisFall" not in result.output
    result = runner.invoke(main, ["evaluate", str(tmp_path)])
    assert result.exit_code != 0 and "found no SisFall, KFall or CMU-MBL files" in result.output


def test_padding_holds_the_ends_still(tmp_path):
    window = cmu_format.load(write_cmu(tmp_path / "w.csv", session()))
    padded = cmu_mbl.padded(window, 1.0)
    assert padded.samples == window.samples + 200
    np.testing.assert_allclose(padded.t_s[1:] - padded.t_s[:-1], 0.01, atol=1e-9)
    assert np.allclose(padded.quat[:100], window.quat[0]) and np.allclose(padded.quat[-100:], window.quat[-1])
    g_m_s2 = np.median(np.linalg.norm(window.acc_m_s2, axis=1))
    assert np.allclose(np.linalg.norm(padded.acc_m_s2[:100], axis=1), g_m_s2)
    assert not padded.gyr_rad_s[:100].any() and not padded.gyr_rad_s[-100:].any()


def test_the_standing_prefix_holds_the_first_posture_and_leaves_the_trial_alone(tmp_path):
    imported = sisfall.sisfall.load(write_sisfall(tmp_path / "D15_SA01_R01.txt", sisfall_counts(session(200.0))))
    prefixed = sisfall.with_standing_prefix(imported, 2.0)
    assert prefixed.samples == imported.samples + 400
    np.testing.assert_allclose(prefixed.t_s[1:] - prefixed.t_s[:-1], 0.005, atol=1e-9)
    np.testing.assert_allclose(prefixed.acc_m_s2[400:], imported.acc_m_s2)
    posture = imported.acc_m_s2[:100].mean(axis=0)
    np.testing.assert_allclose(prefixed.acc_m_s2[:400].mean(axis=0), posture, atol=0.02)
    np.testing.assert_allclose(prefixed.acc_m_s2[:400].std(axis=0), sisfall.ACC_NOISE_M_S2["MMA8451Q"], rtol=0.15)
    np.testing.assert_array_equal(sisfall.with_standing_prefix(imported, 2.0).acc_m_s2, prefixed.acc_m_s2)
    assert sisfall.with_standing_prefix(imported, 0.0) is imported


def test_a_prefix_holds_the_rest_rate_of_its_dataset(tmp_path):
    """SisFall: each trial's median rate; KFall, whose trials are mostly movement: the sensor's zero rate at rest."""
    moving = session().gyr_rad_s.copy()
    moving[:, 0] += 0.5  # a short trial turning all the time: its median is no rate at rest
    turning = replace(kfall_format.load(write_kfall(tmp_path / "S07T03R01.csv", session())), gyr_rad_s=moving)
    for standing, expected in ((kfall.STANDING, [0.0, 0.0, 0.0]), (sisfall.standing_of("MMA8451Q"), None)):
        prefixed = trials.with_standing_prefix(turning, 2.0, standing)
        rest = np.median(moving, axis=0) if expected is None else expected
        np.testing.assert_allclose(prefixed.gyr_rad_s[:200].mean(axis=0), rest, atol=0.005)  # noise: 0.9 °/s SD
        np.testing.assert_array_equal(prefixed.gyr_rad_s[200:], moving)


class Progress:
    """Remembers what an evaluation said of its files."""

    def __init__(self) -> None:
        self.started: list[str] = []
        self.done_files: list[tuple[str, int]] = []

    def start(self, paths):
        self.started = [p.name for p in paths]

    def done(self, path, samples):
        self.done_files.append((path.name, samples))


def _damaged_broad_trial(path: Path) -> Path:
    """A ``.npz`` with BROAD's array names whose arrays cannot be a trial (no samples, a rate of "x")."""
    np.savez(
        path, imu_acc=np.zeros((0, 3)), imu_gyr=np.zeros((5, 3)), opt_quat=np.zeros((5, 4)), movement=np.ones(5),
        sampling_rate=np.array("x"),
    )  # fmt: skip
    return path


def test_one_damaged_file_of_each_kind_is_named_and_every_file_is_reported_done(folder, tmp_path):
    root = tmp_path / "damaged"
    shutil.copytree(folder / "recordings", root / "recordings")
    (root / "recordings" / "split-hold.labels.json").write_text('{"version": 1, "events": [')  # cut short
    sisfall_dir = root / "sisfall"
    sisfall_dir.mkdir()
    write_sisfall(sisfall_dir / "D15_SA01_R01.txt", sisfall_counts(session(200.0)))
    cut = (sisfall_dir / "D15_SA01_R01.txt").read_bytes()[:200]
    (sisfall_dir / "D15_SA02_R01.txt").write_bytes(cut + b"1,2,3,4,5,6,7,8,99999999999999999999;\r\n" * 3)
    _damaged_broad_trial(root / "trial_1.npz")
    progress = Progress()
    report = evaluate_folder(root, progress=progress)
    done = progress.done_files
    assert report["kinds"] == ["sisfall", "labelled", "broad"]
    assert sorted(progress.started) == sorted(name for name, _ in done)
    assert sorted(name for name, _ in done) == sorted(
        ["D15_SA01_R01.txt", "D15_SA02_R01.txt", "long-hold.imuhold.gz", "split-hold.imuhold.gz", "trial_1.npz"]
    )
    samples = dict(done)
    assert samples["D15_SA01_R01.txt"] == len(session(200.0).t_s) and samples["long-hold.imuhold.gz"] > 0
    assert samples["trial_1.npz"] == 0 and samples["split-hold.imuhold.gz"] == 0
    assert report["labelled"]["recordings"] == 1 and report["broad"]["trials"] == []
    assert sorted(Path(e.split(":")[0]).name for e in report["errors"]) == ["split-hold.imuhold.gz", "trial_1.npz"]
    assert report["sisfall"]["activities"]["D15"]["all"]["trials"] == 2  # the cut trial still ran, on 2 samples
    runner = CliRunner()
    result = runner.invoke(main, ["evaluate", str(root)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "2 file(s) could not be evaluated" in result.output
