"""Every stage's tunables are detector parameters: overriding one reaches the stage that uses it."""

from pathlib import Path

import pytest

from imuhold.detect.params import DetectorParams
from imuhold.errors import ConfigError
from imuhold.pipeline import Pipeline
from imuhold.protocol import get_profile
from imuhold.recording import read_recording

ROUTINE = Path(__file__).resolve().parents[2] / "sample_recordings" / "routine.imuhold.gz"


def events_with(**overrides):
    recording = read_recording(ROUTINE)
    params = DetectorParams().with_overrides(overrides)
    analysis = Pipeline(get_profile(recording.header.profile), recording.header.rate_hz, params).run(recording.packets)
    return [(e.kind, e.t_s, e.t_detected_s) for e in analysis.events]


@pytest.mark.parametrize(
    "overrides",
    [
        {"vertical_rest_speed_dps": 0.01},  # the vertical tracker never rests: no measured depth, no squat
        {"tilt_speed_tau_s": 3.0},  # a sluggish tilt speed: holds start and end at other times
        {"dating_peak_fraction": 0.5},  # events dated at half the peak speed, inside the movements
        {"axis_learning_deg": 50.0},  # the axis is learned late: tilt is inclination in between
        {"exit_report_delay_s": 3.0},  # exits reported later (and dated against a longer history)
    ],
    ids=lambda o: next(iter(o)),
)
def test_an_override_reaches_its_stage(overrides):
    assert events_with(**overrides) != events_with()


def test_derived_levels_are_checked():
    with pytest.raises(ConfigError, match="dating_peak_fraction"):
        DetectorParams(dating_peak_fraction=1.5)
    with pytest.raises(ConfigError, match="unknown detector parameter"):
        DetectorParams().with_overrides({"vertical_nonsense": 1.0})


def test_a_stage_gets_its_parameters_by_prefix():
    vertical = DetectorParams(vertical_rest_min_s=0.7).prefixed("vertical_")
    assert vertical["rest_min_s"] == 0.7 and "rest_speed_dps" in vertical and "min_hold_s" not in vertical
