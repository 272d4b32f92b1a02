"""Random activities within physiological ranges: squats of each style, holds with wobbles, distractors, mounts."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from imuhold.sim import quat
from imuhold.sim.activities import (
    WOBBLE_MARGIN_S,
    BottomPhase,
    BriefWobble,
    Chair,
    Hold,
    Pause,
    Shift,
    Squat,
    Stand,
    Stoop,
    Walk,
)

STYLE_RANGES = {
    # style: (pelvis drop m, anterior tilt at the bottom deg, pelvis backwards m)
    "deep": ((0.45, 0.60), (10.0, 30.0), (0.04, 0.10)),
    "half": ((0.25, 0.35), (15.0, 30.0), (0.06, 0.12)),
    "forward": ((0.35, 0.50), (35.0, 55.0), (0.12, 0.20)),
}
DESCENT_S = (1.0, 3.0)
ASCENT_S = (0.8, 2.5)
SECONDS_PER_WOBBLE = 15.0
"""On average one brief wobble per this much hold time (when wobbles are wanted)."""


def _u(rng: np.random.Generator, bounds: tuple[float, float], decimals: int = 2) -> float:
    return round(float(rng.uniform(*bounds)), decimals)


def stand(rng: np.random.Generator, duration_s: float, *, calm: bool = False) -> Stand:
    sway = (0.2, 0.3) if calm else (0.2, 0.5)
    return Stand(round(duration_s, 2), _u(rng, sway), _u(rng, (0.002, 0.004), 4))


def brief_wobbles(rng: np.random.Generator, hold_s: float, count: int) -> tuple[BriefWobble, ...]:
    """Up to ``count`` wobbles placed at random, each ≥ 3 s from the hold edges and from each other."""
    durations = [_u(rng, (0.3, 0.6)) for _ in range(count)]
    while durations:
        slack = hold_s - 2 * WOBBLE_MARGIN_S - sum(durations) - (len(durations) - 1) * WOBBLE_MARGIN_S
        if slack >= 0.0:
            break
        durations.pop()
    if not durations:
        return ()
    cuts = np.sort(rng.uniform(0.0, slack, len(durations)))
    gaps = np.diff(np.concatenate([[0.0], cuts]))
    wobbles = []
    at_s = WOBBLE_MARGIN_S
    for duration, gap in zip(durations, gaps.tolist(), strict=True):
        at_s += math.floor(gap * 100) / 100
        wobbles.append(BriefWobble(round(at_s, 2), duration, _u(rng, (4.0, 10.0), 1), _u(rng, (-180.0, 180.0), 0)))
        at_s = round(at_s, 2) + duration + WOBBLE_MARGIN_S
    return tuple(wobbles)


def hold(rng: np.random.Generator, duration_s: float, *, wobbles: int | None = None, calm: bool = False) -> Hold:
    """A hold; ``wobbles`` None draws about one brief wobble per 15 s (none when calm)."""
    duration_s = round(duration_s, 2)
    if wobbles is None:
        wobbles = 0 if calm else int(rng.poisson(duration_s / SECONDS_PER_WOBBLE))
    return Hold(
        duration_s=duration_s,
        sway_deg=_u(rng, (0.5, 0.7) if calm else (0.5, 1.5)),
        sway_m=_u(rng, (0.002, 0.005), 4),
        drift_deg=_u(rng, (-0.8, 0.8) if calm else (-1.8, 1.8)),
        wobbles=brief_wobbles(rng, duration_s, wobbles),
    )


def shift(rng: np.random.Generator) -> Shift:
    """A long re-adjustment (2.5–4 s at 12–20 °/s) that splits a hold."""
    return Shift(
        duration_s=_u(rng, (2.5, 4.0)),
        speed_deg_s=_u(rng, (12.0, 20.0), 1),
        freq_hz=_u(rng, (0.35, 0.6)),
        settle_deg=_u(rng, (-2.0, 2.0), 1),
        rise_m=_u(rng, (0.01, 0.03), 3),
    )


def squat(
    rng: np.random.Generator,
    style: str = "deep",
    holds_s: Sequence[float] = (),
    *,
    wobbles: bool = True,
    calm: bool = False,
) -> Squat:
    """A squat with these holds (split by re-adjustments); no holds means a bounce (0–1 s at the bottom)."""
    drop, tilt, back = STYLE_RANGES[style]
    bottom: list[BottomPhase] = []
    for i, hold_s in enumerate(holds_s):
        if i:
            bottom.append(shift(rng))
        bottom.append(hold(rng, hold_s, wobbles=None if wobbles else 0, calm=calm))
    if not bottom:
        bottom.append(Pause(_u(rng, (0.0, 1.0))))
    descent_s, ascent_s = _u(rng, DESCENT_S), _u(rng, ASCENT_S)
    return Squat(
        style=style,
        drop_m=_u(rng, drop, 3),
        tilt_deg=_u(rng, tilt, 1),
        descent_s=descent_s,
        ascent_s=ascent_s,
        bottom=tuple(bottom),
        lead_s=round(float(rng.uniform(0.0, 0.1)) * descent_s, 2),
        lag_s=round(float(rng.uniform(0.0, 0.1)) * ascent_s, 2),
        back_m=_u(rng, back, 3),
        obliquity_deg=_u(rng, (-2.0, 2.0), 1),
        yaw_deg=_u(rng, (-3.0, 3.0), 1),
    )


def stoop(rng: np.random.Generator, *, pause_s: tuple[float, float] = (0.0, 3.0)) -> Stoop:
    return Stoop(
        tilt_deg=_u(rng, (45.0, 75.0), 1),
        drop_m=_u(rng, (0.04, 0.10), 3),
        back_m=_u(rng, (0.05, 0.12), 3),
        down_s=_u(rng, (0.8, 1.5)),
        pause_s=_u(rng, pause_s),
        up_s=_u(rng, (0.8, 1.5)),
    )


def walk(rng: np.random.Generator, duration_s: float, *, turn_deg: float = 0.0) -> Walk:
    return Walk(
        duration_s=round(duration_s, 2),
        speed_m_s=_u(rng, (1.0, 1.2)),
        step_hz=_u(rng, (1.7, 1.9)),
        bob_m=_u(rng, (0.02, 0.03), 3),
        turn_deg=turn_deg,
    )


def chair(rng: np.random.Generator, *, sit_s: tuple[float, float] = (3.0, 20.0)) -> Chair:
    return Chair(
        drop_m=_u(rng, (0.38, 0.48), 3),
        lean_deg=_u(rng, (25.0, 35.0), 1),
        seat_tilt_deg=_u(rng, (-15.0, -5.0), 1),
        down_s=_u(rng, (1.2, 2.0)),
        sit_s=_u(rng, sit_s),
        up_s=_u(rng, (1.2, 2.0)),
        back_m=_u(rng, (0.15, 0.25), 3),
    )


def belt_mount(rng: np.random.Generator) -> tuple[float, float, float, float]:
    """A sensor clipped to a belt over the sacrum: its face outwards (backwards), any roll, ±10° off."""
    face_back = quat.from_rotvec(np.array([0.0, -math.pi / 2, 0.0]))
    roll = quat.about_z(rng.uniform(-math.pi, math.pi))
    misalign = quat.from_rotvec(rng.uniform(-1.0, 1.0, 3) * math.radians(10.0) / math.sqrt(3.0))
    return _tuple(quat.multiply(quat.multiply(face_back, roll), misalign))


def strong_mount(rng: np.random.Generator) -> tuple[float, float, float, float]:
    """Any orientation with the sensor's z axis horizontal or pointing down: upside down or sideways."""
    while True:
        q = quat.random_rotation(rng)
        if quat.rotate(q, np.array([0.0, 0.0, 1.0]))[2] <= 0.0:
            return _tuple(q)


def _tuple(q: np.ndarray) -> tuple[float, float, float, float]:
    q = q / np.linalg.norm(q)
    w, x, y, z = (round(float(c), 6) for c in q)
    return (w, x, y, z)
