"""Benchmark: write and read a 1-hour 100 Hz recording (360,000 packets of 20 bytes), plain and gzip.

Run with ``.venv/bin/python benchmarks/recording_read.py``. Prints lines per second; asserts nothing.
"""

from __future__ import annotations

import os
import random
import tempfile
import time
from pathlib import Path

from imuhold.model import Packet
from imuhold.recording import RecordingHeader, RecordingWriter, iter_recording, read_recording

MOTION = "7a3c0002-4e1b-4d2f-9c6a-2f8e5b1d0c47"
RATE_HZ = 100.0
PACKETS = 360_000
REPEATS = 3


def make_packets(n: int, seed: int = 1) -> list[Packet]:
    rng = random.Random(seed)
    t0 = 1_700_000_000_000_000_000
    step_ns = int(1e9 / RATE_HZ)
    return [Packet(t0 + i * step_ns + rng.randrange(2_000_000), MOTION, rng.randbytes(20)) for i in range(n)]


def best_of(repeats: int, run) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    packets = make_packets(PACKETS)
    header = RecordingHeader("imuhold-v1", RATE_HZ, characteristics={"m": MOTION})
    print(f"{PACKETS:,} packets (1 h at {RATE_HZ:g} Hz), best of {REPEATS}")
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("bench.imuhold", "bench.imuhold.gz"):
            path = Path(tmp) / name

            def write(path: Path = path) -> None:
                with RecordingWriter(path, header, overwrite=True) as writer:
                    for packet in packets:
                        writer.write(packet)

            def read(path: Path = path) -> None:
                recording = read_recording(path)
                assert len(recording.packets) == PACKETS and not recording.warnings

            def stream(path: Path = path) -> None:
                _, items = iter_recording(path)
                with items:
                    for _ in items:
                        pass

            t_write = best_of(REPEATS, write)
            size_mb = os.path.getsize(path) / 1e6
            t_read = best_of(REPEATS, read)
            t_stream = best_of(REPEATS, stream)
            print(
                f"{name:18s} {size_mb:6.1f} MB   write {PACKETS / t_write:>11,.0f} lines/s   "
                f"read {PACKETS / t_read:>11,.0f} lines/s   stream {PACKETS / t_stream:>11,.0f} lines/s"
            )


if __name__ == "__main__":
    main()
