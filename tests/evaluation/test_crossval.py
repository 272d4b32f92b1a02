"""Subject-wise cross-validation: folds keep subjects apart, choices are made without the held-out subjects."""

from dataclasses import dataclass

import pytest

from imuhold.evaluation.crossval import cross_validate, scores, subject_folds


@dataclass(frozen=True)
class T:
    subject: str
    role: str
    squats: int
    duration_s: float = 12.0


def test_scores_are_shares_and_rates():
    s = scores([T("SA01", "squat", 1), T("SA02", "squat", 0), T("SA01", "stoop", 2), T("SA01", "walking", 1, 120.0)])
    assert (s.squat_found, s.stoop_called_squat, s.false_per_min) == (0.5, 1.0, 0.5)
    assert s.cost == pytest.approx(0.5 + 1.0 + 0.5)
    assert scores([T("SA01", "chair", 1)]).squat_found is None


def test_folds_are_disjoint_cover_everyone_and_mix_groups():
    subjects = [f"SA{i:02d}" for i in range(1, 12)] + [f"SE{i:02d}" for i in range(1, 6)]
    folds = subject_folds(subjects, 4)
    assert sorted(s for f in folds for s in f) == sorted(subjects)
    assert all(any(s.startswith("SE") for s in f) for f in folds)
    with pytest.raises(ValueError, match="folds"):
        subject_folds(subjects, 1)


def test_a_setting_that_only_fits_some_subjects_loses_under_cross_validation():
    subjects = [f"SA{i:02d}" for i in range(1, 9)]
    # "fits": finds the squats of SA01–SA04 only (and calls their stoops squats elsewhere); "general": misses one
    fits = [T(s, "squat", int(s <= "SA04")) for s in subjects] + [T(s, "stoop", 0) for s in subjects]
    general = [T(s, "squat", int(s != "SA08")) for s in subjects] + [T(s, "stoop", 0) for s in subjects]
    cv = cross_validate({"fits": fits, "general": general}, 4)
    assert cv.in_sample_choice == "general"
    assert cv.cross_validated.squat_found == pytest.approx(7 / 8)
    assert all(
        not (fold.held_out & {t.subject for t in fits if t.squats}) or fold.chosen == "general" for fold in cv.folds
    )


def test_the_held_out_subject_never_decides_its_own_setting():
    # "a" is perfect on SA01 only, "b" is perfect on everyone but SA01: when SA01 is held out, "b" must be chosen
    subjects = ["SA01", "SA02", "SA03"]
    a = [T(s, "squat", int(s == "SA01")) for s in subjects]
    b = [T(s, "squat", int(s != "SA01")) for s in subjects]
    cv = cross_validate({"a": a, "b": b}, 3)
    held = {next(iter(f.held_out)): f for f in cv.folds}
    assert held["SA01"].chosen == "b" and held["SA01"].test.squat_found == 0.0
    assert cv.in_sample.squat_found == pytest.approx(2 / 3)  # in-sample looks fine; neither setting generalises
    assert cv.cross_validated.squat_found == 0.0
