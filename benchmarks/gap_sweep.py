"""Gaps cut out of simulated sessions at every position: how often a gap changes what the detector finds.

    python benchmarks/gap_sweep.py [--scenario routine:3 ...] [--gaps 0.5,2,5] [--step 2]

For each scenario and seed, the whole session is analysed, then again with the packets of [a, a + g) seconds
removed, for a from 3 s every ``--step`` seconds and each gap length g. A cut is counted wrong when the number of
squats or holds differs from the whole session's, or when more hold time is lost than the gap plus 1 s. Prints the
wrong cuts and one line per scenario; run it with ``PYTHONPATH`` on another checkout to compare detectors.
"""

from __future__ import annotations

import argparse

from imuhold import sim
from imuhold.model import Packet
from imuhold.pipeline import Analysis, Pipeline
from imuhold.protocol import get_profile


def counts(analysis: Analysis) -> tuple[int, int, float]:
    return len(analysis.squats), sum(len(s.holds) for s in analysis.squats), analysis.total_hold_s


def sweep(name: str, seed: int, gaps_s: list[float], step_s: float) -> tuple[int, int]:
    simulation = sim.simulate(sim.SCENARIOS[name](seed), seed)
    rate_hz = simulation.scenario.sensor.rate_hz
    t0 = simulation.packets[0].t_host_ns

    def analyse(packets: list[Packet]) -> tuple[int, int, float]:
        return counts(Pipeline(get_profile("imuhold-v1"), rate_hz).run(packets))

    whole = analyse(simulation.packets)
    end_s = float(simulation.t_s[-1])
    wrong = total = 0
    for gap_s in gaps_s:
        start_s = 3.0
        while start_s + gap_s < end_s - 3.0:
            cut = [p for p in simulation.packets if not start_s <= (p.t_host_ns - t0) / 1e9 < start_s + gap_s]
            found = analyse(cut)
            total += 1
            if found[:2] != whole[:2] or whole[2] - found[2] > gap_s + 1.0:
                wrong += 1
                print(f"  {name}:{seed} gap {start_s:6.1f} s + {gap_s:g} s: {found[0]} squats, {found[1]} holds, "
                      f"{found[2]:.1f} s held (whole: {whole[0]}, {whole[1]}, {whole[2]:.1f} s)")  # fmt: skip
            start_s += step_s
    print(f"{name}:{seed}: {wrong} of {total} cuts wrong")
    return wrong, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", action="append", default=None, help="NAME:SEED (repeatable)")
    parser.add_argument("--gaps", default="0.5,2,5", help="gap lengths in seconds, comma-separated")
    parser.add_argument("--step", type=float, default=2.0, help="seconds between gap starts")
    args = parser.parse_args()
    scenarios = args.scenario or ["routine:1", "routine:2", "routine:3", "distractors:1"]
    gaps_s = [float(g) for g in args.gaps.split(",")]
    wrong = total = 0
    for item in scenarios:
        name, seed = item.rsplit(":", 1)
        w, t = sweep(name, int(seed), gaps_s, args.step)
        wrong, total = wrong + w, total + t
    print(f"all: {wrong} of {total} cuts wrong")


if __name__ == "__main__":
    main()
