"""Detector parameters are range-checked, and the message gives the allowed range and the unit."""

import math

import pytest

from imuhold.detect.params import RANGES, DetectorParams
from imuhold.errors import ConfigError


@pytest.mark.parametrize("value", [math.inf, 1e308, math.nan, -1.0, 0.0, 0.1, 601.0])
def test_min_hold_outside_its_range_is_refused_with_the_range(value):
    with pytest.raises(ConfigError, match=r"min_hold_s must be between 0.2 and 600 s, not "):
        DetectorParams().with_overrides({"min_hold_s": value})


@pytest.mark.parametrize("value", ["x", "", None, True, [2]])
def test_an_override_that_is_no_number_says_so(value):
    with pytest.raises(ConfigError, match="min_hold_s must be a number"):
        DetectorParams().with_overrides({"min_hold_s": value})


def test_overrides_from_text_are_numbers():
    assert DetectorParams().with_overrides({"min_hold_s": "3"}).min_hold_s == 3.0


def test_the_defaults_and_both_ends_of_every_range_are_allowed_alone():
    defaults = DetectorParams()
    assert set(RANGES) == set(defaults.as_dict())
    for name, (low, high) in RANGES.items():
        assert low <= getattr(defaults, name) <= high, name
        for end in (low, high):
            try:
                DetectorParams().with_overrides({name: end})
            except ConfigError as exc:  # only a rule between two parameters may refuse an end
                assert "must be below" in str(exc) or "must be shorter" in str(exc), (name, end, exc)


def test_the_unit_is_named_per_kind():
    for name, unit in (("quiet_speed_dps", "°/s"), ("entry_drop_m", " m"), ("quiet_acc_m_s2", "m/s²"),
                       ("stable_velocity_m_s", " m/s"), ("entry_inclination_deg", "°"),
                       ("exit_recovered_fraction", "1, not")):  # fmt: skip
        with pytest.raises(ConfigError, match=unit):
            DetectorParams().with_overrides({name: 1e9})
