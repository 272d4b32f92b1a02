"""The activities a simulated session is made of: frozen, validated descriptions with exact timing."""

from __future__ import annotations

from dataclasses import dataclass

STYLES = ("deep", "half", "forward")
WOBBLE_MARGIN_S = 3.0
"""Brief wobbles keep this far from hold edges and from each other, so every stable stretch is ≥ 3 s."""
MIN_HOLD_S = 3.0
MAX_PAUSE_S = 1.0
SHIFT_RAMP_S = 0.25
MIN_SHIFT_S = 2.0 + 2 * SHIFT_RAMP_S
"""A splitting re-adjustment moves at full speed for at least 2 s between its fade-in and fade-out."""


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


@dataclass(frozen=True, slots=True)
class Stand:
    """Quiet standing with postural sway (RMS degrees of tilt/obliquity, RMS metres vertically)."""

    duration_s: float
    sway_deg: float = 0.3
    sway_m: float = 0.002

    def __post_init__(self) -> None:
        _check(self.duration_s > 0.0, f"stand duration must be positive, got {self.duration_s}")
        _check(self.sway_deg >= 0.0 and self.sway_m >= 0.0, "sway must not be negative")


@dataclass(frozen=True, slots=True)
class BriefWobble:
    """A balance correction inside a hold: a smooth tilt/obliquity bump that does not end the hold.

    ``at_s`` is its onset in seconds after the hold start; ``direction_deg`` 0 is pure anterior tilt,
    90 pure obliquity.
    """

    at_s: float
    duration_s: float = 0.45
    amplitude_deg: float = 6.0
    direction_deg: float = 0.0

    def __post_init__(self) -> None:
        _check(0.2 <= self.duration_s <= 0.8, f"brief wobble lasts 0.2–0.8 s, got {self.duration_s}")
        _check(abs(self.amplitude_deg) <= 15.0, f"brief wobble amplitude too large: {self.amplitude_deg}")


@dataclass(frozen=True, slots=True)
class Hold:
    """A stable period at the bottom of a squat: sway, a slow tilt drift, and brief wobbles."""

    duration_s: float
    sway_deg: float = 1.0
    sway_m: float = 0.003
    drift_deg: float = 0.0
    wobbles: tuple[BriefWobble, ...] = ()

    def __post_init__(self) -> None:
        _check(self.duration_s >= MIN_HOLD_S, f"a hold lasts at least {MIN_HOLD_S} s, got {self.duration_s}")
        _check(abs(self.drift_deg) < 2.0, f"hold drift must stay below 2°, got {self.drift_deg}")
        _check(self.sway_deg >= 0.0 and self.sway_m >= 0.0, "sway must not be negative")
        edge_s = WOBBLE_MARGIN_S
        for wobble in sorted(self.wobbles, key=lambda w: w.at_s):
            _check(
                wobble.at_s >= edge_s - 1e-9
                and wobble.at_s + wobble.duration_s <= self.duration_s - WOBBLE_MARGIN_S + 1e-9,
                f"brief wobble at {wobble.at_s} s is too close to a hold edge or another wobble",
            )
            edge_s = wobble.at_s + wobble.duration_s + WOBBLE_MARGIN_S


@dataclass(frozen=True, slots=True)
class Shift:
    """A long re-adjustment at the bottom (weight shifting): clearly moving, it splits a hold in two.

    The pelvis circles in tilt/obliquity (off to one side) at ``speed_deg_s``, about ``freq_hz`` turns per
    second rounded to a whole number of turns, rises ``rise_m`` and settles, ending with the tilt changed by
    ``settle_deg``.
    """

    duration_s: float = 3.0
    speed_deg_s: float = 15.0
    freq_hz: float = 0.5
    settle_deg: float = 0.0
    rise_m: float = 0.02

    def __post_init__(self) -> None:
        _check(self.duration_s >= MIN_SHIFT_S, f"a re-adjustment lasts at least {MIN_SHIFT_S} s")
        _check(self.speed_deg_s >= 10.0, f"a re-adjustment moves at ≥ 10°/s, got {self.speed_deg_s}")
        _check(0.2 <= self.freq_hz <= 1.5, f"re-adjustment frequency out of range: {self.freq_hz}")


@dataclass(frozen=True, slots=True)
class Pause:
    """A short unstable bottom of 0–1 s (a bounce): not a hold."""

    duration_s: float = 0.0

    def __post_init__(self) -> None:
        _check(0.0 <= self.duration_s <= MAX_PAUSE_S, f"a bounce pause lasts 0–{MAX_PAUSE_S} s")


BottomPhase = Hold | Shift | Pause


@dataclass(frozen=True, slots=True)
class Squat:
    """One squat: minimum-jerk descent, a bottom phase, minimum-jerk ascent.

    ``bottom`` is either empty or one Pause (a bounce: no hold), or Hold (Shift Hold)*.
    The tilt starts ``lead_s`` before the drop on the way down; the drop ends ``lag_s`` before the tilt
    on the way up, so both move at entry/exit and both stop exactly at hold start / hold end.
    """

    style: str = "deep"
    drop_m: float = 0.52
    tilt_deg: float = 20.0
    descent_s: float = 2.0
    ascent_s: float = 1.5
    bottom: tuple[BottomPhase, ...] = ()
    lead_s: float = 0.1
    lag_s: float = 0.1
    back_m: float = 0.08
    obliquity_deg: float = 0.0
    yaw_deg: float = 0.0

    def __post_init__(self) -> None:
        _check(self.style in STYLES, f"unknown squat style {self.style!r}; expected one of {STYLES}")
        _check(0.0 < self.drop_m < 1.0, f"squat drop out of range: {self.drop_m}")
        _check(self.descent_s > 0.2 and self.ascent_s > 0.2, "descent and ascent must last more than 0.2 s")
        _check(0.0 <= self.lead_s <= self.descent_s / 2, "tilt lead must be within half the descent")
        _check(0.0 <= self.lag_s <= self.ascent_s / 2, "drop lag must be within half the ascent")
        phases = self.bottom
        if phases and isinstance(phases[0], Pause):
            _check(len(phases) == 1, "a bounce has a single pause at the bottom")
        elif phases:
            _check(
                all(isinstance(p, Hold) for p in phases[::2]) and all(isinstance(p, Shift) for p in phases[1::2]),
                "the bottom must alternate Hold, Shift, Hold, …",
            )
            _check(isinstance(phases[-1], Hold), "the bottom must end with a hold")

    @property
    def bottom_s(self) -> float:
        return sum(p.duration_s for p in self.bottom)

    @property
    def duration_s(self) -> float:
        return self.descent_s + self.bottom_s + self.ascent_s


@dataclass(frozen=True, slots=True)
class Stoop:
    """A hip hinge with straight knees (picking something up): big tilt, small drop; a distractor."""

    tilt_deg: float = 60.0
    drop_m: float = 0.07
    back_m: float = 0.08
    down_s: float = 1.2
    pause_s: float = 1.0
    up_s: float = 1.2

    def __post_init__(self) -> None:
        _check(self.down_s > 0.2 and self.up_s > 0.2 and self.pause_s >= 0.0, "bad stoop timing")

    @property
    def duration_s(self) -> float:
        return self.down_s + self.pause_s + self.up_s


@dataclass(frozen=True, slots=True)
class Walk:
    """Walking (a distractor): gait start and stop of ``ramp_s``, optional turn by ``turn_deg`` mid-way."""

    duration_s: float = 6.0
    speed_m_s: float = 1.1
    step_hz: float = 1.8
    bob_m: float = 0.025
    turn_deg: float = 0.0
    ramp_s: float = 1.0

    def __post_init__(self) -> None:
        _check(self.duration_s >= 2 * self.ramp_s + 1.0, "a walk needs time to start, walk and stop")
        _check(0.5 <= self.step_hz <= 3.0, f"step frequency out of range: {self.step_hz}")


@dataclass(frozen=True, slots=True)
class Chair:
    """Sitting down on a chair and standing up (a distractor): lean forward, sit back upright, supported."""

    drop_m: float = 0.43
    lean_deg: float = 30.0
    seat_tilt_deg: float = -10.0
    down_s: float = 1.6
    settle_s: float = 0.6
    sit_s: float = 8.0
    up_s: float = 1.6
    back_m: float = 0.2
    seat_sway_deg: float = 0.05

    def __post_init__(self) -> None:
        _check(self.down_s > 0.5 and self.up_s > 0.5 and self.settle_s > 0.1, "bad chair timing")
        _check(self.sit_s >= 0.0 and self.seat_tilt_deg <= 0.0, "the seat is upright or reclined, never leaning")

    @property
    def duration_s(self) -> float:
        return self.down_s + self.settle_s + self.sit_s + self.up_s


Activity = Stand | Squat | Stoop | Walk | Chair
