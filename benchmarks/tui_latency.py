"""Print how long a replayed notification takes to show its new state on a real (pseudo-)terminal: p50, p99.

What is timed: the app receives a packet from its source (the moment the source yields it to the feed, stamped
with CLOCK_MONOTONIC inside the app's process) and, for every packet that changes the detector's state, the time
until the terminal receives the bytes that draw the new state's banner (stamped with the same clock by this
process, which reads the pty). So it covers decoding, the pipeline, the message to the screen, the widget
update, Textual's compositor, the driver's writer thread and the pty. State changes superseded before a frame
could show them (two changes within one screen refresh) are counted, not timed.

Usage: python benchmarks/tui_latency.py [--speed 1] [--recording sample_recordings/routine.imuhold.gz | --demo SECONDS]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _terminal import PtyTerminal

ROOT = Path(__file__).resolve().parents[1]


def child(recording: Path, speed: float, demo_s: float | None, out: Path) -> None:
    """Runs inside the pty: the real app on a replayed recording, stamping packet arrivals and state changes."""
    from imuhold.sim.source import simulated_source
    from imuhold.source import replay_source
    from imuhold.tui import make_app

    source = simulated_source(2, demo_s, speed) if demo_s else replay_source(recording, speed)[0]
    changes: list[tuple[str, int]] = []
    arrival = {"ns": 0}

    class Stamped:
        profile, rate_hz, description = source.profile, source.rate_hz, source.description

        async def stream(self):
            async for item in source.stream():
                arrival["ns"] = time.monotonic_ns()
                yield item
            asyncio.get_running_loop().call_later(1.0, app.exit)

    app = make_app(Stamped(), stall_after_s=None)
    feed = app.session.feed

    def stamped_feed(packet):
        update = feed(packet)
        changes.extend((state.value, arrival["ns"]) for _, state in update.states)
        return update

    app.session.feed = stamped_feed
    app.run()
    out.write_text(json.dumps(changes))


def parent(recording: Path, speed: float, demo_s: float | None) -> None:
    seen: list[tuple[str, int]] = []
    tail = b""
    words = [w.encode() for w in ("calibrating · ", "standing · ", "descending · ", "holding · ", "ascending · ")]

    def on_output(data: bytes, t_ns: int) -> None:
        nonlocal tail
        text = tail + data
        for word in words:
            start = 0
            while (i := text.find(word, start)) >= 0:
                if i + len(word) > len(tail):  # not already counted in the previous chunk's tail
                    seen.append((word.decode().split(" ")[0], t_ns))
                start = i + 1
        tail = text[-32:]

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "changes.json"
        argv = [sys.executable, __file__, "--child", str(out), "--speed", str(speed), "--recording", str(recording)]
        argv += ["--demo", str(demo_s)] if demo_s else []
        terminal = PtyTerminal(argv, 80, 24, {"IMUHOLD_DATA_DIR": tmp, "IMUHOLD_CONFIG_DIR": tmp}, on_output)
        code = terminal.wait(timeout_s=600)
        if code != 0 or not out.exists():
            raise SystemExit(f"the app exited with {code}")
        changes = [(state, t_ns) for state, t_ns in json.loads(out.read_text())]

    latencies_ms, superseded = [], 0
    for i, (state, t_ns) in enumerate(changes):
        # Drawn after it arrived and before the next change to the same state arrived; else never drawn.
        until_ns = next((t for s, t in changes[i + 1 :] if s == state), None)
        shown = [t for s, t in seen if s == state and t >= t_ns and (until_ns is None or t < until_ns)]
        if shown:
            latencies_ms.append((shown[0] - t_ns) / 1e6)
        else:
            superseded += 1
    latencies_ms.sort()
    p50 = statistics.median(latencies_ms)
    p99 = latencies_ms[min(len(latencies_ms) - 1, round(0.99 * (len(latencies_ms) - 1)))]
    name = f"simulated routine of {demo_s:.0f} s (seed 2)" if demo_s else f"recording {recording.name}"
    print(f"{name} at {speed:g}x real time, 80x24 pty")
    print(f"state changes: {len(changes)}, timed {len(latencies_ms)}, superseded before shown {superseded}")
    print(f"notification -> state on screen: p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {latencies_ms[-1]:.1f} ms")
    print("budget: p99 <= 50 ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--speed", type=float, default=1.0)
    parser.add_argument("--recording", type=Path, default=ROOT / "sample_recordings" / "routine.imuhold.gz")
    parser.add_argument("--demo", type=float, metavar="SECONDS", help="a simulated routine instead of a recording")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.recording, args.speed, args.demo, args.child)
    else:
        parent(args.recording, args.speed, args.demo)


if __name__ == "__main__":
    main()
