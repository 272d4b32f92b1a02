"""Named, seeded scenarios (the demo routine, the sample recordings' sessions) and the sensor they are worn on."""

from __future__ import annotations

import dataclasses
import itertools
import zlib
from collections.abc import Callable, Iterator

import numpy as np

from imuhold.protocol import imuhold_v1
from imuhold.sim import recipes
from imuhold.sim.activities import Activity, Stand
from imuhold.sim.errors import PROFILES, SensorErrors, draw_errors
from imuhold.sim.mounting import Mounting, draw_mounting, mount_at, parse_name
from imuhold.sim.sensor import SensorConfig
from imuhold.sim.simulation import MIN_FINAL_STAND_S, MIN_REST_S, Scenario

Block = tuple[Activity, float]
"""A movement and the standing rest after it (seconds)."""

FINAL_STAND_S = (3.0, 5.0)
CALIBRATION_S = (5.0, 6.0)


def _rng(seed: int, name: str) -> np.random.Generator:
    """Each scenario draws its own parameters from the seed, independent of the other scenarios."""
    return np.random.default_rng([seed, zlib.crc32(name.encode())])


def _u(rng: np.random.Generator, low: float, high: float) -> float:
    return round(float(rng.uniform(low, high)), 2)


def _scenario(
    rng: np.random.Generator,
    name: str,
    blocks: Iterator[Block],
    sensor: SensorConfig,
    description: str,
    duration_s: float | None = None,
) -> Scenario:
    """Calibration standing, then the blocks with their rests; the last rest becomes the final standing.

    With ``duration_s`` blocks are taken while they fit, and the final standing fills up to exactly that.
    """
    acts: list[Activity] = [recipes.stand(rng, _u(rng, *CALIBRATION_S), calm=True)]
    final_s = _u(rng, *FINAL_STAND_S)
    if duration_s is not None and duration_s < acts[0].duration_s + final_s:
        raise ValueError(f"duration_s {duration_s} is too short for calibration and a final standing")
    total_s = acts[0].duration_s
    for activity, rest_s in blocks:
        rest_s = max(rest_s, MIN_REST_S)
        if duration_s is not None and total_s + activity.duration_s + rest_s + final_s > duration_s:
            break
        acts += [activity, recipes.stand(rng, rest_s)]
        total_s += activity.duration_s + rest_s
    last = acts[-1]
    assert isinstance(last, Stand)
    if duration_s is not None:
        fill_s = duration_s - total_s
        acts[-1] = dataclasses.replace(last, duration_s=last.duration_s + fill_s)
    elif len(acts) > 1:
        acts[-1] = dataclasses.replace(last, duration_s=max(final_s, MIN_FINAL_STAND_S))
    else:
        acts.append(recipes.stand(rng, final_s))
    return Scenario(name, tuple(acts), sensor, description, heading_deg=_u(rng, 0.0, 360.0))


def _rest(rng: np.random.Generator, low: float = 6.0, high: float = 12.0) -> float:
    return _u(rng, low, high)


def _routine_blocks(rng: np.random.Generator) -> Iterator[Block]:
    count = int(rng.integers(4, 7))
    holds = np.clip(np.geomspace(5.0, 40.0, count) * rng.uniform(0.9, 1.1, count), 5.0, 40.0)
    styles = ["deep"] * count
    middle = rng.permutation(np.arange(1, count - 1)).tolist()
    styles[middle[0]] = "half"
    if count >= 5:
        styles[middle[1]] = "forward"
    stoop_after, walk_after = rng.choice(count - 1, size=2, replace=False).tolist()
    for k in range(count):
        holds_s: tuple[float, ...] = (float(holds[k]),)
        if k == count - 1 and rng.random() < 0.5:
            first = float(rng.uniform(0.4, 0.6)) * (holds_s[0] - 3.0)
            holds_s = (first, holds_s[0] - 3.0 - first)
        yield recipes.squat(rng, styles[k], holds_s), _rest(rng)
        if k == stoop_after:
            yield recipes.stoop(rng), _rest(rng, 4.0, 8.0)
        if k == walk_after:
            yield recipes.walk(rng, _u(rng, 5.0, 7.0), turn_deg=180.0), _rest(rng, 4.0, 8.0)


def _endless_blocks(rng: np.random.Generator) -> Iterator[Block]:
    for k in itertools.count():
        style = str(rng.choice(["deep", "deep", "deep", "half", "forward"]))
        total_s = float(rng.uniform(10.0, 40.0))
        holds_s = (total_s,) if rng.random() < 0.8 else (total_s / 2 - 1.5, total_s / 2 - 1.5)
        yield recipes.squat(rng, style, holds_s), _rest(rng, 8.0, 20.0)
        if k % 3 == 2:
            kind = int(rng.integers(3))
            if kind == 0:
                yield recipes.stoop(rng), _rest(rng, 4.0, 8.0)
            elif kind == 1:
                yield recipes.walk(rng, _u(rng, 5.0, 12.0), turn_deg=180.0), _rest(rng, 4.0, 8.0)
            else:
                yield recipes.chair(rng), _rest(rng, 4.0, 8.0)


def routine(seed: int, duration_s: float | None = None) -> Scenario:
    """The demo: calm standing, 4–6 squats of mixed styles with holds growing from 5 to 40 s, short rests,
    one stoop and one short walk in between, a belt-clip mount at a random roll, 100 Hz.

    With ``duration_s`` the session is cut or extended (more squats and distractors) to exactly that length.
    """
    rng = _rng(seed, "routine")
    blocks = _routine_blocks(rng)
    if duration_s is not None:
        blocks = itertools.chain(blocks, _endless_blocks(rng))
    sensor = SensorConfig(rate_hz=100.0, mount_wxyz=recipes.belt_mount(rng))
    return _scenario(rng, "routine", blocks, sensor, "demo routine: progressive holds, a stoop and a walk", duration_s)


def beginner_short_holds(seed: int) -> Scenario:
    rng = _rng(seed, "beginner-short-holds")
    blocks = ((recipes.squat(rng, "deep", (_u(rng, 5.0, 10.0),), calm=True), _rest(rng, 6.0, 10.0)) for _ in range(5))
    sensor = SensorConfig(rate_hz=50.0, mount_wxyz=recipes.belt_mount(rng))
    return _scenario(rng, "beginner-short-holds", blocks, sensor, "five calm deep squats, 5–10 s holds, 50 Hz")


def long_hold(seed: int) -> Scenario:
    rng = _rng(seed, "long-hold")
    hold_s = _u(rng, 60.0, 90.0)
    squat = recipes.squat(rng, "deep", ())
    bottom = (recipes.hold(rng, hold_s, wobbles=int(rng.integers(3, 5))),)
    squat = dataclasses.replace(squat, bottom=bottom)
    sensor = SensorConfig(rate_hz=100.0, mount_wxyz=recipes.belt_mount(rng))
    return _scenario(rng, "long-hold", iter([(squat, 0.0)]), sensor, "one 60–90 s deep hold with brief wobbles")


def split_hold(seed: int) -> Scenario:
    rng = _rng(seed, "split-hold")

    def squat(holds_s: tuple[float, ...]) -> Activity:
        bottom = []
        for i, hold_s in enumerate(holds_s):
            if i:
                bottom.append(recipes.shift(rng))
            bottom.append(recipes.hold(rng, hold_s, wobbles=1))
        return dataclasses.replace(recipes.squat(rng, "deep", ()), bottom=tuple(bottom))

    blocks = [
        (squat((_u(rng, 8.0, 14.0), _u(rng, 8.0, 14.0))), _rest(rng)),
        (squat((_u(rng, 7.0, 9.0), _u(rng, 7.0, 9.0), _u(rng, 7.0, 9.0))), 0.0),
    ]
    sensor = SensorConfig(rate_hz=100.0, mount_wxyz=recipes.belt_mount(rng))
    description = "holds split by long re-adjustments, with brief wobbles that do not split them"
    return _scenario(rng, "split-hold", iter(blocks), sensor, description)


def distractors(seed: int) -> Scenario:
    rng = _rng(seed, "distractors")
    blocks = [
        (recipes.stoop(rng), _rest(rng, 4.0, 8.0)),
        (recipes.squat(rng, "deep", (_u(rng, 8.0, 15.0),)), _rest(rng)),
        (recipes.walk(rng, _u(rng, 6.0, 10.0), turn_deg=180.0), _rest(rng, 4.0, 8.0)),
        (recipes.chair(rng, sit_s=(5.0, 15.0)), _rest(rng, 4.0, 8.0)),
        (recipes.squat(rng, str(rng.choice(["half", "forward"])), (_u(rng, 6.0, 12.0),)), _rest(rng)),
        (recipes.stoop(rng, pause_s=(0.0, 0.5)), 0.0),
    ]
    sensor = SensorConfig(rate_hz=100.0, mount_wxyz=recipes.belt_mount(rng))
    return _scenario(rng, "distractors", iter(blocks), sensor, "stoop, walk and chair sit around two squats")


def _three_squats(rng: np.random.Generator) -> Iterator[Block]:
    for style in ("deep", str(rng.choice(["half", "forward"])), "deep"):
        yield recipes.squat(rng, style, (_u(rng, 6.0, 15.0),)), _rest(rng)


def mount_any(seed: int) -> Scenario:
    rng = _rng(seed, "mount-any")
    blocks = itertools.chain(_three_squats(rng), [(recipes.stoop(rng), 0.0)])
    sensor = SensorConfig(rate_hz=100.0, frame_type="raw", mount_wxyz=recipes.strong_mount(rng))
    return _scenario(rng, "mount-any", blocks, sensor, "sensor upside down or sideways, raw gyro + acc frames")


def rate_25hz(seed: int) -> Scenario:
    rng = _rng(seed, "rate-25hz")
    sensor = SensorConfig(rate_hz=25.0, mount_wxyz=recipes.belt_mount(rng))
    return _scenario(rng, "rate-25hz", _three_squats(rng), sensor, "three squats at 25 Hz")


def rate_200hz(seed: int) -> Scenario:
    rng = _rng(seed, "rate-200hz")
    sensor = SensorConfig(rate_hz=200.0, mount_wxyz=recipes.belt_mount(rng))
    return _scenario(rng, "rate-200hz", _three_squats(rng), sensor, "three squats at 200 Hz")


def lossy(seed: int) -> Scenario:
    rng = _rng(seed, "lossy")
    sensor = SensorConfig(
        rate_hz=100.0,
        mount_wxyz=recipes.belt_mount(rng),
        latency_s=0.025,
        jitter_s=0.015,
        conn_interval_s=0.03,
        loss_p=0.03,
        burst_p=0.0014,
        burst_frames=(5, 25),
        t_us_start=imuhold_v1.T_US_WRAP - 20_000_000,
    )
    description = "5 % loss with bursts, jitter, connection-interval batching, device clock wraps at 20 s"
    return _scenario(rng, "lossy", _three_squats(rng), sensor, description)


def styles(seed: int) -> Scenario:
    rng = _rng(seed, "styles")
    blocks = [(recipes.squat(rng, style, (_u(rng, 6.0, 12.0),)), _rest(rng)) for style in ("deep", "half", "forward")]
    blocks.append((recipes.squat(rng, "deep", ()), 0.0))
    sensor = SensorConfig(rate_hz=100.0, mount_wxyz=recipes.belt_mount(rng))
    return _scenario(rng, "styles", iter(blocks), sensor, "deep, half and forward-leaning holds, then a bounce")


SCENARIOS: dict[str, Callable[[int], Scenario]] = {
    "routine": routine,
    "beginner-short-holds": beginner_short_holds,
    "long-hold": long_hold,
    "split-hold": split_hold,
    "distractors": distractors,
    "mount-any": mount_any,
    "rate-25hz": rate_25hz,
    "rate-200hz": rate_200hz,
    "lossy": lossy,
    "styles": styles,
}
"""Scenario name → builder(seed)."""


def on_sensor(
    scenario: Scenario,
    *,
    errors: SensorErrors | None = None,
    mounting: Mounting | None = None,
    frame_type: str | None = None,
) -> Scenario:
    """The same session on another sensor: these chip errors (they replace the simulator's small offsets), this
    mounting, this frame type; what is not given stays as it was."""
    config = scenario.sensor
    changes: dict = {}
    if errors is not None:
        changes.update(errors=errors, acc_bias_m_s2=0.0, gyr_bias_rad_s=0.0)
    if mounting is not None:
        changes.update(mounting=mounting, mount_wxyz=mounting.wxyz)
    if frame_type is not None:
        changes.update(frame_type=frame_type)
    if not changes:
        return scenario
    return dataclasses.replace(scenario, sensor=dataclasses.replace(config, **changes))


def with_sensor_errors(
    scenario: Scenario, seed: int, profile: str = "none", *, mount: str | None = None, frame_type: str | None = None
) -> Scenario:
    """The scenario on a sensor with a profile's errors (``PROFILES``) and a mounting, both drawn from the seed.

    ``mount`` PLACE-ATTITUDE fixes the mounting (``front-sideways``); without it a profile other than ``none``
    draws one (front, back or side; flat, upside down, sideways or twisted), and ``none`` keeps the scenario's.
    """
    if profile not in PROFILES:
        raise ValueError(f"unknown sensor-error profile {profile!r}; known: {', '.join(PROFILES)}")
    rng = _rng(seed, f"sensor-errors {scenario.name}")  # each scenario draws its own chip and mounting
    ranges = PROFILES[profile]
    errors = draw_errors(ranges, rng) if ranges is not None else None
    if mount is not None:
        fitted: Mounting | None = mount_at(rng, *parse_name(mount))
    else:
        fitted = draw_mounting(rng) if ranges is not None else None
    return on_sensor(scenario, errors=errors, mounting=fitted, frame_type=frame_type)
