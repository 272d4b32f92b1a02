"""The evaluation report of a folder: one JSON-ready dict with a section per kind of data, and its text tables."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from imuhold import __version__
from imuhold.detect.params import DetectorParams
from imuhold.evaluation import broad, cmu_mbl, kfall, sisfall
from imuhold.evaluation.dataset import scan
from imuhold.evaluation.events import DEFAULT_TOLERANCE_S, EVENT_TYPES
from imuhold.evaluation.labelled import evaluate_labelled
from imuhold.evaluation.runner import UNREADABLE, Failed, map_files, split
from imuhold.formats.base import ImportOptions

WIDTH = 110
SECTION_KEYS = {"sisfall": "sisfall", "kfall": "kfall", "cmu-mbl": "cmu_mbl", "labelled": "labelled", "broad": "broad"}


OnFile = Callable[[Path, int], None]
"""Called as each file is done, with its path and how many samples it had (0 when it could not be evaluated)."""


class FileProgress(Protocol):
    """Hears which files an evaluation will go through, then of each one as it is done (for a progress line)."""

    def start(self, paths: Sequence[Path]) -> None: ...

    def done(self, path: Path, samples: int) -> None: ...


def broad_rmse_deg(path: Path) -> tuple[float, int]:
    """Inclination RMSE of imuhold's orientation on one BROAD trial and its samples (top-level, for workers)."""
    trial = broad.load_trial(path)
    return broad.score_trial(trial), len(trial.acc_m_s2)


def _samples(result: object) -> int:
    return 0 if isinstance(result, Failed) else int(getattr(result, "samples", 0))


def labelled_section(
    paths: list[Path], params: DetectorParams, tolerance_s: float, on_file: OnFile | None = None
) -> tuple[dict[str, Any], list[str]]:
    """The pooled event score of labelled recordings and each one's; unreadable ones are left out and named."""
    errors: list[str] = []
    good = []
    for path in paths:
        try:
            _, [one] = evaluate_labelled([path], params, tolerance_s)
        except UNREADABLE as exc:
            errors.append(str(Failed(path, str(exc))))
            samples = 0
        else:
            good.append(path)
            samples = one.samples
        if on_file is not None:
            on_file(path, samples)
    total, each = evaluate_labelled(good, params, tolerance_s)
    section = {
        "recordings": len(each),
        **total.to_dict(),
        "per_recording": [
            {"file": s.path.name, "event_f1": round(s.score.event_f1, 4), **s.score.to_dict()["squats"]} for s in each
        ],
    }
    return section, errors


def broad_section(paths: list[Path], jobs: int, on_file: OnFile | None = None) -> tuple[dict[str, Any], list[str]]:
    """Each BROAD trial's inclination RMSE and their mean; unreadable trials are left out and named."""
    results = map_files(broad_rmse_deg, paths, jobs, _progress(on_file, lambda r: r[1]))
    good = [(p, r[0]) for p, r in zip(paths, results, strict=True) if not isinstance(r, Failed)]
    section = {
        "scoring": "inclination error 2·acos(√(w²+z²)) of q_imu ⊗ q_opt⁻¹, RMS over the movement samples",
        "trials": [{"trial": p.stem, "inclination_rmse_deg": round(r, 3)} for p, r in good],
        "mean_inclination_rmse_deg": round(float(np.mean([r for _, r in good])), 3) if good else None,
    }
    return section, split(results)[1]


def _progress(on_file: OnFile | None, samples: Callable[[Any], int] = _samples):
    """A ``map_files`` callback that reports each file's samples to ``on_file``."""
    if on_file is None:
        return None
    return lambda path, result: on_file(path, 0 if isinstance(result, Failed) else samples(result))


def evaluate_folder(
    root: Path,
    params: DetectorParams | None = None,
    *,
    jobs: int = 1,
    options: ImportOptions | None = None,
    tolerance_s: float = DEFAULT_TOLERANCE_S,
    standing_prefix_s: float = sisfall.PREFIX_S,
    progress: FileProgress | None = None,
) -> dict[str, Any]:
    """Scan ``root``, run every kind of data found in it, and return the report; ValueError if none is found.

    A file that cannot be evaluated is named in the report's ``errors`` and the others are still evaluated.
    ``progress`` hears of the files found, then of each one as it is done.
    """
    params = params or DetectorParams()
    dataset = scan(root)
    if not dataset.kinds:
        raise ValueError(
            f"{root}: found no SisFall, KFall or CMU-MBL files, labelled recordings or BROAD trials to evaluate"
        )
    on_file = None
    if progress is not None:
        progress.start([path for kind in dataset.kinds for path in dataset.files[kind]])
        on_file = progress.done
    report: dict[str, Any] = {
        "path": str(root),
        "app_version": __version__,
        "detector_params": params.as_dict(),
        "kinds": dataset.kinds,
    }
    files = dataset.files
    errors: list[str] = []
    if files["sisfall"]:
        outcomes = map_files(
            sisfall.run_trial, files["sisfall"], jobs, _progress(on_file), params=params, prefix_s=standing_prefix_s
        )
        trials, failed = split(outcomes)
        errors += failed
        report["sisfall"] = sisfall.report(trials, standing_prefix_s)
    if files["kfall"]:
        outcomes = map_files(
            kfall.run_trial, files["kfall"], jobs, _progress(on_file), params=params, prefix_s=standing_prefix_s
        )
        trials, failed = split(outcomes)
        errors += failed
        report["kfall"] = kfall.report(trials, standing_prefix_s)
    if files["cmu-mbl"]:
        windows, cmu_errors = cmu_mbl.run_all(files["cmu-mbl"], params, options, _progress(on_file))
        errors += cmu_errors
        report["cmu_mbl"] = cmu_mbl.report(windows)
    if files["labelled"]:
        report["labelled"], labelled_errors = labelled_section(files["labelled"], params, tolerance_s, on_file)
        errors += labelled_errors
    if files["broad"]:
        report["broad"], broad_errors = broad_section(files["broad"], jobs, on_file)
        errors += broad_errors
    report["errors"] = errors
    return report


def _fmt(value: object, width: int, digits: int = 1) -> str:
    if value is None:
        text = "–"
    elif isinstance(value, float):
        text = f"{value:.{digits}f}"
    else:
        text = str(value)
    return text.rjust(width)


def _sisfall_lines(section: dict[str, Any]) -> list[str]:
    lines = [
        *textwrap.wrap(f"SisFall — {section['protocol']}", WIDTH, subsequent_indent="  "),
        "  activity  role      trials   0   1  2+   ≥1 %   =1 %  squats/min  uncal.  cal. s  young ≥1 %  older ≥1 %",
    ]
    for code, act in section["activities"].items():
        a = act["all"]
        lines.append(
            f"  {code:8}  {act['role']:8} {a['trials']:6} {a['squats_0']:3} {a['squats_1']:3} {a['squats_2_plus']:3}"
            f" {_fmt(a['with_squat_pct'], 6)} {_fmt(a['exactly_one_pct'], 6)} {_fmt(a['squats_per_min'], 11, 3)}"
            f" {a['uncalibrated']:7} {_fmt(a['median_calibrated_s'], 7, 2)}"
            f" {_fmt(act['young']['with_squat_pct'], 11)} {_fmt(act['older']['with_squat_pct'], 11)}"
        )
    return lines


def _kfall_lines(section: dict[str, Any]) -> list[str]:
    lines = [
        *textwrap.wrap(f"KFall — {section['protocol']}", WIDTH, subsequent_indent="  "),
        f"  false squats per minute over standing, walking and jogging: {_fmt(section['false_squats_per_min'], 0, 3)}",
        "  task  role       trials   0   1  2+   ≥1 %  squats/min  holds  uncal.  cal. s  subjects with a squat",
    ]
    for code, task in section["tasks"].items():
        a = task["all"]
        subjects = [name for name, s in task["subjects"].items() if s["squats"]]
        lines.append(
            f"  {code:4}  {task['role']:10} {a['trials']:6} {a['squats_0']:3} {a['squats_1']:3} {a['squats_2_plus']:3}"
            f" {_fmt(a['with_squat_pct'], 6)} {_fmt(a['squats_per_min'], 11, 3)} {a['holds']:6} {a['uncalibrated']:7}"
            f" {_fmt(a['median_calibrated_s'], 7, 2)}  {' '.join(subjects) or '–'}"
        )
    return lines


def _cmu_lines(section: dict[str, Any]) -> list[str]:
    lines = [
        *textwrap.wrap(f"CMU-MBL — {section['protocol']}", WIDTH, subsequent_indent="  "),
        f"  squat recall {_fmt(section['squat_recall_pct'], 0)} %, negatives with a squat "
        f"{_fmt(section['negatives_with_squat_pct'], 0)} %",
        "  exercise    expected  windows  squats  passed  stable %  peak° from start  peak° from Pose",
    ]
    for name, ex in section["exercises"].items():
        lines.append(
            f"  {name:10}  {ex['expected']:8} {ex['windows']:8} {ex['with_squat']:7} {_fmt(ex['passed'], 7)}"
            f" {_fmt(ex['mean_stable_pct'], 9)} {_fmt(ex['mean_peak_from_start_deg'], 16)}"
            f" {_fmt(ex['mean_peak_from_pose_deg'], 16)}"
        )
    return lines


def _labelled_lines(section: dict[str, Any]) -> list[str]:
    squats, holds = section["squats"], section["holds"]
    lines = [
        f"Labelled recordings — {section['recordings']} files, event F1 {section['event_f1']:.3f}"
        f" (an event counts within ±{section['tolerance_s']:g} s)",
        f"  squats: {squats['true']} true, {squats['missed']} missed, {squats['false']} false;"
        f" holds: {holds['true']} true, {holds['missed']} missed, {holds['false']} false",
        "  event       n  median |err| s  p90 |err| s  max |err| s",
    ]
    for kind in EVENT_TYPES:
        t = section["timing"][kind]
        lines.append(
            f"  {kind:10} {t['n']:3} {_fmt(t['median_abs_s'], 15, 3)} {_fmt(t['p90_abs_s'], 12, 3)}"
            f" {_fmt(t['max_abs_s'], 12, 3)}"
        )
    d = section["hold_duration_error"]
    lines.append(f"  hold duration error: median {_fmt(d['median_abs_s'], 0, 3)} s, max {_fmt(d['max_abs_s'], 0, 3)} s")
    if section["negatives"]:
        called = ", ".join(f"{kind} {n['called_squat']}/{n['true']}" for kind, n in section["negatives"].items())
        lines.append(f"  negatives called a squat: {called}")
    return lines


def _broad_lines(section: dict[str, Any]) -> list[str]:
    lines = ["BROAD — inclination RMSE of imuhold's orientation against optical truth", "  trial" + " " * 36 + "RMSE °"]
    for trial in section["trials"]:
        lines.append(f"  {trial['trial']:40} {trial['inclination_rmse_deg']:6.3f}")
    lines.append(f"  {'mean':40} {_fmt(section['mean_inclination_rmse_deg'], 6, 3)}")
    return lines


def text_lines(report: dict[str, Any]) -> list[str]:
    """The report as text tables, one section per kind of data, after the thresholds that produced it."""
    params = " ".join(f"{k}={v:g}" for k, v in report["detector_params"].items())
    lines = [
        f"imuhold {report['app_version']} evaluate {report['path']}",
        *textwrap.wrap(f"detector: {params}", WIDTH, subsequent_indent="  "),
    ]
    writers = {
        "sisfall": _sisfall_lines,
        "kfall": _kfall_lines,
        "cmu_mbl": _cmu_lines,
        "labelled": _labelled_lines,
        "broad": _broad_lines,
    }
    for kind in report["kinds"]:
        key = SECTION_KEYS[kind]
        lines += ["", *writers[key](report[key])]
    if report["errors"]:
        lines += ["", f"{len(report['errors'])} file(s) could not be evaluated:", *(f"  {e}" for e in report["errors"])]
    return lines
