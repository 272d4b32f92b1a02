"""Subject-wise cross-validation: choose detector settings on some people, score them on people they never saw."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

SQUAT_ROLE = "squat"
STOOP_ROLE = "stoop"
RATE_ROLES = ("standing", "walking", "jogging", "stairs")
"""Roles whose trials must give no squat at all: scored as false squats per minute."""


class Trial(Protocol):
    """What cross-validation needs of one trial's outcome (SisFall's and KFall's trials have it)."""

    @property
    def subject(self) -> str: ...

    @property
    def role(self) -> str: ...

    @property
    def squats(self) -> int: ...

    @property
    def duration_s(self) -> float: ...


@dataclass(frozen=True, slots=True)
class Scores:
    """The numbers a detector is held to, over a set of trials (None where the set has no such trial)."""

    squat_found: float | None
    """Share of squat trials with at least one squat found."""
    stoop_called_squat: float | None
    """Share of stoop (hip hinge) trials with a squat found."""
    false_per_min: float | None
    """Squats found per minute of standing, walking, jogging and stairs."""
    trials: int

    @property
    def cost(self) -> float:
        """What tuning minimises: a missed squat trial, a stoop trial called a squat and a false squat per minute of
        standing or walking cost alike (1 each, as shares and rates)."""
        return (1.0 - (self.squat_found or 0.0)) + (self.stoop_called_squat or 0.0) + (self.false_per_min or 0.0)


def _share(trials: list[Trial]) -> float | None:
    return sum(t.squats > 0 for t in trials) / len(trials) if trials else None


def scores(trials: Iterable[Trial]) -> Scores:
    trials = list(trials)
    moving = [t for t in trials if t.role in RATE_ROLES]
    minutes = sum(t.duration_s for t in moving) / 60.0
    return Scores(
        squat_found=_share([t for t in trials if t.role == SQUAT_ROLE]),
        stoop_called_squat=_share([t for t in trials if t.role == STOOP_ROLE]),
        false_per_min=sum(t.squats for t in moving) / minutes if minutes > 0 else None,
        trials=len(trials),
    )


def subject_folds(subjects: Iterable[str], k: int) -> list[frozenset[str]]:
    """``k`` disjoint groups of subjects, each group's mix of subject prefixes (SisFall's SA young and SE older,
    or a dataset's own) as even as the counts allow: subjects sorted within their prefix, dealt round-robin."""
    ordered = sorted(set(subjects), key=lambda s: (s.rstrip("0123456789"), s))
    if not 2 <= k <= len(ordered):
        raise ValueError(f"need 2 to {len(ordered)} folds for {len(ordered)} subjects, got {k}")
    return [frozenset(ordered[i::k]) for i in range(k)]


@dataclass(frozen=True, slots=True)
class FoldResult:
    """One fold: the setting chosen on the other subjects, and the held-out subjects' scores under it."""

    held_out: frozenset[str]
    chosen: str
    train: Scores
    test: Scores


@dataclass(frozen=True, slots=True)
class CrossValidation:
    """In-sample against cross-validated numbers, for a set of candidate settings run on the same trials."""

    in_sample_choice: str
    in_sample: Scores
    """The setting that does best on every subject, scored on those same subjects (optimistic)."""
    cross_validated: Scores
    """Every trial scored under the setting chosen without its subject (pooled over folds)."""
    folds: tuple[FoldResult, ...]
    per_candidate: Mapping[str, Scores]


def cross_validate(
    outcomes: Mapping[str, Sequence[Trial]], k: int, key: Callable[[Trial], str] = lambda t: t.subject
) -> CrossValidation:
    """``outcomes``: candidate name → the trials' outcomes under it (the same trials for every candidate, in dict
    order of preference: ties go to the earlier one, so put the current defaults first)."""
    if not outcomes:
        raise ValueError("no candidate settings to choose from")
    names = list(outcomes)

    def best(selected: Callable[[Trial], bool]) -> tuple[str, Scores]:
        scored = [(name, scores(t for t in outcomes[name] if selected(t))) for name in names]
        return min(scored, key=lambda pair: pair[1].cost)

    folds = []
    held_out_trials: list[Trial] = []
    for group in subject_folds((key(t) for t in outcomes[names[0]]), k):
        chosen, train = best(lambda t, g=group: key(t) not in g)
        test_trials = [t for t in outcomes[chosen] if key(t) in group]
        held_out_trials += test_trials
        folds.append(FoldResult(group, chosen, train, scores(test_trials)))
    choice, in_sample = best(lambda t: True)
    return CrossValidation(
        in_sample_choice=choice,
        in_sample=in_sample,
        cross_validated=scores(held_out_trials),
        folds=tuple(folds),
        per_candidate={name: scores(outcomes[name]) for name in names},
    )
