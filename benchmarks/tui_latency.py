"""Print how long a notification takes to show its new state on a real (pseudo-)terminal: p50, p99, over at least
100 state changes.

What is timed: the app receives a packet from its source (the moment the source yields it to the feed, stamped
with CLOCK_MONOTONIC inside the app's process) and, for every packet that changes the detector's state, the time
until the terminal receives the bytes that draw the new state's banner (stamped with the same clock by this
process, which reads the pty). So it covers decoding, the pipeline, the message to the screen, the widget
update, Textual's compositor, the driver's writer thread and the pty. State changes superseded before a frame
could show them (two changes within one screen refresh) are counted, not timed.

The default source is the demo's simulated sensor (seed 2, its 30 ms connection events) on a 15-minute routine,
paced at 3x real time so that it takes 5 minutes: 135 state changes, every one at the pace of a sensor (paced, not
--fast, so that the screen is not behind the stream). ``--speed 1`` times it in real time (15 minutes);
``--recording FILE`` replays a recording instead.

Usage: python benchmarks/tui_latency.py [--speed 3] [--demo SECONDS | --recording FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from _terminal import PtyTerminal


def child(recording: Path | None, speed: float, demo_s: float, out: Path) -> None:
    """Runs inside the pty: the real app on the simulated sensor or a recording, stamping packet arrivals and state
    changes."""
    from imuhold.sim.source import simulated_source
    from imuhold.source import replay_source
    from imuhold.tui import make_app

    source = replay_source(recording, speed)[0] if recording else simulated_source(2, demo_s, speed)
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


def parent(recording: Path | None, speed: float, demo_s: float) -> None:
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
        argv = [sys.executable, __file__, "--child", str(out), "--speed", str(speed), "--demo", str(demo_s)]
        argv += ["--recording", str(recording)] if recording else []
        load_before = os.getloadavg()[0]
        terminal = PtyTerminal(argv, 80, 24, {"IMUHOLD_DATA_DIR": tmp, "IMUHOLD_CONFIG_DIR": tmp}, on_output)
        code = terminal.wait(timeout_s=(demo_s if not recording else 3600.0) / speed + 120.0)
        if code != 0 or not out.exists():
            raise SystemExit(f"the app exited with {code}")
        changes = [(state, t_ns) for state, t_ns in json.loads(out.read_text())]

    timed, superseded = [], 0
    for i, (state, t_ns) in enumerate(changes):
        # Drawn after it arrived and before the next change to the same state arrived; else never drawn.
        until_ns = next((t for s, t in changes[i + 1 :] if s == state), None)
        shown = [t for s, t in seen if s == state and t >= t_ns and (until_ns is None or t < until_ns)]
        if shown:
            timed.append(((shown[0] - t_ns) / 1e6, i, state))
        else:
            superseded += 1
    timed.sort()
    latencies_ms = [ms for ms, _, _ in timed]
    p50, p90, p95, p99 = (latencies_ms[round(q * (len(latencies_ms) - 1))] for q in (0.5, 0.9, 0.95, 0.99))
    name = f"recording {recording.name}" if recording else f"simulated routine of {demo_s:.0f} s (seed 2)"
    print(f"{name} at {speed:g}x real time, 80x24 pty; load average {load_before:.1f} before, "
          f"{os.getloadavg()[0]:.1f} after (other processes' CPU use stretches the tail)")
    print(f"state changes: {len(changes)}, timed {len(latencies_ms)}, superseded before shown {superseded}")
    print(f"notification -> state on screen: p50 {p50:.1f} ms, p90 {p90:.1f} ms, p95 {p95:.1f} ms, p99 {p99:.1f} ms, "
          f"max {latencies_ms[-1]:.1f} ms")
    slowest = ", ".join(f"{ms:.0f} ms (change {i + 1}, to {state})" for ms, i, state in reversed(timed[-3:]))
    print(f"slowest: {slowest}")
    print("budget: p99 <= 50 ms, timed over at least 100 state changes")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--speed", type=float, default=3.0, help="times real time")
    parser.add_argument("--demo", type=float, default=900.0, metavar="SECONDS", help="length of the simulated routine")
    parser.add_argument("--recording", type=Path, help="replay this recording instead of the simulated routine")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.recording, args.speed, args.demo, args.child)
    else:
        parent(args.recording, args.speed, args.demo)


if __name__ == "__main__":
    main()
