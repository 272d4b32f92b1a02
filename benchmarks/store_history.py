"""Benchmark: open ``imuhold history`` on 1,000 stored sessions; the query alone and the app until its table is full.

Run with ``.venv/bin/python benchmarks/store_history.py [--sessions 1000] [--tilt-minutes 10]``. Each generated
session has 6 holds and a 10 Hz tilt series of ``--tilt-minutes``. Prints seconds; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from imuhold.model import HoldMetrics, Squat
from imuhold.store import DB_NAME, SessionBatch, SessionStore, TiltPoint, daily_trend, suggest_from_store


def generate(store: SessionStore, sessions: int, tilt_minutes: float, seed: int = 1) -> None:
    rng = random.Random(seed)
    day0 = datetime(2024, 1, 1, 7, tzinfo=UTC)
    points = int(tilt_minutes * 600)
    for i in range(sessions):
        started = day0 + timedelta(days=i * 0.7, minutes=rng.randrange(600))
        sid = store.create_session(
            started_utc=started.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            sensor="IH-1", profile="imuhold-v1", rate_hz=100.0, counterweight_kg=rng.choice([None, 5.0, 8.0]),
            target_hold_s=min(60.0, 10.0 + i * 0.05),
        )  # fmt: skip
        holds = tuple(
            HoldMetrics(60.0 * k + 10, 60.0 * k + 10 + rng.uniform(5, 45), rng.gauss(12, 5), 1.0, 1.3, 0.5, -0.4)
            for k in range(6)
        )
        tilt = [
            TiltPoint(t / 10, 10 + 8 * math.sin(t / 300), 0.5, "holding" if t % 600 > 100 else "standing")
            for t in range(points)
        ]
        store.write(sid, SessionBatch(squats=[Squat(5.0, 400.0, -0.45, holds)], tilt=tilt,
                                      duration_s=points / 10, samples=points * 10))  # fmt: skip
        store.end_session(sid, "completed")


async def open_app(data_dir: Path) -> float:
    from textual.widgets import DataTable

    from imuhold.tui.history import make_history_app

    start = time.perf_counter()
    with SessionStore.open(data_dir) as store:
        app = make_history_app(store, 30.0)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            rows = app.screen.query_one("#sessions", DataTable).row_count
            elapsed = time.perf_counter() - start
            await pilot.press("enter")
            await pilot.pause()
    print(f"history app: {elapsed:.3f} s to show {rows} sessions (Textual headless, first paint)")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--tilt-minutes", type=float, default=10.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        start = time.perf_counter()
        with SessionStore.open(data_dir) as store:
            generate(store, args.sessions, args.tilt_minutes)
        size_mb = (data_dir / DB_NAME).stat().st_size / 1e6
        print(f"generated {args.sessions} sessions ({args.tilt_minutes:g} min of tilt each) in "
              f"{time.perf_counter() - start:.1f} s; database {size_mb:.0f} MB")  # fmt: skip
        start = time.perf_counter()
        with SessionStore.open(data_dir) as store:
            sessions = store.sessions()
            daily_trend(sessions)
            suggest_from_store(store, 30.0)
        print(f"open + sessions table + trend + next target (queries): {time.perf_counter() - start:.3f} s")
        with SessionStore.open(data_dir) as store:
            start = time.perf_counter()
            info = store.resolve("last")
            store.holds(info.id), store.tilt(info.id)
            print(f"one session's holds and tilt series: {time.perf_counter() - start:.3f} s")
        asyncio.run(open_app(data_dir))


if __name__ == "__main__":
    main()
