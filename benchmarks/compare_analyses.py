"""Compare two sets of `imuhold analyze --json` outputs: same squats and holds, event times within one sample.

    python benchmarks/compare_analyses.py BEFORE.jsonl AFTER.jsonl [--sample-s 0.005]

Prints every file whose squats, holds or event times differ (times further apart than one sample period, taken
from the file's duration and sample count unless --sample-s is given), metric differences above the printed
rounding, and a last line with the counts. Exit status 1 when any event differs.
"""

from __future__ import annotations

import argparse
import json
import sys

EVENT_KEYS = (("entry_s", "exit_s"), ("start_s", "end_s"))
METRICS = ("depth_m", "tilt_mean_deg", "tilt_sd_deg", "sway_rms_deg", "obliquity_mean_deg")


def _load(path: str) -> dict[str, dict]:
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return {row["file"]: row for row in rows}


def _period_s(row: dict, fixed: float | None) -> float:
    if fixed:
        return fixed
    return row["duration_s"] / max(1, row["samples"] - 1)


def compare(before: dict, after: dict, fixed_period: float | None) -> tuple[list[str], list[str]]:
    """(event differences, metric differences) as lines."""
    events: list[str] = []
    metrics: list[str] = []
    for name in sorted(set(before) | set(after)):
        a, b = before.get(name), after.get(name)
        if a is None or b is None:
            events.append(f"{name}: only {'after' if a is None else 'before'}")
            continue
        tol = _period_s(a, fixed_period) + 0.0051  # one sample, plus the 0.01 s rounding of the output
        if (a["samples"], a["calibrated_s"]) != (b["samples"], b["calibrated_s"]):
            was, now = (a["samples"], a["calibrated_s"]), (b["samples"], b["calibrated_s"])
            events.append(f"{name}: samples, calibrated_s {was} → {now}")
        if len(a["squats"]) != len(b["squats"]):
            events.append(f"{name}: {len(a['squats'])} squats → {len(b['squats'])}")
            continue
        for i, (sa, sb) in enumerate(zip(a["squats"], b["squats"], strict=True)):
            _times(events, f"{name} squat {i}", sa, sb, EVENT_KEYS[0], tol)
            _metrics(metrics, f"{name} squat {i}", sa, sb)
            if len(sa["holds"]) != len(sb["holds"]):
                events.append(f"{name} squat {i}: {len(sa['holds'])} holds → {len(sb['holds'])}")
                continue
            for j, (ha, hb) in enumerate(zip(sa["holds"], sb["holds"], strict=True)):
                _times(events, f"{name} squat {i} hold {j}", ha, hb, EVENT_KEYS[1], tol)
                _metrics(metrics, f"{name} squat {i} hold {j}", ha, hb)
    return events, metrics


def _times(out: list[str], where: str, a: dict, b: dict, keys: tuple[str, str], tol: float) -> None:
    for key in keys:
        if abs(a[key] - b[key]) > tol:
            out.append(f"{where}: {key} {a[key]} → {b[key]}")


def _metrics(out: list[str], where: str, a: dict, b: dict) -> None:
    for key in METRICS:
        if key in a and a[key] != b.get(key):
            out.append(f"{where}: {key} {a[key]} → {b.get(key)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--sample-s", type=float, default=None, help="sample period (default: from each file)")
    args = parser.parse_args()
    before, after = _load(args.before), _load(args.after)
    events, metrics = compare(before, after, args.sample_s)
    for line in events:
        print("EVENT ", line)
    for line in metrics:
        print("metric", line)
    identical = sum(1 for k in before if before[k] == after.get(k))
    print(f"{len(before)} files before, {len(after)} after: {identical} identical, "
          f"{len(events)} event differences (> 1 sample), {len(metrics)} metric differences (at output rounding)")
    sys.exit(1 if events else 0)


if __name__ == "__main__":
    main()
