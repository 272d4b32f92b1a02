"""What the emulated sensor played and what reached imuhold: true holds in imuhold's time, packets, latency."""

from __future__ import annotations

import functools
import itertools
import statistics
from dataclasses import dataclass
from pathlib import Path

from imuhold.recording import Recording
from imuhold.sim.emulate.sendlog import matched, read_send_log

CALIBRATION_S = 4.0
"""A hold counts as expected only when imuhold had this long of standing before it, to calibrate."""
SETTLE_S = 1.0
GAP_S = 0.3
"""Sensor time without a notification received (while they were sent at 100 Hz) that counts as an unobserved gap."""


@dataclass(frozen=True)
class Routine:
    """The demo routine the emulator plays after standing still for ``still_s`` (times in sensor seconds)."""

    seed: int
    still_s: float

    @functools.cached_property
    def _labels(self):
        from imuhold import sim

        return sim.simulate(sim.routine(self.seed), self.seed).labels

    @property
    def squats(self) -> list[tuple[float, float]]:
        return [(s.entry_s + self.still_s, s.exit_s + self.still_s) for s in self._labels.squats]

    @property
    def holds(self) -> list[tuple[float, float]]:
        return [(h.start_s + self.still_s, h.end_s + self.still_s) for s in self._labels.squats for h in s.holds]

    def expected_holds(
        self, first_t_s: float, last_t_s: float, gaps: tuple[tuple[float, float], ...] = ()
    ) -> list[tuple[float, float]]:
        """The true holds imuhold can see between sensor times ``first_t_s`` and ``last_t_s``, in its own time
        (seconds from the first sample it received). A hold that ends inside an unobserved gap (sensor times
        ``gaps``) is expected to end at the last sample before it, and one that starts inside a gap at the first
        sample after it: imuhold cannot know better."""
        seen = []
        for start, end in self.holds:
            if start < first_t_s + CALIBRATION_S or end > last_t_s - SETTLE_S:
                continue
            for gap_start, gap_end in gaps:
                end = gap_start if gap_start < end < gap_end else end
                start = gap_end if gap_start < start < gap_end else start
            seen.append((start - first_t_s, end - first_t_s))
        return seen


@dataclass(frozen=True)
class Traffic:
    """Motion notifications between the first and the last one imuhold received: sent, received, lost, and packets
    imuhold got that match no notification sent (duplicates); latency from the sensor's send to imuhold's notify
    callback (same clock); sensor times of the first and last frame."""

    sent: int
    received: int
    lost: int
    unmatched: int
    latency_p50_ms: float
    latency_p99_ms: float
    first_t_s: float
    last_t_s: float
    rx_rate_hz: float
    gaps: tuple[tuple[float, float], ...]
    """Sensor-time stretches longer than GAP_S between two notifications received (a drop, a stall)."""

    @classmethod
    def of(cls, send_log: Path, recording: Recording) -> Traffic:
        motion = [n for n in read_send_log(send_log) if n.frames > 0]
        motion_uuids = {n.uuid for n in motion}
        pairs = list(matched(motion, recording.packets))
        unmatched = sum(p.characteristic in motion_uuids for p in recording.packets) - len(pairs)
        if len(pairs) < 2:
            raise AssertionError(f"imuhold received {len(pairs)} of the sensor's motion notifications")
        first, last = pairs[0], pairs[-1]
        sent = sum(first[0].t_send_ns <= n.t_send_ns <= last[0].t_send_ns for n in motion)
        latencies_ms = [(packet.t_host_ns - sent_n.t_send_ns) / 1e6 for sent_n, packet in pairs]
        percentiles = statistics.quantiles(latencies_ms, n=100, method="inclusive")
        frames = sum(n.frames for n, _ in pairs)
        span_s = (last[1].t_host_ns - first[1].t_host_ns) / 1e9
        assert first[0].sensor_t_s is not None and last[0].sensor_t_s is not None
        times = [n.sensor_t_s for n, _ in pairs if n.sensor_t_s is not None]
        return cls(
            sent=sent,
            received=len(pairs),
            lost=sent - len(pairs),
            unmatched=unmatched,
            latency_p50_ms=round(percentiles[49], 2),
            latency_p99_ms=round(percentiles[98], 2),
            first_t_s=first[0].sensor_t_s,
            last_t_s=last[0].sensor_t_s,
            rx_rate_hz=round(frames / span_s, 1),
            gaps=tuple((a, b) for a, b in itertools.pairwise(times) if b - a > GAP_S),
        )
