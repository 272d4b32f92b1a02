"""Activity trials (SisFall, KFall) run after a standing prefix: each trial's squats, and counts per activity."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace

import numpy as np

from imuhold.analysis import analyze_blocks, analyze_imported
from imuhold.detect.params import DetectorParams
from imuhold.formats.base import Imported, RunningMedian
from imuhold.model import EventKind
from imuhold.pipeline import Analysis

# Protocol (docs/evaluation.md): each trial is run whole after PREFIX_S of standing in the posture of its first
# PREFIX_FROM_S, with the dataset's own standing noise (a noise-free prefix changes the outcome of a fifth of SisFall's
# D15 trials). imuhold asks its user to stand still for the calibration before training; these datasets' subjects
# were not asked to, and their walking trials start moving at once, so without the prefix many never calibrate and
# their "no false squats" would mean nothing. A prefix of 0 runs the trials exactly as recorded. Times in the report
# count from the first recorded sample (negative: in the prefix).
PREFIX_S = 2.0
PREFIX_FROM_S = 0.5


@dataclass(frozen=True, slots=True)
class Standing:
    """How a dataset's sensor reads while its wearer stands still, as the prefix reproduces it: the per-axis SD of
    the acceleration and the angular rate, and what the gyro reads at rest."""

    acc_noise_m_s2: tuple[float, float, float]
    gyr_noise_rad_s: tuple[float, float, float]
    rest_rate_rad_s: tuple[float, float, float] | None = None
    """Measured apart for a sensor that reads the same at rest in every trial; None: each trial's median rate (right
    when most of a trial is still)."""


@dataclass(frozen=True, slots=True)
class Trial:
    """One trial's outcome; ``role`` says what the activity is for the detector, ``group`` whom it is from."""

    file: str
    activity: str
    subject: str
    trial: str
    group: str
    role: str
    duration_s: float
    squats: int
    holds: int
    calibrated_s: float | None
    entries_s: tuple[float, ...]
    depths_m: tuple[float | None, ...]
    samples: int = 0


def rest_rate(imported: Imported, standing: Standing) -> np.ndarray:
    """What the gyro reads at rest: ``standing.rest_rate_rad_s``, or the median rate over the trial."""
    assert imported.gyr_rad_s is not None
    if standing.rest_rate_rad_s is not None:
        return np.asarray(standing.rest_rate_rad_s, dtype=float)
    return np.median(imported.gyr_rad_s, axis=0)


def with_standing_prefix(
    imported: Imported, prefix_s: float, standing: Standing, from_s: float = PREFIX_FROM_S
) -> Imported:
    """``imported`` after ``prefix_s`` of standing: the posture of its first ``from_s`` (mean specific force), the
    gyro's rate at rest, and the noise of ``standing`` (seeded: the same every run)."""
    if round(prefix_s * imported.rate_hz) <= 0:
        return imported
    if imported.gyr_rad_s is None:
        raise ValueError(f"{imported.original_file}: a standing prefix needs a gyroscope")
    prefix = _prefix(imported, prefix_s, standing, rest_rate(imported, standing), from_s)
    assert imported.gyr_rad_s is not None and prefix.gyr_rad_s is not None
    t = np.concatenate((prefix.t_s, imported.t_s))
    return replace(
        imported,
        t_s=t - t[0],
        acc_m_s2=np.concatenate((prefix.acc_m_s2, imported.acc_m_s2)),
        gyr_rad_s=np.concatenate((prefix.gyr_rad_s, imported.gyr_rad_s)),
    )


def _prefix(first: Imported, prefix_s: float, standing: Standing, rest: np.ndarray, from_s: float) -> Imported:
    """The standing prefix of a trial whose (first) samples are ``first``: timed on the trial's clock, before it."""
    n = round(prefix_s * first.rate_hz)
    rng = np.random.default_rng(0)
    posture = first.acc_m_s2[: max(1, round(from_s * first.rate_hz))].mean(axis=0)
    acc = posture + rng.normal(0.0, standing.acc_noise_m_s2, (n, 3))
    gyr = rest + rng.normal(0.0, standing.gyr_noise_rad_s, (n, 3))
    return replace(first, t_s=np.arange(-n, 0) / first.rate_hz + first.t_s[0], acc_m_s2=acc, gyr_rad_s=gyr)


def run(
    imported: Imported,
    trial: Trial,
    standing: Standing,
    params: DetectorParams | None = None,
    prefix_s: float = PREFIX_S,
) -> Trial:
    """``trial`` (its identity) with the squats the pipeline finds in ``imported`` after ``prefix_s`` of standing."""
    analysis, _ = analyze_imported(with_standing_prefix(imported, prefix_s, standing), params)
    return _outcome(trial, analysis, imported.rate_hz, prefix_s, imported.duration_s, imported.samples)


def run_blocks(
    read: Callable[[], Iterator[Imported]],
    trial: Trial,
    standing: Standing,
    params: DetectorParams | None = None,
    prefix_s: float = PREFIX_S,
) -> Trial:
    """``run`` on a trial that ``read()`` gives in blocks (an importer's ``load_blocks``). A trial of one block is
    ``run``; a longer one is read twice (the gyro's median rate at rest, then the pipeline), so that memory stays
    bounded by a block however long the file. Same outcome either way."""
    blocks = read()
    first = next(blocks)
    second = next(blocks, None)
    if second is None:
        return run(first, trial, standing, params, prefix_s)
    if first.gyr_rad_s is None:
        raise ValueError(f"{first.original_file}: a standing prefix needs a gyroscope")
    if standing.rest_rate_rad_s is not None:
        rest = np.asarray(standing.rest_rate_rad_s, dtype=float)
    else:
        rest = _median_rate(itertools.chain([first, second], blocks))
    t0_s = float(first.t_s[0])
    head: list[Imported] = []
    if round(prefix_s * first.rate_hz) > 0:
        prefix = _prefix(first, prefix_s, standing, rest, PREFIX_FROM_S)
        t0_s = float(prefix.t_s[0])
        head.append(replace(prefix, t_s=prefix.t_s - t0_s))
    last_s, samples = t0_s, 0

    def timed(blocks: Iterator[Imported]) -> Iterator[Imported]:
        """The trial's blocks on the clock of the prefixed trial (as ``with_standing_prefix`` times them)."""
        nonlocal last_s, samples
        for block in blocks:
            last_s, samples = float(block.t_s[-1]), samples + block.samples
            yield replace(block, t_s=block.t_s - t0_s)

    analysis, _ = analyze_blocks(itertools.chain(head, timed(read())), params)
    return _outcome(trial, analysis, first.rate_hz, prefix_s, last_s - float(first.t_s[0]), samples)


def _median_rate(blocks: Iterator[Imported]) -> np.ndarray:
    """The per-axis median of the angular rate over all ``blocks``, exactly as ``np.median`` over the whole."""
    median = RunningMedian(3)
    for block in blocks:
        assert block.gyr_rad_s is not None
        median.add(block.gyr_rad_s)
    return median.median()


def _outcome(
    trial: Trial, analysis: Analysis, rate_hz: float, prefix_s: float, duration_s: float, samples: int
) -> Trial:
    shift = round(prefix_s * rate_hz) / rate_hz if prefix_s > 0 else 0.0
    calibrated = next((e.t_s - shift for e in analysis.events if e.kind is EventKind.CALIBRATED), None)
    return replace(
        trial,
        duration_s=duration_s,
        squats=len(analysis.squats),
        holds=sum(len(s.holds) for s in analysis.squats),
        calibrated_s=calibrated,
        entries_s=tuple(round(s.entry_s - shift, 2) for s in analysis.squats),
        depths_m=tuple(None if s.depth_m is None else round(s.depth_m, 3) for s in analysis.squats),
        samples=samples,
    )


def identified(file: str, activity: str, subject: str, trial: str, group: str, role: str) -> Trial:
    """A trial not run yet: its identity, no squats."""
    return Trial(file, activity, subject, trial, group, role, 0.0, 0, 0, None, (), ())


def _pct(count: int, total: int) -> float | None:
    return round(100.0 * count / total, 1) if total else None


def summarise(trials: list[Trial]) -> dict[str, object]:
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


def activities(
    trials: list[Trial], names: dict[str, str], rate_roles: Iterable[str], groups: Iterable[str] = ()
) -> dict[str, dict[str, object]]:
    """Per activity code: its name and role, ``false_squats_per_min`` for a rate role, ``all``, then each group."""
    rate_roles, groups = tuple(rate_roles), tuple(groups)
    sections: dict[str, dict[str, object]] = {}
    for code in sorted({t.activity for t in trials}):
        mine = [t for t in trials if t.activity == code]
        role = mine[0].role
        overall = summarise(mine)
        sections[code] = {
            "activity": names.get(code, ""),
            "role": role,
            **({"false_squats_per_min": overall["squats_per_min"]} if role in rate_roles else {}),
            "all": overall,
            **{group: summarise([t for t in mine if t.group == group]) for group in groups},
        }
    return sections


def by_subject(trials: list[Trial]) -> dict[str, dict[str, object]]:
    """``summarise`` per subject."""
    return {s: summarise([t for t in trials if t.subject == s]) for s in sorted({t.subject for t in trials})}


def rows(trials: Iterable[Trial]) -> list[dict[str, object]]:
    """Every trial as a JSON-ready row, sorted by activity, subject and trial."""
    return [
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
        for t in sorted(trials, key=lambda t: (t.activity, t.subject, t.trial))
    ]


def protocol(prefix_s: float, dataset: str, sensors: str) -> str:
    """One sentence: how each trial was run and on what data."""
    if prefix_s > 0:
        return (
            f"each trial run whole after {prefix_s:g} s of standing in the posture of its first {PREFIX_FROM_S:g} s "
            f"(with {dataset}'s standing noise); {sensors}, orientation fused by imuhold"
        )
    return f"each trial run whole as recorded; {sensors}, orientation fused by imuhold"
