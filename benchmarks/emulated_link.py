"""Benchmark: every emulated sensor streaming through the real link over bumble's in-process radio.

Run with ``.venv/bin/python benchmarks/emulated_link.py [--seconds 60] [--profiles a,b]``. Each profile streams the
demo routine at its own rate in real time for ``--seconds``; halfway the sensor drops the connection and the link
reconnects. Prints, per profile: notifications sent/received/lost, frames sent/decoded, decode errors, lost frames
the decoder inferred, the reconnect time (drop → streaming again) and the gap in the samples. Asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import logging
import time

from imuhold.ble.link import SensorLink
from imuhold.protocol import get_profile
from imuhold.sim.emulate import EMULATORS, routine_track
from imuhold.sim.emulate.world import RadioWorld
from imuhold.source import LinkStatus


async def measure(profile: str, seconds: float, track) -> dict[str, object]:
    world = RadioWorld()
    sensor = EMULATORS[profile](track)
    address = await world.add_sensor(sensor)
    link = SensorLink(address, profile, await world.central())
    decoder = get_profile(profile).decoder()
    samples = []
    dropped_at = back_at = None
    start = time.monotonic()
    stream = link.stream()
    async for item in stream:
        now = time.monotonic()
        if isinstance(item, LinkStatus):
            if item.connected and dropped_at is not None and back_at is None:
                back_at = now
        else:
            samples.extend(decoder.feed(item))
        if dropped_at is None and now - start > seconds / 2:
            dropped_at = now
            await sensor.force_disconnect()
        if now - start > seconds:
            break
    await stream.aclose()  # the stop sequence: the sensor stops sending
    await asyncio.sleep(0.2)  # notifications in flight
    received = link.stats.packets + link.pending_packets()
    await sensor.stop()
    times = [s.t_s for s in samples]
    gap_s = max((b - a for a, b in itertools.pairwise(times)), default=0.0)
    return {
        "profile": profile,
        "rate_hz": sensor.rate_hz,
        "sent": sensor.stats.notifications,
        "received": received,
        "frames_sent": sensor.stats.frames,
        "samples": len(samples),
        "bad": decoder.stats.bad_frames,
        "inferred_lost": decoder.stats.lost_frames,
        "reconnect_ms": 1000 * link.stats.reconnect_s[0] if link.stats.reconnect_s else float("nan"),
        "largest_sample_gap_ms": 1000 * gap_s,
        "overflow": link.stats.overflow,
    }


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--profiles", default=",".join(sorted(EMULATORS)))
    args = parser.parse_args()
    logging.getLogger("bumble").setLevel(logging.ERROR)
    track = routine_track(1)
    rows = []
    for profile in args.profiles.split(","):
        rows.append(await measure(profile, args.seconds, track))
    print(f"emulated sensors over bumble's in-process link, {args.seconds:g} s each, one forced drop halfway")
    head = (
        "profile",
        "Hz",
        "notif sent",
        "received",
        "lost",
        "frames",
        "decoded",
        "bad",
        "inferred lost",
        "reconnect ms",
        "max gap ms",
        "overflow",
    )
    print(" | ".join(head))
    for r in rows:
        print(
            f"{r['profile']} | {r['rate_hz']:g} | {r['sent']} | {r['received']} | {r['sent'] - r['received']} | "
            f"{r['frames_sent']} | {r['samples']} | {r['bad']} | {r['inferred_lost']} | "
            f"{r['reconnect_ms']:.1f} | {r['largest_sample_gap_ms']:.0f} | {r['overflow']}"
        )


if __name__ == "__main__":
    asyncio.run(main())
