"""How each activity moves the pelvis, and the exact ground truth that motion implies."""

from __future__ import annotations

import math
from collections.abc import Sequence

from imuhold.recording.labels import Distractor, LabelledHold, LabelledSquat
from imuhold.sim.activities import SHIFT_RAMP_S, Activity, Chair, Hold, Shift, Squat, Stand, Stoop, Walk
from imuhold.sim.body import Body
from imuhold.sim.tracks import bump, oscillation, plateau, plateau_integral

BOUNCE_SWAY_DEG = 0.8
SEATED_SWAY_M = 0.0005
WALK_YAW_DEG = 5.0
WALK_OBLIQUITY_DEG = 4.0
WALK_TILT_DEG = 2.0
WALK_LATERAL_M = 0.02
WALK_TURN_S = 1.8
LABEL_DECIMALS = 6


def perform(body: Body, activities: Sequence[Activity]) -> tuple[list[LabelledSquat], list[Distractor]]:
    """Lay the activities end to end from t = 0 into the body's tracks; return the true squats and distractors."""
    squats: list[LabelledSquat] = []
    distractors: list[Distractor] = []
    t_s = 0.0
    for activity in activities:
        if isinstance(activity, Stand):
            _stand(body, activity, t_s)
        elif isinstance(activity, Squat):
            squats.append(_squat(body, activity, t_s))
        elif isinstance(activity, Stoop):
            distractors.append(_stoop(body, activity, t_s))
        elif isinstance(activity, Walk):
            distractors.append(_walk(body, activity, t_s))
        elif isinstance(activity, Chair):
            distractors.append(_chair(body, activity, t_s))
        else:
            raise TypeError(f"not an activity: {activity!r}")
        t_s += activity.duration_s
    return squats, distractors


def _r(t_s: float) -> float:
    return round(t_s, LABEL_DECIMALS)


def _stand(body: Body, stand: Stand, t0: float) -> None:
    body.set_sway(t0, t0 + min(1.0, stand.duration_s / 2), stand.sway_deg, stand.sway_m)
    body.rest_sway_deg, body.rest_sway_m = stand.sway_deg, stand.sway_m


def _squat(body: Body, squat: Squat, t0: float) -> LabelledSquat:
    bottom_t = t0 + squat.descent_s
    first = squat.bottom[0] if squat.bottom else None
    if isinstance(first, Hold):
        body.set_sway(t0, bottom_t, first.sway_deg, first.sway_m)
    else:
        body.set_sway(t0, bottom_t, BOUNCE_SWAY_DEG, body.rest_sway_m)
    body.tilt_deg.ramp_to(t0, bottom_t, squat.tilt_deg)
    body.z_m.ramp_to(t0 + squat.lead_s, bottom_t, -squat.drop_m)
    body.forward_m.ramp_by(t0, bottom_t, -squat.back_m)
    body.obliquity_deg.ramp_to(t0, bottom_t, squat.obliquity_deg)
    body.yaw_deg.ramp_to(t0, bottom_t, squat.yaw_deg)

    holds: list[LabelledHold] = []
    t = bottom_t
    for i, phase in enumerate(squat.bottom):
        if isinstance(phase, Hold):
            _hold(body, phase, t)
            holds.append(LabelledHold(_r(t), _r(t + phase.duration_s)))
        elif isinstance(phase, Shift):
            following = squat.bottom[i + 1]
            assert isinstance(following, Hold)
            _shift(body, phase, t, following)
        t += phase.duration_s

    a0, a1 = t, t + squat.ascent_s
    body.z_m.ramp_to(a0, a1 - squat.lag_s, 0.0)
    body.tilt_deg.ramp_to(a0, a1, 0.0)
    body.forward_m.ramp_by(a0, a1, squat.back_m)
    body.obliquity_deg.ramp_to(a0, a1, 0.0)
    body.yaw_deg.ramp_to(a0, a1, 0.0)
    body.set_sway(a0, a1, body.rest_sway_deg, body.rest_sway_m)
    return LabelledSquat(_r(t0), _r(a1), tuple(holds), squat.style, -squat.drop_m)


def _hold(body: Body, hold: Hold, t0: float) -> None:
    if hold.drift_deg:
        body.tilt_deg.ramp_by(t0, t0 + hold.duration_s, hold.drift_deg)
    for wobble in hold.wobbles:
        w0, w1 = t0 + wobble.at_s, t0 + wobble.at_s + wobble.duration_s
        direction = math.radians(wobble.direction_deg)
        tilt_amp = wobble.amplitude_deg * math.cos(direction)
        obl_amp = wobble.amplitude_deg * math.sin(direction)
        body.tilt_deg.add(w0, w1, lambda t, a=tilt_amp, d=wobble.duration_s: bump(t, d, a))
        body.obliquity_deg.add(w0, w1, lambda t, a=obl_amp, d=wobble.duration_s: bump(t, d, a))


def _shift(body: Body, shift: Shift, t0: float, following: Hold) -> None:
    # The pelvis circles in tilt/obliquity, off to one side (obliquity 0 → −2r → 0), a whole number of turns so
    # that it starts and ends at rest without a jolt; the speed on the circle is speed_deg_s.
    t1 = t0 + shift.duration_s
    turns = max(1, round(shift.freq_hz * shift.duration_s))
    freq_hz = turns / shift.duration_s
    radius_deg = shift.speed_deg_s / (2 * math.pi * freq_hz)

    def side(t):
        v, d1, d2 = oscillation(t, shift.duration_s, SHIFT_RAMP_S, radius_deg, freq_hz, math.pi / 2)
        e, e1, e2 = plateau(t, shift.duration_s, SHIFT_RAMP_S)
        return v - radius_deg * e, d1 - radius_deg * e1, d2 - radius_deg * e2

    body.tilt_deg.add(t0, t1, lambda t: oscillation(t, shift.duration_s, SHIFT_RAMP_S, radius_deg, freq_hz))
    body.obliquity_deg.add(t0, t1, side)
    if shift.settle_deg:
        body.tilt_deg.ramp_by(t0, t1, shift.settle_deg)
    if shift.rise_m:
        body.z_m.add(t0, t1, lambda t: bump(t, shift.duration_s, shift.rise_m))
    body.set_sway(t0, t1, following.sway_deg, following.sway_m)


def _stoop(body: Body, stoop: Stoop, t0: float) -> Distractor:
    down = t0 + stoop.down_s
    body.tilt_deg.ramp_to(t0, down, stoop.tilt_deg)
    body.z_m.ramp_to(t0, down, -stoop.drop_m)
    body.forward_m.ramp_by(t0, down, -stoop.back_m)
    u0 = down + stoop.pause_s
    u1 = u0 + stoop.up_s
    body.tilt_deg.ramp_to(u0, u1, 0.0)
    body.z_m.ramp_to(u0, u1, 0.0)
    body.forward_m.ramp_by(u0, u1, stoop.back_m)
    return Distractor("stoop", _r(t0), _r(u1))


def _walk(body: Body, walk: Walk, t0: float) -> Distractor:
    t1 = t0 + walk.duration_s
    dur, ramp, speed = walk.duration_s, walk.ramp_s, walk.speed_m_s
    stride_hz = walk.step_hz / 2

    def forward(t):
        e, e1, _ = plateau(t, dur, ramp)
        return speed * plateau_integral(t, dur, ramp), speed * e, speed * e1

    body.forward_m.add(t0, t1, forward, lasting=speed * (dur - ramp))
    body.z_m.add(t0, t1, lambda t: oscillation(t, dur, ramp, walk.bob_m, walk.step_hz, -math.pi / 2))
    body.tilt_deg.add(t0, t1, lambda t: oscillation(t, dur, ramp, WALK_TILT_DEG, walk.step_hz))
    body.yaw_deg.add(t0, t1, lambda t: oscillation(t, dur, ramp, WALK_YAW_DEG, stride_hz))
    body.obliquity_deg.add(t0, t1, lambda t: oscillation(t, dur, ramp, WALK_OBLIQUITY_DEG, stride_hz, math.pi / 2))
    body.lateral_m.add(t0, t1, lambda t: oscillation(t, dur, ramp, WALK_LATERAL_M, stride_hz))
    if walk.turn_deg:
        mid = t0 + dur / 2
        body.path_deg.ramp_by(mid - WALK_TURN_S / 2, mid + WALK_TURN_S / 2, walk.turn_deg)
    return Distractor("walk", _r(t0), _r(t1))


def _chair(body: Body, chair: Chair, t0: float) -> Distractor:
    down, up = chair.down_s, chair.up_s
    seated = t0 + down + chair.settle_s
    body.tilt_deg.ramp_to(t0, t0 + 0.55 * down, chair.lean_deg)
    body.tilt_deg.ramp_to(t0 + 0.55 * down, seated, chair.seat_tilt_deg)
    body.z_m.ramp_to(t0 + 0.1 * down, t0 + down, -chair.drop_m)
    body.forward_m.ramp_by(t0, t0 + down, -chair.back_m)
    body.set_sway(t0 + 0.5 * down, seated, chair.seat_sway_deg, SEATED_SWAY_M)
    u0 = seated + chair.sit_s
    u1 = u0 + up
    body.tilt_deg.ramp_to(u0, u0 + 0.45 * up, chair.lean_deg)
    body.tilt_deg.ramp_to(u0 + 0.45 * up, u1, 0.0)
    body.z_m.ramp_to(u0 + 0.3 * up, u1, 0.0)
    body.forward_m.ramp_by(u0, u1, chair.back_m)
    body.set_sway(u0, u1, body.rest_sway_deg, body.rest_sway_m)
    return Distractor("chair", _r(t0), _r(u1))
