"""Activity and scenario validation: the simulator refuses ambiguous or impossible ground truth."""

from __future__ import annotations

import pytest

from imuhold.sim import BriefWobble, Chair, Hold, Pause, Scenario, SensorConfig, Shift, Squat, Stand, Stoop, Walk


def test_durations_add_up():
    squat = Squat(descent_s=2.0, ascent_s=1.5, bottom=(Hold(5.0), Shift(3.0), Hold(4.0)))
    assert squat.duration_s == pytest.approx(2.0 + 5.0 + 3.0 + 4.0 + 1.5)
    assert Stoop(down_s=1.0, pause_s=2.0, up_s=1.0).duration_s == 4.0
    assert Chair(down_s=1.5, settle_s=0.5, sit_s=5.0, up_s=1.5).duration_s == 8.5


@pytest.mark.parametrize(
    "make",
    [
        lambda: Hold(2.5),  # shorter than the 3 s minimum
        lambda: Hold(10.0, drift_deg=2.5),
        lambda: Pause(1.5),  # a bounce must not look like a short hold
        lambda: Shift(2.2),  # must move for ≥ 2 s
        lambda: Shift(3.0, speed_deg_s=5.0),
        lambda: Hold(10.0, wobbles=(BriefWobble(1.0),)),  # too close to the hold start
        lambda: Hold(10.0, wobbles=(BriefWobble(6.8),)),  # too close to the hold end
        lambda: Hold(20.0, wobbles=(BriefWobble(4.0), BriefWobble(6.0))),  # too close to each other
        lambda: BriefWobble(5.0, duration_s=1.2),
        lambda: Squat(style="sumo"),
        lambda: Squat(bottom=(Hold(5.0), Shift())),  # must end with a hold
        lambda: Squat(bottom=(Shift(), Hold(5.0))),
        lambda: Squat(bottom=(Pause(0.5), Hold(5.0))),
        lambda: Squat(descent_s=1.0, lead_s=0.8),
        lambda: Walk(duration_s=2.0),
        lambda: Chair(seat_tilt_deg=10.0),
        lambda: SensorConfig(frame_type="euler"),
        lambda: SensorConfig(mount_wxyz=(1.0, 1.0, 0.0, 0.0)),
        lambda: SensorConfig(burst_frames=(5, 200)),
        lambda: SensorConfig(t_us_start=1 << 32),
    ],
)
def test_invalid_descriptions_are_refused(make):
    with pytest.raises(ValueError):
        make()


def test_valid_wobbles_are_accepted():
    hold = Hold(12.0, wobbles=(BriefWobble(3.0, 0.5), BriefWobble(6.5, 0.5)))
    assert len(hold.wobbles) == 2


@pytest.mark.parametrize(
    "activities",
    [
        (Stand(1.5), Squat(), Stand(3.0)),  # calibration too short (under MIN_CALIBRATION_S)
        (Squat(), Stand(3.0)),
        (Stand(5.0), Squat(), Stand(1.0)),  # final standing too short
        (Stand(5.0), Squat(), Stoop(), Stand(3.0)),  # no rest between movements
        (Stand(5.0), Squat(), Stand(0.5), Stoop(), Stand(3.0)),
    ],
)
def test_scenarios_start_and_end_standing_with_rests_between(activities):
    with pytest.raises(ValueError):
        Scenario("bad", activities)


def test_a_minimal_scenario_is_valid():
    scenario = Scenario("ok", (Stand(4.0), Squat(bottom=(Hold(3.0),)), Stand(2.0)))
    assert scenario.duration_s == pytest.approx(4.0 + 2.0 + 3.0 + 1.5 + 2.0)
