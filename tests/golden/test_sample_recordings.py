"""Golden tests: every committed sample recording is analysed and scored against its labels.

The samples are simulated on typical real chips (offsets, scale and cross-axis errors, clock error, any mounting;
docs/simulator.md). The floors below sit just past what was measured on them; a change that makes any of them
worse fails here.
"""

from pathlib import Path

import pytest

from imuhold.evaluation.labelled import evaluate_labelled, labelled_recordings

SAMPLES = Path(__file__).resolve().parents[2] / "sample_recordings"
RECORDINGS = labelled_recordings(SAMPLES)


def test_there_are_enough_labelled_samples():
    assert len(RECORDINGS) >= 8


@pytest.mark.parametrize("path", RECORDINGS, ids=lambda p: p.name.split(".")[0])
def test_every_squat_and_hold_found_with_no_false_ones(path):
    _, [one] = evaluate_labelled([path])
    s = one.score
    assert (s.squats_missed, s.squats_false) == (0, 0), s.to_dict()
    assert (s.holds_missed, s.holds_false) == (0, 0), s.to_dict()
    for kind in ("entry", "hold_start", "hold_end", "exit"):
        worst = s.timing(kind)["max_abs_s"]
        assert worst is None or worst < 0.6, (kind, s.to_dict())  # measured: 0.58 s (rate-25hz hold start), else < 0.5


# Measured on the typical-chip samples: event F1 0.992 (one hold start of rate-25hz 0.58 s early, outside the 0.5 s
# tolerance); medians entry 0.11, hold start 0.05, hold end 0.02, exit 0.06 s; hold duration 0.06 s. On the ideal
# chips before them: F1 1.0, medians 0.10 / 0.04 / 0.01 / 0.05 s, duration 0.04 s. The floors sit a little above
# the measured values, so a regression fails but noise does not.
def test_pooled_timing_and_duration_floors():
    total, _ = evaluate_labelled(RECORDINGS)
    assert total.event_f1 >= 0.98
    medians = {k: total.timing(k)["median_abs_s"] for k in ("entry", "hold_start", "hold_end", "exit")}
    assert medians["entry"] <= 0.15
    assert medians["hold_start"] <= 0.08
    assert medians["hold_end"] <= 0.05
    assert medians["exit"] <= 0.10
    assert total.duration()["median_abs_s"] <= 0.10
