"""Subject-wise cross-validation of detector settings on SisFall and KFall: in-sample against cross-validated numbers.

Each candidate setting (the defaults, then one physical parameter moved at a time) is run once on every trial;
then, per fold, the candidate with the lowest cost on the other subjects is scored on the fold's subjects. A
setting change counts only if the cross-validated numbers improve (docs/evaluation.md).

    .venv/bin/python benchmarks/crossval.py [DATASETS] [--jobs 2] [--folds 4] [--param NAME=V1,V2 ...]
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace
from pathlib import Path

from imuhold.detect.params import DetectorParams
from imuhold.evaluation import kfall, sisfall
from imuhold.evaluation.crossval import Scores, cross_validate
from imuhold.evaluation.runner import Failed, map_files

DEFAULT_DATASETS = Path(__file__).resolve().parents[1].parent / "shared" / "datasets"
ACTIVITIES = {"sisfall": ("D01", "D05", "D15", "D16"), "kfall": ("T01", "T06", "T08")}
"""The trials with a known answer: squats, stoops, and standing, walking, jogging and stairs (no squat at all)."""
TRIAL_RUNNERS = {"sisfall": sisfall.run_trial, "kfall": kfall.run_trial}
GRID = {
    "hinge_radius_m": (0.30, 0.40),
    "squat_drop_m": (0.14, 0.20),
    "squat_inclination_deg": (4.0, 8.0),
    "max_drop_m": (0.8, 1.2),
    "vertical_still_speed_dps": (3.0, 7.0),
}
"""Physical parameters and the values tried on either side of their defaults."""


def candidates(grid: dict[str, tuple[float, ...]]) -> dict[str, dict[str, float]]:
    """The defaults first (ties go to them), then each parameter moved alone."""
    found: dict[str, dict[str, float]] = {"defaults": {}}
    for name, values in grid.items():
        for value in values:
            found[f"{name}={value:g}"] = {name: value}
    return found


def _fmt(value: float | None, pct: bool = True) -> str:
    if value is None:
        return "–"
    return f"{100 * value:.1f} %" if pct else f"{value:.3f}"


def row(label: str, s: Scores) -> str:
    return (
        f"| {label} | {_fmt(s.squat_found)} | {_fmt(s.stoop_called_squat)} | {_fmt(s.false_per_min, pct=False)} "
        f"| {s.cost:.3f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("datasets", nargs="?", type=Path, default=DEFAULT_DATASETS)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--folds", type=int, default=4)
    parser.add_argument("--param", action="append", default=[], metavar="NAME=V1,V2", help="replaces the grid")
    args = parser.parse_args()
    grid = GRID
    if args.param:
        grid = {k: tuple(float(v) for v in vs.split(",")) for k, vs in (p.split("=", 1) for p in args.param)}
    files = {
        dataset: sorted(p for a in activities for p in (args.datasets / dataset / a).glob("*.gz"))
        for dataset, activities in ACTIVITIES.items()
    }
    if not any(files.values()):
        raise SystemExit(f"no SisFall or KFall trials under {args.datasets}")
    outcomes = {}
    started = time.perf_counter()
    for name, overrides in candidates(grid).items():
        params = DetectorParams().with_overrides(overrides)
        results = []
        for dataset, paths in files.items():
            for result in map_files(TRIAL_RUNNERS[dataset], paths, args.jobs, params=params):
                if isinstance(result, Failed):
                    raise SystemExit(str(result))
                results.append(replace(result, subject=f"{dataset}:{result.subject}"))  # KFall's SA06 is not SisFall's
        outcomes[name] = results
        print(f"  ran {name} on {len(results)} trials ({time.perf_counter() - started:.0f} s)", flush=True)
    cv = cross_validate(outcomes, args.folds)
    described = "; ".join(f"{d} {', '.join(ACTIVITIES[d])} ({len(p)})" for d, p in files.items() if p)
    print(f"\n{described}: {args.folds} subject-wise folds\n")
    print("| setting | D15 squat found | D16 stoop called squat | standing/walking/jogging/stairs false/min | cost |")
    print("|---|---|---|---|---|")
    for name, s in cv.per_candidate.items():
        print(row(f"{name} (in-sample)", s))
    print(row(f"in-sample best: {cv.in_sample_choice}", cv.in_sample))
    print(row("**cross-validated** (chosen per fold)", cv.cross_validated))
    for i, fold in enumerate(cv.folds, 1):
        held_out = " ".join(sorted(s.replace("sisfall:", "").replace("kfall:", "K") for s in fold.held_out))
        print(row(f"fold {i} held out {held_out}: chose {fold.chosen}", fold.test))


if __name__ == "__main__":
    main()
