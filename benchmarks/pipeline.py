"""Print offline throughput and streaming per-sample cost of the whole pipeline on a simulated 1-hour session.

Usage: python benchmarks/pipeline.py [--minutes 60] [--rate 100]

Streaming cost is printed as wall time per ``feed`` (mean, p50, p99, max) and as the loop's mean CPU time per
sample, which other processes on a shared machine do not inflate; the budgets are printed beside them. Then the
cost per notification with cold caches, as on the training screen, whose drawing between two notifications evicts
the pipeline from the CPU caches: ``process`` (the screen's entry) timed in CPU time, a 16 MB buffer written
before each notification.
"""

from __future__ import annotations

import argparse
import dataclasses
import resource
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from imuhold import sim
from imuhold.pipeline import Pipeline
from imuhold.protocol import get_profile
from imuhold.recording import read_recording
from imuhold.sim.export import write_simulation

BUDGET_MEAN_US, BUDGET_P99_US = 10.0, 30.0
"""Streaming cost budgets per sample (issue 13)."""
COLD_PACKETS = 30_000
"""Notifications timed with cold caches (the first five minutes at 100 Hz: calibration, squats and holds)."""
EVICT_BYTES = 16 << 20
"""Written before each of them: more than the L2 caches of a development machine hold."""


def session(minutes: float, rate_hz: float, frame_type: str) -> sim.Simulation:
    scenario = sim.routine(7, duration_s=minutes * 60.0)
    sensor = dataclasses.replace(scenario.sensor, rate_hz=rate_hz, frame_type=frame_type)
    return sim.simulate(dataclasses.replace(scenario, sensor=sensor), 7)


def batch(packets, rate_hz: float) -> tuple[float, int, int]:
    start = time.perf_counter()
    analysis = Pipeline(get_profile("imuhold-v1"), rate_hz).run(packets)
    return time.perf_counter() - start, analysis.samples, len(analysis.squats)


def streaming(packets, rate_hz: float) -> tuple[list[int], float]:
    """Wall nanoseconds of each ``feed``, and the CPU seconds of the whole loop (this thread only: on a shared
    machine other processes inflate wall times, not CPU time)."""
    pipeline = Pipeline(get_profile("imuhold-v1"), rate_hz)
    clock = time.perf_counter_ns
    costs = []
    cpu0 = time.thread_time()
    for packet in packets:
        t0 = clock()
        pipeline.feed(packet)
        costs.append(clock() - t0)
    cpu_s = time.thread_time() - cpu0
    pipeline.finish()
    return costs, cpu_s


def cold_streaming(packets, rate_hz: float) -> list[int]:
    """CPU nanoseconds of each ``process`` (what the training screen calls), the caches evicted before each."""
    pipeline = Pipeline(get_profile("imuhold-v1"), rate_hz)
    evict = np.ones(EVICT_BYTES // 8)
    clock = time.thread_time_ns
    costs = []
    for packet in packets[:COLD_PACKETS]:
        evict += 1.0
        t0 = clock()
        pipeline.process(packet)
        costs.append(clock() - t0)
    return costs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("--rate", type=float, default=100.0)
    args = parser.parse_args()
    for frame_type in ("quat", "raw"):
        t0 = time.perf_counter()
        simulation = session(args.minutes, args.rate, frame_type)
        packets = simulation.packets
        print(f"\n== {args.minutes:g} min at {args.rate:g} Hz, frame type {frame_type!r}: {len(packets):,} packets "
              f"(simulated in {time.perf_counter() - t0:.1f} s)")
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "session.imuhold"
            write_simulation(simulation, path)
            t0 = time.perf_counter()
            recording = read_recording(path)
            read_s = time.perf_counter() - t0
        run_s, samples, squats = min((batch(packets, args.rate) for _ in range(3)), key=lambda r: r[0])
        print(f"read recording (plain):      {read_s:6.2f} s  {len(recording.packets) / read_s:12,.0f} lines/s")
        print(f"batch pipeline.run:          {run_s:6.2f} s  {samples / run_s:12,.0f} samples/s  ({squats} squats)")
        print(f"read + run (analyze a file): {read_s + run_s:6.2f} s  {samples / (read_s + run_s):12,.0f} samples/s")
        costs, cpu_s = streaming(packets, args.rate)
        costs.sort()
        mean_us = statistics.fmean(costs) / 1000
        p50, p99 = costs[len(costs) // 2] / 1000, costs[int(len(costs) * 0.99)] / 1000
        print(f"streaming feed per sample:   mean {mean_us:5.1f} µs   p50 {p50:5.1f} µs   p99 {p99:5.1f} µs   "
              f"max {costs[-1] / 1000:7.1f} µs (wall)")
        print(f"                             mean {cpu_s / len(costs) * 1e6:5.1f} µs CPU   "
              f"(budget: mean ≤ {BUDGET_MEAN_US:g} µs, p99 ≤ {BUDGET_P99_US:g} µs)")
        cold = sorted(cold_streaming(packets, args.rate))
        print(f"cold caches, process:        mean {statistics.fmean(cold) / 1000:5.1f} µs   "
              f"p50 {cold[len(cold) // 2] / 1000:5.1f} µs   p90 {cold[int(len(cold) * 0.9)] / 1000:5.1f} µs CPU "
              f"per notification (first {min(len(packets), COLD_PACKETS):,})")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak RSS of this process: {peak_mb:.0f} MB (includes the simulator's arrays and packet lists)")


if __name__ == "__main__":
    main()
