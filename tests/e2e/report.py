"""Merges the host's timings and the guest's results into OUT/results.json and prints a summary (OUT/summary.txt).

Usage: python report.py OUT   (OUT as written by e2e.sh: timings.txt, share/console.log, share/out/results.json)
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

CONSOLE_MARKS = {
    "init_s": "imuhold-e2e: init started",
    "stack_ready_s": "imuhold-e2e: dbus and bluetoothd started",
    "scenarios_done_s": "imuhold-e2e: scenarios done",
}
COLUMNS = (
    ("scenario", "name", "{}"),
    ("result", "status", "{}"),
    ("wall s", "wall_s", "{:.0f}"),
    ("sent", "packets_sent", "{}"),
    ("received", "packets_received", "{}"),
    ("lost", "packets_lost", "{}"),
    ("dup", "packets_unmatched", "{}"),
    ("p50 ms", "latency_p50_ms", "{:.1f}"),
    ("p99 ms", "latency_p99_ms", "{:.1f}"),
    ("rx Hz", "rx_rate_hz", "{:.1f}"),
    ("reconnect s", "imuhold_reconnect_s", "{}"),
)


def console_times(console: Path) -> dict[str, float]:
    """Seconds since qemu started at which the guest init said what it was doing (stamped by stamp.py)."""
    times: dict[str, float] = {}
    text = console.read_text(errors="replace") if console.exists() else ""
    for key, words in CONSOLE_MARKS.items():
        found = re.search(rf"^\s*([\d.]+) {re.escape(words)}", text, re.MULTILINE)
        if found:
            times[key] = float(found.group(1))
    return times


def timings(path: Path) -> dict[str, float | str]:
    found: dict[str, float | str] = {}
    for line in path.read_text().splitlines() if path.exists() else []:
        name, value = line.split()
        found[name] = value if value == "cached" else float(value)
    return found


def cell(row: dict, key: str, pattern: str) -> str:
    value = row.get(key)
    if value is None or value == []:
        return "-"
    if isinstance(value, list):
        return ",".join(f"{v:.2f}" for v in value)
    return pattern.format(value)


def summary(report: dict) -> list[str]:
    build, boot = report["build"], report["boot"]
    built = ", ".join(f"{k} {v if v == 'cached' else f'{v:.0f} s'}" for k, v in build.items())
    lines = [
        f"e2e: {report['accel'].upper()}; build: {built}",
        f"boot: guest init at {boot.get('init_s', '?')} s, D-Bus + BlueZ up at {boot.get('stack_ready_s', '?')} s;"
        f" VM wall {report.get('vm_wall_s', '?')} s",
    ]
    rows = [[title for title, _, _ in COLUMNS]]
    rows += [[cell(s, key, pattern) for _, key, pattern in COLUMNS] for s in report["scenarios"]]
    widths = [max(len(r[i]) for r in rows) for i in range(len(COLUMNS))]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    for s in report["scenarios"]:
        lines += [f"{s['name']}: FAIL {f}" for f in s["failures"]]
    lines.append(drops_line(report["scenarios"]))
    passed = sum(s["status"] == "passed" for s in report["scenarios"])
    lines.append(f"e2e: {passed} passed, {len(report['scenarios']) - passed} failed (each played once: no retry)")
    return lines


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile (0–1) of ``values``, interpolated linearly between the closest ranks."""
    ordered = sorted(values)
    rank = q * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def drops_line(scenarios: list[dict]) -> str:
    """Every drop of the run: reconnect times (p50, p99), notifications lost per drop, duplicates."""
    reconnects = [t for s in scenarios for t in s.get("imuhold_reconnect_s", [])]
    drops = sum(s.get("imuhold_drops", 0) for s in scenarios if "packets_lost_per_drop" in s)
    lost = sum(s.get("packets_lost", 0) for s in scenarios if "packets_lost_per_drop" in s)
    duplicates = sum(s.get("imuhold_duplicates", 0) + s.get("packets_unmatched", 0) for s in scenarios)
    times = f"p50 {percentile(reconnects, 0.5):.2f} s, p99 {percentile(reconnects, 0.99):.2f} s" if reconnects else "-"
    per_drop = f"{lost / drops:.1f}" if drops else "-"
    return (
        f"drops: {len(reconnects)} reconnects, {times}; notifications lost per drop {per_drop}"
        f" ({lost} over {drops} drops); duplicates {duplicates}"
    )


def main(out: Path) -> None:
    times = timings(out / "timings.txt")
    guest = out / "share" / "out" / "results.json"
    accel = out / "share" / "accel"
    report = {
        "accel": accel.read_text().strip() if accel.exists() else "?",
        "build": {k: v for k, v in times.items() if k not in ("vm",)},
        "vm_wall_s": times.get("vm"),
        "boot": console_times(out / "share" / "console.log"),
        "scenarios": json.loads(guest.read_text())["scenarios"] if guest.exists() else [],
    }
    (out / "results.json").write_text(json.dumps(report, indent=2))
    lines = summary(report)
    (out / "summary.txt").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
