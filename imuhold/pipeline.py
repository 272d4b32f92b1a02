"""Packets in, events out: decode, orientation, calibration, pelvic angles, vertical kinematics, hold detection.

One path for live, replay, demo and tests. ``feed``/``step`` process one packet or sample as it arrives; ``run``
processes a whole recording, vectorising the stateless stages, and gives the same events. Times are seconds
from the first sample of the stream; nothing here reads the wall clock.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from imuhold.detect.hold import Features, HoldDetector
from imuhold.detect.params import DetectorParams
from imuhold.model import Event, EventKind, MotionState, Packet, Sample, Squat, Vec3
from imuhold.motion.calibration import Standing, StandingCalibrator
from imuhold.motion.orientation import OrientationEstimator
from imuhold.motion.pelvis import PelvisFrame
from imuhold.motion.quaternion import up_in_sensor, up_in_sensor_array
from imuhold.motion.speed import TiltSpeed
from imuhold.motion.vertical import VerticalTracker, vertical_acc_m_s2
from imuhold.protocol.base import DecodeStats, Profile
from imuhold.units import STANDARD_GRAVITY_M_S2

CLOCK_RESTART_S = 1.0


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


class Pipeline:
    """The whole motion pipeline for one sensor stream."""

    def __init__(self, profile: Profile, rate_hz: float | None = None, params: DetectorParams | None = None):
        self.profile = profile
        self.params = params or DetectorParams()
        self.decoder = profile.decoder(rate_hz)
        self.detector = HoldDetector(self.params)
        self.live = LiveView()
        self.frame: PelvisFrame | None = None
        self.gyr_offset_rad_s: Vec3 | None = None
        """The gyro offset measured at the last standing calibration (raw-gyro sensors only)."""
        self.events: list[Event] = []
        self.samples = 0
        self.out_of_order = 0
        self.clock_restarts = 0
        p = self.params
        self.orientation = OrientationEstimator(rate_hz or profile.nominal_rate_hz, keep_s=2.0 * p.calibration_s)
        self._calibrator = self._new_calibrator()
        self._speed = TiltSpeed(p.tilt_speed_tau_s, p.tilt_up_tau_s)
        self._vertical = VerticalTracker(**p.prefixed("vertical_"))
        self._t0_s: float | None = None
        self._last_t_s = -math.inf

    # -- streaming -------------------------------------------------------------------------------------------
    def feed(self, packet: Packet) -> list[Event]:
        """Decode one notification and process its samples; returns the events they produced."""
        events: list[Event] = []
        for sample in self.decoder.feed(packet):
            events.extend(self.step(sample))
        return events

    def step(self, sample: Sample) -> list[Event]:
        """Process one decoded sample."""
        t_s = self._relative_time(sample.t_s)
        return [] if t_s is None else self._step_relative(t_s, sample)

    def finish(self) -> list[Event]:
        """Close what is still open at the end of the stream."""
        events = self.detector.finish()
        self.events.extend(events)
        self.live.state = self._display_state()
        return events

    def recalibrate(self) -> list[Event]:
        """Forget the standing reference and wait for a new one; returns the events that close what was open.

        A running hold ends and a confirmed squat exits at the last sample; completed squats are kept. The
        orientation filter keeps running: only the pelvis frame and what is measured relative to it restart.
        """
        events = self.detector.finish()
        self.events.extend(events)
        squats = self.detector.squats
        self.detector = HoldDetector(self.params)
        self.detector.squats = squats
        self._calibrator = self._new_calibrator()
        self._vertical = VerticalTracker(**self.params.prefixed("vertical_"))
        self.frame = None
        self.live.state = MotionState.CALIBRATING
        return events

    def analysis(self) -> Analysis:
        return Analysis(
            events=list(self.events),
            squats=list(self.detector.squats),
            samples=self.samples,
            duration_s=max(0.0, self._last_t_s) if self.samples else 0.0,
            decode=self.decoder.stats,
            out_of_order=self.out_of_order,
            frame=self.frame,
        )

    # -- batch -----------------------------------------------------------------------------------------------
    def run(self, packets: Iterable[Packet]) -> Analysis:
        """Process a whole stream at once (vectorised where stateless) and close it; same events as ``feed``."""
        samples: list[Sample] = []
        for packet in packets:
            samples.extend(self.decoder.feed(packet))
        kept: list[Sample] = []
        times: list[float] = []
        for sample in samples:
            t_s = self._relative_time(sample.t_s)
            if t_s is not None:
                kept.append(sample)
                times.append(t_s)
        if kept:
            self._run_samples(kept, np.asarray(times))
        self.finish()
        return self.analysis()

    def _run_samples(self, samples: list[Sample], t_s: np.ndarray) -> None:
        have_quat = samples[0].quat is not None and all(s.quat is not None for s in samples)
        have_acc = all(s.acc_m_s2 is not None for s in samples)
        have_gyr = all(s.gyr_rad_s is not None for s in samples)
        if not have_quat and not (have_acc and have_gyr):
            for t, sample in zip(t_s.tolist(), samples, strict=True):  # mixed content: take the general path
                self._step_relative(t, sample)
            return
        acc = np.array([s.acc_m_s2 for s in samples], dtype=float) if have_acc else None
        if have_quat:
            gyr = None
            quat = np.array([s.quat for s in samples], dtype=float)
        else:
            sensor_t = np.array([s.t_s for s in samples])
            gyr = np.array([s.gyr_rad_s for s in samples], dtype=float)
            quat = self.orientation.run(sensor_t, gyr, acc)
        up, verticals = _up_and_vertical(quat, acc)
        times = t_s.tolist()
        i = 0
        while i < len(samples) and self.frame is None:  # the calibrator sees the raw readings
            sample = samples[i]
            standing = self._calibrating(times[i], tuple(up[i].tolist()), sample.acc_m_s2, _offset_source(sample))
            if standing is not None and gyr is not None and standing.gyr_offset_rad_s is not None:
                j = max(0, i + 1 - standing.samples)  # as ``OrientationEstimator.restart``, over the whole rest
                rerun = self.orientation.run(sensor_t[j:], gyr[j:], acc[j:], standing.gyr_offset_rad_s)
                up[j:], rerun_verticals = _up_and_vertical(rerun, acc[j:])
                if verticals is not None and rerun_verticals is not None:
                    verticals[j:] = rerun_verticals
                self._take_standing(standing, times[i], up[j : i + 1])
            elif standing is not None:
                self._take_standing(standing, times[i])
            i += 1
        if acc is None:
            norms = vertical_list = [None] * (len(samples) - i)
        else:
            norms = np.sqrt(np.einsum("ij,ij->i", acc[i:], acc[i:])).tolist()
            vertical_list = verticals[i:].tolist()
        process = self._process
        for t, u, n, v in zip(times[i:], map(tuple, up[i:].tolist()), norms, vertical_list, strict=True):
            process(t, u, n, v)

    def _step_relative(self, t_s: float, sample: Sample) -> list[Event]:
        """The streaming step for a sample whose relative time is already known."""
        quat = self.orientation.step(sample)
        if quat is None:
            return []
        up = up_in_sensor(quat)
        acc = sample.acc_m_s2
        if self.frame is None:
            standing = self._calibrating(t_s, up, acc, _offset_source(sample))
            if standing is None:
                return []
            if standing.gyr_offset_rad_s is None:
                return [self._take_standing(standing, t_s)]
            rerun = self.orientation.restart(standing.samples, standing.gyr_offset_rad_s)
            return [self._take_standing(standing, t_s, up_in_sensor_array(rerun))]
        acc_norm = None if acc is None else math.sqrt(acc[0] * acc[0] + acc[1] * acc[1] + acc[2] * acc[2])
        acc_vertical = None if acc is None else vertical_acc_m_s2(up, acc)
        return self._process(t_s, up, acc_norm, acc_vertical)

    # -- shared core -----------------------------------------------------------------------------------------
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
                self._t0_s = sensor_t_s - self._last_t_s - self.orientation.period_s
                t_s = self._last_t_s + self.orientation.period_s
                self.clock_restarts += 1
            else:
                self.out_of_order += 1
                return None
        self._last_t_s = t_s
        return t_s

    def _new_calibrator(self) -> StandingCalibrator:
        p = self.params
        return StandingCalibrator(p.calibration_s, p.quiet_speed_dps, p.quiet_acc_m_s2, p.calibration_drift_deg)

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
            self._speed = TiltSpeed(self.params.tilt_speed_tau_s, self.params.tilt_up_tau_s)
            self._speed.step(t_s, tuple(rerun_up[-1].tolist()))
        self.frame = PelvisFrame(up0)
        self.gyr_offset_rad_s = standing.gyr_offset_rad_s
        self._vertical.start_offset(standing.gravity_offset_m_s2)
        event = Event(EventKind.CALIBRATED, t_s, t_s)
        self.events.append(event)
        self.live.state = MotionState.STANDING
        return event

    def _process(
        self,
        t_s: float,
        up: Vec3,
        acc_norm_m_s2: float | None,
        acc_vertical_m_s2: float | None,
    ) -> list[Event]:
        """One sample once the standing reference exists."""
        self.samples += 1
        speed = self._speed.step(t_s, up)
        live = self.live
        live.t_s = t_s
        frame = self.frame
        assert frame is not None
        inclination = frame.inclination_deg(up)
        tilt, obliquity = frame.angles_deg(up)
        detector = self.detector
        drop = velocity = lowest = None
        settled = True
        if acc_vertical_m_s2 is not None:
            vertical = self._vertical
            standing = not detector.in_squat and inclination < self.params.exit_inclination_deg
            velocity, drop = vertical.step(t_s, acc_vertical_m_s2, speed, inclination, standing)
            lowest, settled = vertical.lowest_m, vertical.settled
        events = detector.step(Features(t_s, inclination, tilt, obliquity, speed, drop, velocity, lowest, settled))
        if frame.right is None and detector.in_squat:
            learned = frame.with_axis_from(up, self.params.axis_learning_deg)
            if learned is not None:
                self.frame = learned
        live.tilt_deg, live.obliquity_deg, live.inclination_deg, live.drop_m = tilt, obliquity, inclination, drop
        live.state = self._display_state()
        if events:
            self.events.extend(events)
        return events

    def _display_state(self) -> MotionState:
        return MotionState.CALIBRATING if self.frame is None else self.detector.state


def _offset_source(sample: Sample) -> Vec3 | None:
    """The raw gyro reading whose mean at rest is the gyro's offset: only when imuhold runs the filter itself."""
    return sample.gyr_rad_s if sample.quat is None else None


def _up_and_vertical(quat: np.ndarray, acc: np.ndarray | None) -> tuple[np.ndarray, np.ndarray | None]:
    """Earth's up in the sensor frame, (N, 3), and the vertical acceleration less gravity, (N,) or None."""
    up = up_in_sensor_array(quat)
    if acc is None:
        return up, None
    return up, np.einsum("ij,ij->i", up, acc) - STANDARD_GRAVITY_M_S2
