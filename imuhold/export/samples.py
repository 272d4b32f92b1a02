"""Every sample of a session's recording, re-run through the pipeline: raw values, orientation, angles, state."""

# Per-sample values come from today's decoders and pipeline (a fixed decoder improves old sessions); the
# squat, hold and event columns come from the stored session, so they match `imuhold show` and the JSON.

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from imuhold.detect.params import DetectorParams
from imuhold.loop import PacketLoop
from imuhold.model import Event, Packet, Quat, Squat, Vec3
from imuhold.pipeline import Pipeline
from imuhold.protocol import get_profile
from imuhold.recording import RecordingHeader

GAP_PERIODS = 1.5
"""A sample more than this many nominal periods after the previous one follows a gap."""


@dataclass(frozen=True, slots=True)
class SampleRow:
    """One processed sample. Times in s from the first sample (``host_t_s``: from the first packet)."""

    t_s: float
    host_t_s: float
    seq: int | None
    quat: Quat | None
    acc_m_s2: Vec3 | None
    gyr_rad_s: Vec3 | None
    inclination_deg: float
    tilt_deg: float
    obliquity_deg: float
    drop_m: float | None
    state: str
    squat: int | None
    """1-based number of the squat this sample belongs to (entry to exit), None outside squats."""
    hold: int | None
    """1-based number of the hold (over the whole session), None outside holds."""
    events: tuple[str, ...]
    """Kinds of the events that happened (back-dated) at this sample."""
    gap: bool


class _Cursor:
    """Which of some sorted, disjoint intervals holds each of increasing times (1-based, None: none)."""

    def __init__(self, intervals: list[tuple[float, float]]) -> None:
        self.intervals = intervals
        self.i = 0

    def at(self, t_s: float) -> int | None:
        intervals = self.intervals
        while self.i < len(intervals) and intervals[self.i][1] < t_s:
            self.i += 1
        if self.i < len(intervals) and intervals[self.i][0] <= t_s:
            return self.i + 1
        return None


def sample_rows(
    header: RecordingHeader,
    packets: Iterable[Packet],
    squats: list[Squat],
    events: list[Event],
    params: DetectorParams | None = None,
) -> Iterator[SampleRow]:
    """Each processed sample of a recording (its header and packets, which may be read as they are needed),
    numbered into the stored ``squats`` and their holds.

    Each stored event is put on the first sample at or after its (back-dated) time.
    """
    loop = PacketLoop(Pipeline(get_profile(header.profile), header.rate_hz, params))
    squat_at = _Cursor([(s.entry_s, s.exit_s) for s in squats]).at
    hold_at = _Cursor([(h.start_s, h.end_s) for s in squats for h in s.holds]).at
    pending = sorted(events, key=lambda e: e.t_s)
    next_event = 0
    gap_s = GAP_PERIODS / header.rate_hz
    t0_ns: int | None = None
    last_t_s = None
    for packet in packets:
        if t0_ns is None:
            t0_ns = packet.t_host_ns
        host_t_s = (packet.t_host_ns - t0_ns) / 1e9
        for out in loop.process(packet):
            t_s = out.t_s
            sample = out.sample
            here: tuple[str, ...] = ()
            if next_event < len(pending) and pending[next_event].t_s <= t_s + 1e-6:
                first = next_event
                while next_event < len(pending) and pending[next_event].t_s <= t_s + 1e-6:
                    next_event += 1
                here = tuple(e.kind.value for e in pending[first:next_event])
            yield SampleRow(
                t_s=t_s,
                host_t_s=host_t_s,
                seq=sample.seq,
                quat=out.quat,
                acc_m_s2=sample.acc_m_s2,
                gyr_rad_s=sample.gyr_rad_s,
                inclination_deg=out.inclination_deg,
                tilt_deg=out.tilt_deg,
                obliquity_deg=out.obliquity_deg,
                drop_m=out.drop_m,
                state=out.state.value,
                squat=squat_at(t_s),
                hold=hold_at(t_s),
                events=here,
                gap=last_t_s is not None and t_s - last_t_s > gap_s,
            )
            last_t_s = t_s
