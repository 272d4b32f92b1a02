"""Print the CPU use of the live training screen: `imuhold demo` (100 Hz) and `imuhold replay` of a 200 Hz routine,
each in real time on an 80x24 pseudo-terminal, measured from /proc/<pid>/stat over a window after start-up.

Usage: python benchmarks/tui_cpu.py [--seconds 60] [--warmup 5]
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
import time
from pathlib import Path

from _terminal import PtyTerminal, cpu_seconds, rss_mib

IMUHOLD = Path(sys.executable).with_name("imuhold")


def measure(argv: list[str], label: str, warmup_s: float, window_s: float, env: dict[str, str]) -> None:
    terminal = PtyTerminal(argv, 80, 24, env)
    try:
        time.sleep(warmup_s)  # start-up (imports, simulation, first layout) is not the steady state
        pid = terminal.proc.pid
        cpu0, rss0, t0, drawn0 = cpu_seconds(pid), rss_mib(pid), time.monotonic(), terminal.bytes_read
        time.sleep(window_s)
        cpu1, rss1, t1, drawn1 = cpu_seconds(pid), rss_mib(pid), time.monotonic(), terminal.bytes_read
        if terminal.proc.poll() is not None:
            raise SystemExit(f"{label}: the app exited early with {terminal.proc.returncode}")
        terminal.send(b"q")
        terminal.wait(timeout_s=10)
    finally:
        terminal.close()
    share = (cpu1 - cpu0) / (t1 - t0)
    drawn_kib_s = (drawn1 - drawn0) / (t1 - t0) / 1024
    print(
        f"{label:34} CPU {share:6.1%} of one core over {t1 - t0:.0f} s ({cpu1 - cpu0:.2f} s user+sys)   "
        f"RSS {rss0:.0f} -> {rss1:.0f} MiB   {drawn_kib_s:.0f} KiB/s drawn"
    )


def routine_200hz(path: Path, seconds: float) -> Path:
    from imuhold import sim
    from imuhold.sim.export import write_simulation

    scenario = sim.routine(1, duration_s=seconds)
    scenario = dataclasses.replace(scenario, sensor=dataclasses.replace(scenario.sensor, rate_hz=200.0))
    recording, _ = write_simulation(sim.simulate(scenario, 1), path)
    return recording


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="measurement window")
    parser.add_argument("--warmup", type=float, default=5.0)
    args = parser.parse_args()
    length_s = args.warmup + args.seconds + 20.0
    with tempfile.TemporaryDirectory() as tmp:
        env = {"IMUHOLD_DATA_DIR": tmp, "IMUHOLD_CONFIG_DIR": tmp}
        demo = [str(IMUHOLD), "demo", "--seconds", f"{length_s:.0f}"]
        measure(demo, "imuhold demo (100 Hz)", args.warmup, args.seconds, env)
        recording = routine_200hz(Path(tmp) / "routine-200hz.imuhold.gz", length_s)
        measure([str(IMUHOLD), "replay", str(recording)], "imuhold replay (200 Hz recording)", args.warmup,
                args.seconds, env)
    print("budget: <= 3 % of one core for the demo at 100 Hz (issue 13)")


if __name__ == "__main__":
    main()
