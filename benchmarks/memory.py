"""Print the peak memory of `imuhold replay`, recovery, `imuhold export` and `imuhold evaluate` on long files (1 h and
10 h by default).

Usage: python benchmarks/memory.py [--hours 1 10] [--keep DIR] [--skip replay recovery export evaluate]

A recording of the simulated demo routine (imuhold-v1 raw frames, 100 Hz, gzip) is written for one hour; longer
ones tile it, each copy's device clock and sequence numbers carrying on from the one before, so the stream is one
continuous session. Each file is run, as its own process, through

- `imuhold replay FILE --fast --headless` (the replay path, unpaced, without the screen), and
- recovery: the file put in an empty data dir's `recordings/` as a session the database never heard of, then
  `imuhold history --text`, which adopts it by re-running the pipeline over the recording (`imuhold.recovery`);
- `imuhold export 1 --format csv` of the session recovery made (every sample, re-run through the pipeline; written
  to /dev/null), and `export-tilt`: the same without its recording file, which exports the stored 10 Hz tilt series;

- `imuhold evaluate FOLDER --json` on a folder holding one SisFall-format file as long (200 Hz raw 6-axis, made as
  benchmarks/analyze.py makes it: the simulated routine, tiled), evaluated as a SisFall trial;

and the process's wall time, CPU time and peak RSS are printed. The budget (ARCHITECTURE §8) is a peak that does not
grow with the recording's length, ≤ 300 MB for 10 h.

The files are made by a child process of their own: a process's peak RSS counts what it was forked from, so this
one stays small.
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RATE_HZ = 100.0
FRAME = 20  # imuhold-v1 frame: type, seq (u8), t_us (u32 LE), data


def make_hour(path: Path, seed: int = 1) -> int:
    """A one-hour recording of the simulated routine at ``path``; returns its packets."""
    from imuhold.recording import RecordingHeader, RecordingWriter
    from imuhold.sim.source import simulated_source

    source = simulated_source(seed, 3600.0)
    header = RecordingHeader(source.profile, source.rate_hz, extra={"session": _session_meta()})
    with RecordingWriter(path, header) as writer:
        for packet in source.packets:
            writer.write(packet)
    return len(source.packets)


def _session_meta() -> dict[str, str]:
    return {"started_utc": "2026-01-01T08:00:00.000Z", "sensor": "benchmark"}


def tile(source: Path, out: Path, times: int) -> int:
    """``out`` = ``source``'s packets ``times`` times over, host time, device time and sequence numbers carrying
    on; returns its packets."""
    from imuhold.model import Packet
    from imuhold.recording import RecordingWriter, iter_recording

    header, stream = iter_recording(source)
    with stream:
        packets = [item for item in stream if isinstance(item, Packet)]
    span_ns = packets[-1].t_host_ns - packets[0].t_host_ns + round(1e9 / RATE_HZ)
    frames = sum(len(p.payload) // FRAME for p in packets)
    with RecordingWriter(out, header) as writer:
        for k in range(times):
            shift_ns, shift_us, shift_seq = k * span_ns, k * span_ns // 1000, k * frames
            for packet in packets:
                payload = bytearray(packet.payload)
                for i in range(0, len(payload) - FRAME + 1, FRAME):
                    payload[i + 1] = (payload[i + 1] + shift_seq) % 256
                    t_us = int.from_bytes(payload[i + 2 : i + 6], "little")
                    payload[i + 2 : i + 6] = ((t_us + shift_us) % (1 << 32)).to_bytes(4, "little")
                writer.write(Packet(packet.t_host_ns + shift_ns, packet.characteristic, bytes(payload)))
    return len(packets) * times


def data_lines(path: Path) -> int:
    """Lines of ``path`` (gzip) that hold a packet or a sample: neither the header, nor a ``#`` line, nor blank."""
    count = 0
    with gzip.open(path, "rt", encoding="utf-8") as file:
        next(file, None)
        for line in file:
            count += bool(line.strip()) and not line.startswith("#")
    return count + (0 if path.name.endswith(".imuhold.gz") else 1)  # a SisFall file has no header line


def measure(
    args: list[str], env: dict[str, str] | None = None, keep_output: bool = True
) -> tuple[float, float, float, str]:
    """Wall seconds, CPU seconds and peak RSS (MB) of one `imuhold ARGS` process, and its output (its standard error
    only, when not ``keep_output``: standard output goes to /dev/null)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [str(Path(sys.executable).with_name("imuhold")), *args],
        stdout=subprocess.PIPE if keep_output else subprocess.DEVNULL,
        stderr=subprocess.STDOUT if keep_output else subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )
    pipe = proc.stdout if keep_output else proc.stderr
    out = pipe.read() if pipe else ""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"imuhold {' '.join(args)} failed:\n{out[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out


def replay(path: Path) -> tuple[float, float, float, str]:
    return measure(["replay", str(path), "--fast", "--headless"])


def recovery(path: Path, folder: Path) -> tuple[float, float, float, str]:
    """Recovery of ``path`` as an orphan recording in a fresh data dir."""
    data_dir = folder / "data"
    shutil.rmtree(data_dir, ignore_errors=True)
    (data_dir / "recordings").mkdir(parents=True)
    os.link(path, data_dir / "recordings" / path.name)
    env = {"IMUHOLD_CONFIG_DIR": str(folder / "config")}
    result = measure(["history", "--text", "--data-dir", str(data_dir)], env)
    if "recovered from" not in result[3]:
        raise SystemExit(f"recovery of {path} did not adopt it:\n{result[3][-2000:]}")
    return result


def export(path: Path, folder: Path, recording: bool = True) -> tuple[float, float, float, str]:
    """`imuhold export 1 --format csv` of the session recovery adopted from ``path`` (adopted now if need be); without
    ``recording``, of the same session with its recording file moved away (the stored tilt series is exported)."""
    data_dir = folder / "data"
    adopted = data_dir / "recordings" / path.name
    if not adopted.exists() or not adopted.samefile(path):
        recovery(path, folder)
    env = {"IMUHOLD_CONFIG_DIR": str(folder / "config")}
    if recording:
        return measure(["export", "1", "--format", "csv", "--data-dir", str(data_dir)], env, keep_output=False)
    aside = folder / f"{path.name}.aside"
    adopted.rename(aside)
    try:
        return measure(["export", "1", "--format", "csv", "--data-dir", str(data_dir)], env, keep_output=False)
    finally:
        aside.rename(adopted)


def evaluate(path: Path, folder: Path) -> tuple[float, float, float, str]:
    """`imuhold evaluate` of a folder holding only the SisFall-format file ``path``, as a D15 trial."""
    dataset = folder / "dataset"
    shutil.rmtree(dataset, ignore_errors=True)
    dataset.mkdir()
    os.link(path, dataset / "D15_SA01_R01.txt.gz")
    return measure(["evaluate", str(dataset), "--json"])


def sisfall_file(folder: Path, hours: int) -> Path:
    """A SisFall-format file of the simulated routine, ``hours`` long (an hour made once, then tiled)."""
    from analyze import make_file
    from analyze import tile as tile_text

    hour = folder / "routine-1h-200hz.txt.gz"
    if not hour.exists():
        make_file(hour, 60.0)
    if hours == 1:
        return hour
    path = folder / f"routine-{hours}h-200hz.txt.gz"
    if not path.exists():
        tile_text(hour, path, hours)
    return path


def long_file(folder: Path, hours: int) -> Path:
    return folder / ("routine-1h.imuhold.gz" if hours == 1 else f"routine-{hours}h.imuhold.gz")


def make_files(folder: Path, hours: list[int], evaluated: bool) -> None:
    """The recordings (and SisFall-format files) the runs need, made where missing."""
    hour = long_file(folder, 1)
    if not hour.exists():
        t0 = time.perf_counter()
        make_hour(hour)
        print(f"made {hour} in {time.perf_counter() - t0:.1f} s")
    for times in hours:
        if not long_file(folder, times).exists():
            tile(hour, long_file(folder, times), times)
        if evaluated:
            sisfall_file(folder, times)


RUNS = ("replay", "recovery", "export", "export-tilt", "evaluate")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, nargs="*", default=[1.0, 10.0])
    parser.add_argument("--keep", type=Path, default=None, help="make (or reuse) the files in this folder")
    parser.add_argument("--skip", nargs="*", default=[], choices=RUNS)
    parser.add_argument("--make-only", action="store_true", help=argparse.SUPPRESS)  # the child that makes the files
    args = parser.parse_args()
    hours = [max(1, round(h)) for h in args.hours]
    if args.make_only:
        make_files(args.keep, hours, "evaluate" not in args.skip)
        return
    folder = args.keep or Path(tempfile.mkdtemp(prefix="imuhold-memory-"))
    folder.mkdir(parents=True, exist_ok=True)
    child = [sys.executable, __file__, "--make-only", "--keep", str(folder), "--hours", *map(str, hours)]
    subprocess.run([*child, "--skip", *args.skip], check=True)
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} (shared: timings vary)")
    print("file                       packets     command     wall s   CPU s  peak RSS MB  (evaluate: samples)")
    for times in hours:
        path = long_file(folder, times)
        packets = data_lines(path)
        runs = (
            ("replay", replay),
            ("recovery", lambda p: recovery(p, folder)),
            ("export", lambda p: export(p, folder)),
            ("export-tilt", lambda p: export(p, folder, recording=False)),
        )
        for name, run in runs:
            if name not in args.skip:
                wall, cpu, peak_mb, _ = run(path)
                print(f"{path.name:25} {packets:>9,}  {name:11}{wall:7.1f} {cpu:7.1f} {peak_mb:9.0f}")
        if "evaluate" not in args.skip:
            path = sisfall_file(folder, times)
            wall, cpu, peak_mb, _ = evaluate(path, folder)
            print(f"{path.name:25} {data_lines(path):>9,}  {'evaluate':11}{wall:7.1f} {cpu:7.1f} {peak_mb:9.0f}")
    if args.keep is None:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
