"""Packets in, events out: decode, orientation, calibration, pelvic angles, vertical kinematics, hold detection.

One path for live, replay, demo and tests. ``feed``/``step`` process one packet or sample as it arrives; ``run``
processes a whole recording, vectorising the stateless stages, and gives the same events. Times are seconds
from the first sample of the stream; nothing here reads the wall clock.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from imuhold.detect.hold import Features, HoldDetector, Phase
from imuhold.detect.params import DetectorParams
from imuhold.model import Event, EventKind, HoldMetrics, MotionState, Packet, Quat, Sample, Squat, Vec3
from imuhold.motion.calibration import Standing, StandingCalibrator
from imuhold.motion.columns import Columns, V1Columns, V1Records, samples_to_columns
from imuhold.motion.orientation import OrientationEstimator
from imuhold.motion.pelvis import PelvisFrame
from imuhold.motion.quaternion import up_in_sensor_array
from imuhold.motion.speed import TiltSpeed
from imuhold.motion.vertical import VerticalTracker
from imuhold.protocol import imuhold_v1
from imuhold.protocol.base import DecodeStats, Profile
from imuhold.units import STANDARD_GRAVITY_M_S2

CLOCK_RESTART_S = 1.0
BLOCK_SAMPLES = 1 << 15
"""Batch processing goes this many notifications at a time: arrays pay off, memory stays small."""
QUIET_RUN_WINDOW = 4096
"""Batch: how far ahead a stretch where nothing happens (``_quiet_run``) is looked for in one go."""
QUIET_RUN_RETRY = 8
"""Batch: after a sample that could not start such a stretch, this many go one at a time."""
_STANDING = Phase.STANDING
"""Read for every sample: a global is cheaper than the enum's class attribute on Python 3.11."""
_new_tuple = tuple.__new__
"""Builds a named tuple from its fields without the Python-level ``__new__`` (half the cost, for every sample)."""
MOVING_RUN_CHUNKS = (32, 1024)
"""Batch: a stretch where only the pelvis moves (``_moving_run``) is worked out this many samples at a time, the
first, doubling up to the second: little is worked out in vain where it ends soon, and a long one goes in few steps."""


def _fields(columns: Columns) -> tuple[np.ndarray | None, ...]:
    return (columns.t_s, columns.quat, columns.acc_m_s2, columns.gyr_rad_s)


def _complete(channel: np.ndarray | None) -> np.ndarray | None:
    """The channel if every sample has it, else None."""
    return None if channel is None or bool(np.isnan(channel[:, 0]).any()) else channel


@dataclass(slots=True)
class LiveView:
    """The latest pelvic state, for displays; updated on every sample."""

    t_s: float = 0.0
    tilt_deg: float = math.nan
    obliquity_deg: float = math.nan
    inclination_deg: float = math.nan
    drop_m: float | None = None
    state: MotionState = MotionState.CALIBRATING


@dataclass(slots=True)
class Analysis:
    """What the pipeline found in a whole stream."""

    events: list[Event]
    squats: list[Squat]
    samples: int
    duration_s: float
    decode: DecodeStats
    out_of_order: int = 0
    frame: PelvisFrame | None = None

    @property
    def total_hold_s(self) -> float:
        return sum(h.duration_s for s in self.squats for h in s.holds)


class Output(NamedTuple):
    """One processed sample as displays, stores and exports see it: its time from the first sample, the display
    state, pelvic angles, drop (None without acceleration), the events it produced, the decoded sample and the
    orientation used (sensor → earth, w,x,y,z). Angles are NaN until the standing reference is known. A named
    tuple (immutable): one is made for every sample the training screen shows."""

    t_s: float
    state: MotionState
    inclination_deg: float
    tilt_deg: float
    obliquity_deg: float
    drop_m: float | None
    events: tuple[Event, ...]
    sample: Sample
    quat: Quat


class Pipeline:
    """The whole motion pipeline for one sensor stream.

    Its public face: ``process`` (one output record per sample of a notification), ``feed``/``step`` (the events
    only), ``run``/``run_records``/``run_columns`` (batch), ``finish``, ``recalibrate``,
    ``analysis``; the latest state in ``live``; ``squats``, ``events``, ``frame``, ``samples`` and ``decode_stats``
    to read. Its decoder, orientation filter and detector are its own.
    """

    def __init__(self, profile: Profile, rate_hz: float | None = None, params: DetectorParams | None = None):
        self.profile = profile
        self.params = params or DetectorParams()
        self._decoder = profile.decoder(rate_hz)
        self._batch_decoder = V1Columns(self._decoder.stats)
        self._detector = HoldDetector(self.params)
        self.live = LiveView()
        self.frame: PelvisFrame | None = None
        self.gyr_offset_rad_s: Vec3 | None = None
        """The gyro offset measured at the last standing calibration (raw-gyro sensors only)."""
        self.events: list[Event] = []
        self.samples = 0
        self.out_of_order = 0
        self.clock_restarts = 0
        p = self.params
        self._orientation = OrientationEstimator(rate_hz or profile.nominal_rate_hz, keep_s=2.0 * p.calibration_s)
        self._calibrator = self._new_calibrator()
        self._speed = self._new_tilt_speed()
        self._vertical = VerticalTracker(**p.prefixed("vertical_"))
        self._t0_s: float | None = None
        self._last_t_s = -math.inf
        self._last_quat: Quat = (1.0, 0.0, 0.0, 0.0)
        self._drop_m: float | None = None

    @property
    def squats(self) -> list[Squat]:
        """The completed squats so far (read-only: the list is the pipeline's)."""
        return self._detector.squats

    @property
    def hold_start_s(self) -> float | None:
        """Start of the running hold; None when not holding."""
        return self._detector.hold_start_s

    @property
    def hold_unobserved_s(self) -> float:
        """Seconds of the running hold without data so far (gaps it was kept across); 0 when not holding."""
        return self._detector.hold_unobserved_s

    @property
    def last_hold(self) -> HoldMetrics | None:
        """The hold that ended last (None before the first, and after a recalibration)."""
        return self._detector.last_hold

    @property
    def decode_stats(self) -> DecodeStats:
        """The decoder's running counts: packets, frames, bad and lost frames."""
        return self._decoder.stats

    # -- streaming -------------------------------------------------------------------------------------------
    def process(self, packet: Packet) -> list[Output]:
        """Decode one notification and process its samples: one output record per processed sample (duplicates,
        reordered samples and samples without an orientation have none)."""
        outputs: list[Output] = []
        relative_time, step, live = self._relative_time, self._step_relative, self.live
        for sample in self._decoder.feed(packet):
            t_s = relative_time(sample.t_s)
            if t_s is None:
                continue
            before = self.samples
            events = step(t_s, sample)
            if self.samples == before:
                continue
            output = (
                live.t_s,
                live.state,
                live.inclination_deg,
                live.tilt_deg,
                live.obliquity_deg,
                live.drop_m,
                tuple(events),
                sample,
                self._last_quat,
            )
            outputs.append(_new_tuple(Output, output))
        return outputs

    def feed(self, packet: Packet) -> list[Event]:
        """Decode one notification and process its samples; returns the events they produced."""
        events: list[Event] = []
        relative_time, step = self._relative_time, self._step_relative
        for sample in self._decoder.feed(packet):
            t_s = relative_time(sample.t_s)  # as ``step``
            if t_s is not None:
                events += step(t_s, sample)
        return events

    def step(self, sample: Sample) -> list[Event]:
        """Process one decoded sample."""
        t_s = self._relative_time(sample.t_s)
        return [] if t_s is None else self._step_relative(t_s, sample)

    def finish(self) -> list[Event]:
        """Close what is still open at the end of the stream."""
        events = self._detector.finish()
        self.events.extend(events)
        self.live.state = self._display_state()
        return events

    def recalibrate(self) -> list[Event]:
        """Forget the standing reference and wait for a new one; returns the events that close what was open.

        A running hold ends and a confirmed squat exits at the last sample; completed squats are kept. The
        orientation filter keeps running: only the pelvis frame and what is measured relative to it restart.
        """
        events = self._detector.finish()
        self.events.extend(events)
        squats = self._detector.squats
        self._detector = HoldDetector(self.params)
        self._detector.squats = squats
        self._calibrator = self._new_calibrator()
        self._vertical = VerticalTracker(**self.params.prefixed("vertical_"))
        self.frame = None
        self.live.state = MotionState.CALIBRATING
        return events

    def analysis(self) -> Analysis:
        return Analysis(
            events=list(self.events),
            squats=list(self._detector.squats),
            samples=self.samples,
            duration_s=max(0.0, self._last_t_s) if self.samples else 0.0,
            decode=self._decoder.stats,
            out_of_order=self.out_of_order,
            frame=self.frame,
        )

    # -- batch -----------------------------------------------------------------------------------------------
    def run(self, packets: Iterable[Packet], block_packets: int = BLOCK_SAMPLES) -> Analysis:
        """Process a whole stream in blocks of ``block_packets`` notifications (vectorised where stateless) and close
        it; same events as ``feed``. Memory stays bounded by a block: ``packets`` may be a lazy iterator over a file
        of any length.
        """
        block: list[Packet] = []
        for packet in packets:
            block.append(packet)
            if len(block) == block_packets:
                self.run_columns(self._decode_block(block))
                block.clear()
        if block:
            self.run_columns(self._decode_block(block))
        self.finish()
        return self.analysis()

    def run_records(self, blocks: Iterable[V1Records]) -> Analysis:
        """Process imuhold-v1 frames given as their fields (an import's, ``formats.packets.record_blocks``) in blocks of
        ``BLOCK_SAMPLES``, and close the stream."""
        if self.profile.name != imuhold_v1.NAME:
            raise ValueError(f"run_records takes imuhold-v1 frames, not {self.profile.name}")
        for records in blocks:
            for i in range(0, len(records.seq), BLOCK_SAMPLES):
                piece = V1Records(*(a[i : i + BLOCK_SAMPLES] for a in records[:4]), records.quat)
                self.run_columns(self._batch_decoder.records(piece))
        self.finish()
        return self.analysis()

    def _decode_block(self, packets: list[Packet]) -> Columns:
        if self.profile.name == imuhold_v1.NAME:
            return self._batch_decoder.packets(packets)
        feed = self._decoder.feed
        return samples_to_columns([sample for packet in packets for sample in feed(packet)])

    def run_columns(self, columns: Columns) -> list[Event]:
        """Process a block of decoded samples; returns the events they produced (the stream stays open)."""
        if len(columns) == 0:
            return []
        first_event = len(self.events)
        t_s, keep = self._relative_times(columns.t_s)
        if keep is not None:
            columns = Columns(*(None if a is None else a[keep] for a in _fields(columns)))
        times = t_s.tolist()
        n, i = len(times), 0
        while i < n and self.frame is None:  # calibrating (it may re-run the orientation filter): as streaming
            self._step_relative(times[i], columns.sample(i))
            i += 1
        if i < n:
            self._run_calibrated(columns, t_s, i)
        return self.events[first_event:]

    def _run_calibrated(self, columns: Columns, t_s: np.ndarray, i: int) -> None:
        """Samples ``i`` on of a block, the standing reference known: array stages, then one sample at a time, but
        for the stretches where nothing happens, which are taken at once (``_quiet_run``)."""
        quat = _complete(None if columns.quat is None else columns.quat[i:])
        acc = _complete(None if columns.acc_m_s2 is None else columns.acc_m_s2[i:])
        gyr = _complete(None if columns.gyr_rad_s is None else columns.gyr_rad_s[i:])
        if quat is None and (acc is None or gyr is None):  # mixed content: take the general path
            for k, t in enumerate(t_s[i:].tolist(), i):
                self._step_relative(t, columns.sample(k))
            return
        if quat is None:
            assert acc is not None and gyr is not None
            quat = self._orientation.run_on(columns.t_s[i:], gyr, acc)
        t_s = t_s[i:]
        times = t_s.tolist()
        up = up_in_sensor_array(quat)
        gaps = self._gap_starts(t_s)
        speeds = self._speed.run(t_s, up) if not gaps else self._speeds_across(gaps, t_s, up)
        speed = np.array(speeds)
        verticals = None
        if acc is not None:  # as vertical_acc_m_s2, to the bit
            verticals = (up[:, 0] * acc[:, 0] + up[:, 1] * acc[:, 1] + up[:, 2] * acc[:, 2] - STANDARD_GRAVITY_M_S2)
            verticals = verticals.tolist()
        stable = speed < self.params.stable_speed_dps
        n, i = len(times), 0
        detect = self._detect
        gap_at = iter([*gaps, n])
        end = next(gap_at)
        while i < n:
            frame = self.frame
            assert frame is not None
            if i == end:  # a gap before sample i: its rule, then on to the next gap
                before_s = times[i - 1] if i else self.live.t_s
                self._gap(before_s, times[i], *frame.pelvic_angles_deg(tuple(up[i].tolist())))
                end = next(gap_at)
            angles = frame.angles_deg_array(up[i:end])
            inclination, tilt, obliquity = angles  # (per sample as floats: most samples are taken in stretches)
            ups = up[i:end].tolist() if frame.right is None else None  # only to learn the mediolateral axis
            in_band = angles[0] < self.params.exit_inclination_deg
            k, m, retry = 0, end - i, 0
            while k < m:
                j = i + k
                if verticals is not None and k >= retry:
                    taken = self._quiet_run(t_s, verticals, speeds, stable, j, end, angles, in_band, k) or (
                        0 if ups is not None else self._moving_run(t_s, verticals, speeds, speed, j, end, angles, k)
                    )
                    if taken:
                        k += taken
                        continue
                    retry = k + QUIET_RUN_RETRY
                accv = None if verticals is None else verticals[j]
                row = None if ups is None else ups[k]
                detect(times[j], row, float(inclination[k]), float(tilt[k]), float(obliquity[k]), speeds[j], accv)
                k += 1
                if self.frame is not frame:  # the mediolateral axis was learned: angles change from the next one
                    break
            i += k
        self._show(times[-1], float(inclination[-1]), float(tilt[-1]), float(obliquity[-1]))

    def _gap_starts(self, t_s: np.ndarray) -> list[int]:
        """Where a block's calibrated samples follow a gap (more than ``gap_s`` after the sample before)."""
        return np.flatnonzero(np.diff(t_s, prepend=self.live.t_s) > self.params.gap_s).tolist()

    def _speeds_across(self, gaps: list[int], t_s: np.ndarray, up: np.ndarray) -> list[float]:
        """The tilt speeds of a block with gaps: restarted after each, as streaming does."""
        speeds: list[float] = []
        for a, b in zip([0, *gaps], [*gaps, len(t_s)], strict=True):
            if a in gaps:
                self._speed.restart()
            speeds += self._speed.run(t_s[a:b], up[a:b])
        return speeds

    def _quiet_run(
        self,
        t_s: np.ndarray,
        verticals: list[float],
        speeds: list[float],
        stable: np.ndarray,
        j: int,
        stop: int,
        angles: tuple[np.ndarray, np.ndarray, np.ndarray],
        in_band: np.ndarray,
        k: int,
    ) -> int:
        """Take the samples from ``j`` (``k`` in ``angles``) on, before ``stop`` (the next gap), at once while nothing
        happens: the vertical tracker at rest, and the detector either in a stable run (every sample stable, out of
        the standing band, a hold running or not yet due) or standing (no squat entry, no exit to report). Returns
        how many were taken (0: none, go one sample at a time); the state after them is what ``_detect`` would
        leave."""
        detector, vertical = self._detector, self._vertical
        if not vertical.settled_rest:
            return 0
        end = min(stop, j + QUIET_RUN_WINDOW)
        window = slice(k, k + end - j)
        holding = detector.in_stable_run
        if holding:
            span = detector.stable_span(t_s[j:end], stable[j:end], in_band[window], vertical.drop_m)
        else:
            span = detector.standing_span(angles[0][window], vertical.drop_m)
        if not span:
            return 0
        standing = None if holding else in_band[k : k + span]
        taken = vertical.rest_run(t_s, verticals, speeds, j, j + span, standing)
        if taken:
            run = slice(k, k + taken)
            inclination, tilt, obliquity = angles[0][run], angles[1][run], angles[2][run]
            if holding:
                detector.absorb_stable(t_s[j : j + taken], inclination, tilt, obliquity, vertical)
            else:
                detector.absorb_standing(t_s[j : j + taken], inclination, tilt, obliquity, speeds[j : j + taken])
            self.samples += taken
            self._drop_m = vertical.drop_m
        return taken

    def _moving_run(
        self,
        t_s: np.ndarray,
        verticals: list[float],
        speeds: list[float],
        speed: np.ndarray,
        j: int,
        stop: int,
        angles: tuple[np.ndarray, np.ndarray, np.ndarray],
        k: int,
    ) -> int:
        """Take the samples from ``j`` (``k`` in ``angles``) on, before ``stop`` (the next gap), at once while the
        vertical tracker integrates a movement or measures the offset after one (``VerticalTracker.moving_run``) and
        the detector has nothing to decide (``HoldDetector.moving_span``), the mediolateral axis known (``speeds``
        and ``speed``: the tilt speeds as a list and an array). Returns how many were taken; the state after them is
        what ``_detect`` would leave."""
        detector, vertical = self._detector, self._vertical
        if not vertical.moving:
            return 0
        end = min(stop, j + QUIET_RUN_WINDOW)
        taken, chunk = 0, MOVING_RUN_CHUNKS[0]
        while j + taken < end:
            a, c = j + taken, k + taken
            stretch = vertical.moving_run(t_s, verticals, speeds, a, min(end, a + chunk))
            n = len(stretch.drop_m)
            times, inclination, speed_dps = t_s[a : a + n], angles[0][c : c + n], speed[a : a + n]
            span = detector.moving_span(times, inclination, speed_dps, stretch.velocity_m_s, stretch.drop_m)
            if not span:
                break
            velocity, drop = stretch.velocity_m_s[:span], stretch.drop_m[:span]
            times, inclination = times[:span], inclination[:span]
            vertical.take_moving(stretch, span, float(times[-1]), verticals[a : a + span], inclination.tolist())
            tilt, obliquity = angles[1][c : c + span], angles[2][c : c + span]
            detector.absorb_moving(
                times, inclination, tilt, obliquity, speeds[a : a + span], velocity, drop, vertical.lowest_m
            )
            self.samples += span
            self._drop_m = stretch.drop_m[span - 1]
            taken += span
            if span < chunk:  # the detector or the tracker stops here
                break
            chunk = min(2 * chunk, MOVING_RUN_CHUNKS[1])
        return taken

    def _relative_times(self, sensor_t_s: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        """Relative times of a block, and which samples are kept (None: all, the usual case)."""
        if self._t0_s is None:
            self._t0_s = float(sensor_t_s[0])
        t_s = sensor_t_s - self._t0_s
        if t_s[0] > self._last_t_s and (len(t_s) == 1 or bool(np.all(t_s[1:] > t_s[:-1]))):
            self._last_t_s = float(t_s[-1])
            return t_s, None
        kept = [(i, self._relative_time(t)) for i, t in enumerate(sensor_t_s.tolist())]
        keep = np.array([r is not None for _, r in kept], dtype=bool)
        return np.array([r for _, r in kept if r is not None], dtype=float), keep

    def _step_relative(self, t_s: float, sample: Sample) -> list[Event]:
        """The streaming step for a sample whose relative time is already known."""
        quat = self._orientation.step(sample)
        if quat is None:
            return []
        self._last_quat = quat
        w, x, y, z = quat
        up = (2.0 * (x * z - w * y), 2.0 * (y * z + w * x), 1.0 - 2.0 * (x * x + y * y))  # up_in_sensor, in line
        acc = sample.acc_m_s2
        frame = self.frame
        if frame is None:
            standing = self._calibrating(t_s, up, acc, _offset_source(sample))
            if standing is None:
                return []
            if standing.gyr_offset_rad_s is None:
                return [self._take_standing(standing, t_s)]
            rerun = self._orientation.restart(standing.samples, standing.gyr_offset_rad_s)
            return [self._take_standing(standing, t_s, up_in_sensor_array(rerun))]
        acc_vertical = None
        if acc is not None:  # vertical_acc_m_s2, in line (the same arithmetic, to the bit)
            acc_vertical = up[0] * acc[0] + up[1] * acc[1] + up[2] * acc[2] - STANDARD_GRAVITY_M_S2
        inclination, tilt, obliquity = frame.pelvic_angles_deg(up)
        live = self.live
        gap_events = None
        if t_s - live.t_s > self.params.gap_s:
            self._speed.restart()
            gap_events = self._gap(live.t_s, t_s, inclination, tilt, obliquity)
        speed = self._speed.step(t_s, up)
        events = self._detect(t_s, up, inclination, tilt, obliquity, speed, acc_vertical)
        self._show(t_s, inclination, tilt, obliquity)
        return events if not gap_events else gap_events + events

    # -- shared core: one sample at a time, for both entries ---------------------------------------------------
    def _relative_time(self, sensor_t_s: float) -> float | None:
        """Seconds since the first sample; None for a duplicate or reordered sample (counted).

        A sensor clock that jumps back by more than ``CLOCK_RESTART_S`` restarted (the device rebooted):
        the stream's time carries on one nominal period after the last sample.
        """
        if self._t0_s is None:
            self._t0_s = sensor_t_s
        t_s = sensor_t_s - self._t0_s
        if t_s <= self._last_t_s:
            if t_s < self._last_t_s - CLOCK_RESTART_S:
                self._t0_s = sensor_t_s - self._last_t_s - self._orientation.period_s
                t_s = self._last_t_s + self._orientation.period_s
                self.clock_restarts += 1
            else:
                self.out_of_order += 1
                return None
        self._last_t_s = t_s
        return t_s

    def _gap(self, before_s: float, after_s: float, inclination: float, tilt: float, obliquity: float) -> list[Event]:
        """No samples for more than ``gap_s`` before the one at ``after_s`` (its angles in degrees; the caller
        restarts the tilt speed): the detector's gap rule (``HoldDetector.gap``), the vertical tracker restarts."""
        events, standing, kept = self._detector.gap(before_s, after_s, inclination, tilt, obliquity)
        if not self._vertical.restart(after_s - before_s, standing, still=kept) and not kept:
            self._detector.drop_unseen()
        self.events.extend(events)
        return events

    def _new_calibrator(self) -> StandingCalibrator:
        p = self.params
        return StandingCalibrator(p.calibration_s, p.quiet_speed_dps, p.quiet_acc_m_s2, p.calibration_drift_deg)

    def _new_tilt_speed(self) -> TiltSpeed:
        return TiltSpeed(self.params.tilt_speed_tau_s, self.params.tilt_up_tau_s)

    def _calibrating(self, t_s: float, up: Vec3, acc_m_s2: Vec3 | None, gyr_rad_s: Vec3 | None) -> Standing | None:
        """One sample before the standing reference exists: it only feeds the calibrator."""
        self.samples += 1
        self.live.t_s = t_s
        return self._calibrator.step(t_s, up, self._speed.step(t_s, up), acc_m_s2, gyr_rad_s)

    def _take_standing(self, standing: Standing, t_s: float, rerun_up: np.ndarray | None = None) -> Event:
        """Take the standing reference. ``rerun_up``: the standing's verticals from the orientation filter re-run
        with the measured gyro offset (they replace those of the drifting filter, and so does the tilt speed's
        history)."""
        up0 = standing.up
        if rerun_up is not None:
            mean = rerun_up.mean(axis=0)
            up0 = tuple((mean / np.linalg.norm(mean)).tolist())
            self._speed = self._new_tilt_speed()
            self._speed.step(t_s, tuple(rerun_up[-1].tolist()))
        self.frame = PelvisFrame(up0)
        self.gyr_offset_rad_s = standing.gyr_offset_rad_s
        self._vertical.start_offset(standing.gravity_offset_m_s2)
        event = Event(EventKind.CALIBRATED, t_s, t_s)
        self.events.append(event)
        self.live.state = MotionState.STANDING
        return event

    def _detect(
        self,
        t_s: float,
        up: Vec3 | None,
        inclination: float,
        tilt: float,
        obliquity: float,
        speed: float,
        acc_vertical_m_s2: float | None,
    ) -> list[Event]:
        """A calibrated sample: vertical kinematics, the detector, and the mediolateral axis once a squat leans."""
        self.samples += 1
        detector = self._detector
        drop = velocity = lowest = None
        settled = True
        if acc_vertical_m_s2 is not None:
            vertical = self._vertical
            standing = detector.phase is _STANDING and inclination < self.params.exit_inclination_deg
            velocity, drop = vertical.step(t_s, acc_vertical_m_s2, speed, inclination, standing)
            lowest, settled = vertical.lowest_m, vertical.settled
        features = _new_tuple(Features, (t_s, inclination, tilt, obliquity, speed, drop, velocity, lowest, settled))
        events = detector.step(features)
        frame = self.frame
        if frame is not None and frame.right is None and detector.phase is not _STANDING:
            assert up is not None  # given whenever the axis is still to learn
            learned = frame.with_axis_from(up, self.params.axis_learning_deg)
            if learned is not None:
                self.frame = learned
        self._drop_m = drop
        if events:
            self.events.extend(events)
        return events

    def _show(self, t_s: float, inclination: float, tilt: float, obliquity: float) -> None:
        """The latest calibrated sample becomes the live view (per sample when streaming, per block in batch)."""
        live = self.live
        live.t_s, live.inclination_deg, live.tilt_deg, live.obliquity_deg = t_s, inclination, tilt, obliquity
        live.drop_m = self._drop_m
        live.state = self._detector.state

    def _display_state(self) -> MotionState:
        return MotionState.CALIBRATING if self.frame is None else self._detector.state


def _offset_source(sample: Sample) -> Vec3 | None:
    """The raw gyro reading whose mean at rest is the gyro's offset: only when imuhold runs the filter itself."""
    return sample.gyr_rad_s if sample.quat is None else None
