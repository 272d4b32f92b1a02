"""Scoring counts each stoop or walk, and those a false squat overlaps; a true squat beside one does not count."""

from __future__ import annotations

from imuhold.evaluation.events import EventScore
from imuhold.model import Squat
from imuhold.recording.labels import Distractor, LabelledSquat, Labels

LABELS = Labels(
    squats=(LabelledSquat(10.0, 20.0),),
    distractors=(
        Distractor("stoop", 20.5, 23.0),  # right after the squat
        Distractor("walk", 30.0, 40.0),
        Distractor("stoop", 50.0, 53.0),
        Distractor("chair", 60.0, 70.0),
    ),
)


def _squat(entry_s: float, exit_s: float) -> Squat:
    return Squat(entry_s, exit_s, -0.4, ())


def test_a_false_squat_on_a_stoop_calls_it_a_squat():
    score = EventScore()
    # the true squat overruns into the first stoop; a false one on the second stoop; the chair sit apart
    score.add(LABELS, [_squat(10.1, 21.0), _squat(50.5, 52.5), _squat(61.0, 69.0)])
    assert score.negatives == {"stoop": 2, "walk": 1}
    assert score.negatives_called_squat == {"stoop": 1, "walk": 0}
    assert (score.squats_false, score.chair_sits_detected) == (1, 1)
    expected = {"stoop": {"true": 2, "called_squat": 1}, "walk": {"true": 1, "called_squat": 0}}
    assert score.to_dict()["negatives"] == expected


def test_counts_add_up_over_recordings():
    score = EventScore()
    score.add(LABELS, [_squat(10.1, 19.9)])
    score.add(LABELS, [_squat(10.1, 19.9), _squat(31.0, 35.0), _squat(50.5, 52.5)])
    assert score.negatives == {"stoop": 4, "walk": 2}
    assert score.negatives_called_squat == {"stoop": 1, "walk": 1}
