"""Print, as a markdown table, how squat detection on the simulator degrades with gyro and accelerometer offsets,
the mounting and the sample rate, one factor at a time (docs/evaluation.md, "Sensitivity").

    python benchmarks/sensitivity.py [--jobs N] [--quick] [--seeds N] [--scenarios a,b,c] [--stand-s S]

Every cell runs the same sessions (scenarios × seeds) through `imuhold.sim` and scores them with
`imuhold.evaluation.labelled.evaluate_labelled`, like `imuhold evaluate` on labelled recordings. The baseline is a
sensor with no chip errors (the simulator's own noise only) strapped flat on the back of the belt, sending raw
gyro + acceleration at 100 Hz (the host's VQF estimates the orientation); each row changes one thing.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import subprocess
import sys
import tempfile
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from imuhold import sim
from imuhold.evaluation.events import EventScore
from imuhold.evaluation.labelled import evaluate_labelled
from imuhold.evaluation.runner import map_files
from imuhold.sim.errors import MG_M_S2
from imuhold.sim.export import write_simulation

GYRO_OFFSETS_DPS = (0.0, 1.0, 2.0, 3.0, 5.0)
ACC_OFFSETS_MG = (0.0, 25.0, 50.0, 80.0)
RATES_HZ = (25.0, 50.0, 100.0, 200.0)
MOUNT_PLACES = ("back", "front", "side")
GYRO_DRIFTS_DPS = (0.5, 1.5)
DRIFT_TAU_S = 120.0
CLOCK_ERRORS = (-0.01, 0.01)
STAMP_JITTERS_S = (0.002,)
BASE_RATE_HZ = 100.0
SCENARIOS = ("routine", "distractors", "styles")
"""Sessions with squats of every style and with stoops, walks and a chair sit between them."""


@dataclass(frozen=True)
class Cell:
    """One row of the table: a factor, its value, and the sensor that gives it."""

    factor: str
    value: str
    gyro_dps: float = 0.0
    drift_dps: float = 0.0
    acc_mg: float = 0.0
    rate_hz: float = BASE_RATE_HZ
    clock_error: float = 0.0
    jitter_s: float = 0.0
    place: str = "back"
    attitude: str = "flat"
    profile: str | None = None

    @property
    def key(self) -> tuple:
        return dataclasses.astuple(self)[2:]


def cells() -> list[Cell]:
    rows = [Cell("gyro offset", f"{g:g} °/s", gyro_dps=g) for g in GYRO_OFFSETS_DPS]
    rows += [Cell("acc offset", f"{a:g} mg", acc_mg=a) for a in ACC_OFFSETS_MG]
    rows += [Cell("sample rate", f"{r:g} Hz", rate_hz=r) for r in RATES_HZ]
    rows += [Cell("gyro warm-up drift", f"{d:g} °/s", drift_dps=d) for d in GYRO_DRIFTS_DPS]
    rows += [Cell("sample-clock error", f"{e * 100:+g} %", clock_error=e) for e in CLOCK_ERRORS]
    rows += [Cell("time-stamp delay", f"0–{j * 1000:g} ms", jitter_s=j) for j in STAMP_JITTERS_S]
    rows += [Cell("mounting", f"{p} {a}", place=p, attitude=a) for p in MOUNT_PLACES for a in sim.ATTITUDES]
    rows += [Cell("all errors drawn", f"{p} (docs/simulator.md)", profile=p) for p in ("typical", "harsh")]
    return rows


def _direction(rng: np.random.Generator) -> np.ndarray:
    v = rng.normal(size=3)
    return v / np.linalg.norm(v)


def _vector(values: np.ndarray) -> tuple[float, float, float]:
    x, y, z = (float(v) for v in values)
    return (x, y, z)


def scenario_for(cell: Cell, name: str, seed: int) -> sim.Scenario:
    """The scenario on this cell's sensor; offsets point in a direction drawn from the seed (same for every row)."""
    base = sim.SCENARIOS[name](seed)
    if cell.profile is not None:
        return sim.with_sensor_errors(base, seed, cell.profile, frame_type="raw")
    rng = np.random.default_rng([seed, zlib.crc32(name.encode())])
    gyro = _direction(rng) * math.radians(cell.gyro_dps)
    acc = _direction(rng) * cell.acc_mg * MG_M_S2
    drift = _direction(rng) * math.radians(cell.drift_dps)
    place = cell.place if cell.place != "side" else ("left", "right")[seed % 2]
    errors = sim.SensorErrors(
        gyr_offset_rad_s=_vector(gyro),
        gyr_drift_rad_s=_vector(drift),
        gyr_drift_tau_s=DRIFT_TAU_S,
        acc_offset_m_s2=_vector(acc),
        rate_error=cell.clock_error,
        stamp_jitter_s=cell.jitter_s,
    )
    scenario = sim.on_sensor(base, errors=errors, mounting=sim.mount_at(rng, place, cell.attitude), frame_type="raw")
    return dataclasses.replace(scenario, sensor=dataclasses.replace(scenario.sensor, rate_hz=cell.rate_hz))


def run_one(job: tuple[Cell, str, int, float | None]) -> tuple[tuple, EventScore, float]:
    """Simulate one session (its opening stand ``stand_s`` long when given), write it as a labelled recording and
    score it as `imuhold evaluate` would."""
    cell, name, seed, stand_s = job
    scenario = scenario_for(cell, name, seed)
    if stand_s is not None:
        first = dataclasses.replace(scenario.activities[0], duration_s=stand_s)
        scenario = dataclasses.replace(scenario, activities=(first, *scenario.activities[1:]))
    simulation = sim.simulate(scenario, seed)
    with tempfile.TemporaryDirectory() as tmp:
        path, _ = write_simulation(simulation, Path(tmp) / f"{name}-{seed}.imuhold")
        score, _ = evaluate_labelled([path])
    return cell.key, score, float(simulation.metadata["duration_s"])


@dataclass
class Tally:
    squats: int = 0
    found: int = 0
    false: int = 0
    minutes: float = 0.0
    sessions: int = 0
    sessions_without_squat: int = 0
    stoops: int = 0
    stoops_called: int = 0
    walks: int = 0
    walks_called: int = 0

    def add(self, score: EventScore, duration_s: float) -> None:
        self.squats += score.squats_true
        self.found += score.squats_true - score.squats_missed
        self.false += score.squats_false
        self.minutes += duration_s / 60.0
        self.sessions += 1
        self.sessions_without_squat += score.squats_true > 0 and score.squats_missed == score.squats_true
        self.stoops += score.negatives.get("stoop", 0)
        self.stoops_called += score.negatives_called_squat.get("stoop", 0)
        self.walks += score.negatives.get("walk", 0)
        self.walks_called += score.negatives_called_squat.get("walk", 0)


def table(rows: list[Cell], tallies: dict[tuple, Tally]) -> list[str]:
    lines = [
        "| factor | value | squat recall | false squats / min | stoops called squats | walks called squats "
        "| sessions with no squat found |",
        "|---|---|---|---|---|---|---|",
    ]
    for cell in rows:
        t = tallies[cell.key]
        lines.append(
            f"| {cell.factor} | {cell.value} | {t.found / t.squats:.3f} ({t.found}/{t.squats}) "
            f"| {t.false / t.minutes:.2f} | {t.stoops_called}/{t.stoops} | {t.walks_called}/{t.walks} "
            f"| {t.sessions_without_squat}/{t.sessions} |"
        )
    return lines


def _commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return "unknown commit"
    return out.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=1, help="worker processes")
    parser.add_argument("--quick", action="store_true", help="2 seeds per cell instead of --seeds")
    parser.add_argument("--seeds", type=int, default=6, help="seeds per scenario and cell (default 6)")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS), help="comma-separated scenario names")
    parser.add_argument("--stand-s", type=float, default=None, metavar="S",
                        help="open every session with S s of standing (default: the scenario's 5–6 s; 2 is the least)")
    args = parser.parse_args()
    names = [n.strip() for n in args.scenarios.split(",") if n.strip()]
    unknown = [n for n in names if n not in sim.SCENARIOS]
    if unknown:
        sys.exit(f"sensitivity: unknown scenario(s) {', '.join(unknown)}; known: {', '.join(sorted(sim.SCENARIOS))}")
    seeds = range(101, 101 + (2 if args.quick else args.seeds))  # held out: the sample recordings use seed 1
    rows = cells()
    unique = list({cell.key: cell for cell in rows}.values())
    jobs = [(cell, name, seed, args.stand_s) for cell in unique for name in names for seed in seeds]
    t0 = time.perf_counter()
    tallies = {cell.key: Tally() for cell in unique}
    for key, score, duration_s in map_files(run_one, jobs, jobs=args.jobs):
        tallies[key].add(score, duration_s)
    elapsed = time.perf_counter() - t0
    minutes = sum(t.minutes for t in tallies.values())
    print("\n".join(table(rows, tallies)))
    print(
        f"\n{len(jobs)} sessions ({minutes:.0f} min simulated): scenarios {', '.join(names)}, seeds "
        f"{seeds.start}–{seeds.stop - 1}"
        + ("" if args.stand_s is None else f", opening stand {args.stand_s:g} s")
        + f"; {elapsed:.0f} s with {args.jobs} job(s), at {_commit()}"
    )


if __name__ == "__main__":
    main()
