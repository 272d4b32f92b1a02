"""Benchmark: export a recorded 1-hour 100 Hz session as CSV, JSON and OpenSim .sto; seconds for each.

Run with ``.venv/bin/python benchmarks/store_export.py [--minutes 60]``. Prints seconds and sizes; asserts nothing.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from store_size import record_session

from imuhold.export import export_session
from imuhold.store import SessionStore


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=60.0)
    minutes = parser.parse_args().minutes
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        packets, _, _ = record_session(data_dir, minutes)
        print(f"session: {minutes:g} min at 100 Hz, {packets} packets")
        with SessionStore.open(data_dir) as store:
            info = store.resolve("last")
            for fmt in ("csv", "json", "sto"):
                out = data_dir / f"export.{fmt}"
                start = time.perf_counter()
                with out.open("w", encoding="utf-8", newline="") as file:
                    result = export_session(store, info, fmt, file, data_dir=data_dir, convention="opensim")
                elapsed = time.perf_counter() - start
                print(f"{fmt:4}  {elapsed:6.2f} s  {out.stat().st_size / 1e6:7.1f} MB  {result.rows} rows")


if __name__ == "__main__":
    main()
