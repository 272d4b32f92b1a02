"""Benchmark: record a simulated 1-hour 100 Hz session through the real recorder; database and file size per hour.

Run with ``.venv/bin/python benchmarks/store_size.py [--minutes 60]``. Prints sizes and the recorder's cost per
packet (on top of the pipeline); asserts nothing.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from imuhold.pipeline import Pipeline
from imuhold.protocol import get_profile
from imuhold.sim.source import simulated_source
from imuhold.store import DB_NAME, SessionRecorder, SessionSetup


def record_session(data_dir: Path, minutes: float = 60.0, seed: int = 1) -> tuple[int, float, float]:
    """Record a simulated session; returns (packets, seconds with the recorder, seconds of the pipeline alone)."""
    source = simulated_source(seed, minutes * 60.0)
    packets = source.packets
    setup = SessionSetup(source.profile, source.rate_hz, source.description, 8.0, 30.0)
    pipeline = Pipeline(get_profile(source.profile), source.rate_hz)
    start = time.perf_counter()
    recorder = SessionRecorder.start(data_dir, setup)
    for packet in packets:
        recorder.on_packet(packet)
        recorder.on_events(pipeline.feed(packet), pipeline)
    recorder.on_events(pipeline.finish(), pipeline)
    recorder.close()
    with_recorder_s = time.perf_counter() - start
    bare = Pipeline(get_profile(source.profile), source.rate_hz)
    start = time.perf_counter()
    for packet in packets:
        bare.feed(packet)
    bare.finish()
    return len(packets), with_recorder_s, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=60.0)
    minutes = parser.parse_args().minutes
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        packets, recorded_s, bare_s = record_session(data_dir, minutes)
        db_mb = (data_dir / DB_NAME).stat().st_size / 1e6
        file_mb = sum(p.stat().st_size for p in (data_dir / "recordings").iterdir()) / 1e6
    per_hour = 60.0 / minutes
    print(f"session: {minutes:g} min at 100 Hz, {packets} packets")
    print(f"database:       {db_mb:7.2f} MB  -> {db_mb * per_hour:6.2f} MB per hour (10 Hz tilt, events, holds)")
    print(f"recording file: {file_mb:7.2f} MB  -> {file_mb * per_hour:6.2f} MB per hour (raw packets, gzip)")
    print(f"recorder cost:  {(recorded_s - bare_s) / packets * 1e6:7.2f} µs per packet on top of the pipeline "
          f"({recorded_s:.1f} s with, {bare_s:.1f} s without)")  # fmt: skip


if __name__ == "__main__":
    main()
