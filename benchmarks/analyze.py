"""Print the whole-process speed and peak memory of `imuhold analyze` on long SisFall-format files.

Usage: python benchmarks/analyze.py [--minutes 30] [--repeat 3] [--long-hours 1 10] [--keep DIR] [--cache-bytecode]

A 200 Hz raw 6-axis file in SisFall's format (nine integer columns, gzip text) is made from the simulator's
routine (`sim.routine`, raw gyro + acc frames, in SisFall's units); longer files tile it. For each file it runs
`imuhold analyze FILE --json` as its own process and reports wall time, samples per second and the process's
peak RSS; beside the first file, the baseline on the same file: gzip read + numpy parse + VQF 6D batch (the filter
imuhold uses), and the ratio of the two throughputs. The budgets (docs: ARCHITECTURE §8) are ≥ 1,000,000 samples/s
whole process, ≥ 0.35× the baseline, and ≤ 300 MB peak for 1 h and 10 h.

Peak memory is measured first, the file made in a process of its own: on Linux a child's peak RSS counts what its
parent had resident when it was started, and the baseline holds a few hundred MB.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

RATE_HZ = 200.0
ACC_G_PER_LSB = 16.0 / 16384.0  # MMA8451Q, columns 7–9 (the importer's default accelerometer)
ADXL_G_PER_LSB = 32.0 / 8192.0  # ADXL345, columns 1–3
GYR_DEG_S_PER_LSB = 4000.0 / 65536.0
G = 9.80665


def make_file(path: Path, minutes: float, seed: int = 7) -> int:
    """A SisFall-format gzip file of the simulated routine; returns its number of samples."""
    from imuhold import sim

    scenario = sim.routine(seed, duration_s=minutes * 60.0)
    sensor = dataclasses.replace(scenario.sensor, rate_hz=RATE_HZ, frame_type="raw")
    simulation = sim.simulate(dataclasses.replace(scenario, sensor=sensor), seed)
    assert simulation.gyr_sent_rad_s is not None
    acc_g = simulation.acc_sent_m_s2 / G
    gyr = np.degrees(simulation.gyr_sent_rad_s) / GYR_DEG_S_PER_LSB
    columns = np.hstack((np.rint(acc_g / ADXL_G_PER_LSB), np.rint(gyr), np.rint(acc_g / ACC_G_PER_LSB)))
    lines = [",".join(f"{v:d}" for v in row) + ";" for row in columns.astype(np.int64).tolist()]
    with gzip.open(path, "wt", newline="\r\n", compresslevel=6) as f:
        f.write("\n".join(lines) + "\n")
    return len(lines)


def tile(source: Path, out: Path, times: int) -> None:
    """``out`` = ``source``'s samples ``times`` times over (gzip members concatenated)."""
    with open(out, "wb") as f:
        for _ in range(times):
            with open(source, "rb") as src:
                shutil.copyfileobj(src, f)


def baseline(path: Path) -> tuple[float, int]:
    """Seconds for gzip read + numpy parse of the nine columns + VQF 6D batch, and the samples."""
    from vqf import VQF

    t0 = time.perf_counter()
    with gzip.open(path, "rb") as f:
        data = f.read()
    values = np.array(data.replace(b";", b"").replace(b",", b" ").split(), dtype=np.int64).reshape(-1, 9)
    acc = np.ascontiguousarray(values[:, 6:9] * (ACC_G_PER_LSB * G), dtype=float)
    gyr = np.ascontiguousarray(np.radians(values[:, 3:6] * GYR_DEG_S_PER_LSB), dtype=float)
    VQF(1.0 / RATE_HZ).updateBatch(gyr, acc)
    return time.perf_counter() - t0, len(values)


def analyze(path: Path, env: dict[str, str] | None = None) -> tuple[float, float, float, str]:
    """Wall seconds, CPU seconds (user + system) and peak RSS (MB) of one `imuhold analyze FILE --json` process,
    and its output."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [str(Path(sys.executable).with_name("imuhold")), "analyze", str(path), "--json"],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    out = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"imuhold analyze {path} failed with status {proc.returncode}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--long-hours", type=float, nargs="*", default=[1.0, 10.0], help="tiled files for memory")
    parser.add_argument("--keep", type=Path, default=None, help="make (or reuse) the files in this folder")
    parser.add_argument("--cache-bytecode", action="store_true",
                        help="let the analyze processes cache compiled modules (in the folder), as an installed "
                             "package has them, even if PYTHONDONTWRITEBYTECODE is set")
    parser.add_argument("--make", type=Path, help=argparse.SUPPRESS)  # (in a child) make this file
    args = parser.parse_args()
    if args.make:
        print(make_file(args.make, args.minutes))
        return
    folder = args.keep or Path(tempfile.mkdtemp(prefix="imuhold-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    base = folder / f"routine-{args.minutes:g}min-200hz.txt.gz"
    if not base.exists():
        t0 = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--make", str(base), "--minutes", str(args.minutes)], check=True)
        print(f"made {base} in {time.perf_counter() - t0:.1f} s")
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} (shared: timings vary)")
    env = None
    if args.cache_bytecode:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
        print(f"compiled modules cached in {folder / 'pycache'} (the first run, for peak memory, compiles them)")
    elif os.environ.get("PYTHONDONTWRITEBYTECODE"):
        print("PYTHONDONTWRITEBYTECODE is set: every run compiles imuhold's modules (--cache-bytecode: as installed)")

    # Peak memory first, while this process is small (a child's peak RSS counts what its parent had resident when it
    # was started, and the baseline below holds a few hundred MB).
    _, _, peak_mb, out = analyze(base, env)
    samples = json.loads(out)["samples"]
    long_lines = []
    for hours in args.long_hours:
        times = max(1, round(hours * 60.0 / args.minutes))
        long_path = folder / f"routine-{times * args.minutes / 60:g}h-200hz.txt.gz"
        if not long_path.exists():
            tile(base, long_path, times)
        wall, cpu, long_peak_mb, long_out = analyze(long_path, env)
        n = json.loads(long_out)["samples"]
        long_lines.append(f"{long_path.name}: {n:,} samples in {wall:.1f} s wall, {cpu:.1f} s CPU ({n / cpu:,.0f} "
                          f"samples per CPU s), peak RSS {long_peak_mb:.0f} MB")

    walls, cpus, bases, base_cpus = [], [], [], []
    for _ in range(args.repeat):
        wall, cpu, _, out = analyze(base, env)
        walls.append(wall)
        cpus.append(cpu)
        c0 = time.process_time()
        base_s, samples = baseline(base)
        bases.append(base_s)
        base_cpus.append(time.process_time() - c0)
    squats = out.count('"entry_s"')
    print(f"\n{base.name}: {samples:,} samples, {squats} squats found")
    print("       analyze (whole process)          baseline (gzip + numpy parse + VQF batch)   ratio")
    print("run   wall s  samples/s  CPU s  per CPU s    wall s  samples/s  CPU s  per CPU s   wall  CPU")
    rows = [*zip(walls, cpus, bases, base_cpus, strict=True)]
    for label, (w, c, b, bc) in [*((f"{i:3d}", r) for i, r in enumerate(rows, 1)),
                                 ("med", tuple(statistics.median(col) for col in zip(*rows, strict=True)))]:
        print(f"{label}  {w:7.3f} {samples / w:10,.0f} {c:6.2f} {samples / c:10,.0f}   {b:7.3f} {samples / b:10,.0f} "
              f"{bc:6.2f} {samples / bc:10,.0f}   {b / w:4.2f} {bc / c:4.2f}")
    print(f"analyze peak RSS: {peak_mb:.0f} MB")
    for line in long_lines:
        print(line)
    if args.keep is None:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
