"""A scenario (what the person does, which sensor) and its simulation: packets, clean arrays and ground truth."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from imuhold import units
from imuhold.model import Packet
from imuhold.protocol import imuhold_v1
from imuhold.recording.labels import Labels
from imuhold.sim import errors, sensor
from imuhold.sim.activities import Activity, Stand
from imuhold.sim.body import Body
from imuhold.sim.motions import perform
from imuhold.sim.sensor import SensorConfig

MIN_CALIBRATION_S = 2.0
"""The shortest standing a scenario opens with: the 2 s of standing the evaluation puts before a real trial (the
scenarios draw 5–6 s; a shorter stand tests a calibration that must not wait for the orientation filter)."""
MIN_FINAL_STAND_S = 2.0
MIN_REST_S = 1.0


@dataclass(frozen=True, slots=True)
class Scenario:
    """A session to simulate: activities in order, the sensor, and the body's heading (None: from the seed).

    It starts with ≥ 4 s of quiet standing (the app calibrates there), ends with ≥ 2 s of standing, and
    every movement is followed by ≥ 1 s of standing so that each squat really ends at rest.
    """

    name: str
    activities: tuple[Activity, ...]
    sensor: SensorConfig = field(default_factory=SensorConfig)
    description: str = ""
    heading_deg: float | None = None

    def __post_init__(self) -> None:
        acts = self.activities
        if not acts or not isinstance(acts[0], Stand) or acts[0].duration_s < MIN_CALIBRATION_S:
            raise ValueError(f"a scenario starts with at least {MIN_CALIBRATION_S} s of standing")
        if not isinstance(acts[-1], Stand) or acts[-1].duration_s < MIN_FINAL_STAND_S:
            raise ValueError(f"a scenario ends with at least {MIN_FINAL_STAND_S} s of standing")
        for before, after in itertools.pairwise(acts):
            if not isinstance(before, Stand) and not (isinstance(after, Stand) and after.duration_s >= MIN_REST_S):
                raise ValueError(f"every movement is followed by at least {MIN_REST_S} s of standing: {before!r}")

    @property
    def duration_s(self) -> float:
        return sum(a.duration_s for a in self.activities)


@dataclass(frozen=True, slots=True)
class Simulation:
    """The outcome of simulating a scenario with a seed.

    Times are seconds from the first sample, in true time (a sensor whose clock is off samples at another rate
    than it claims; ``stamp_s`` is when the device stamped each sample, ``t_s`` plus any stamping delay).
    ``quat``/``acc_m_s2``/``gyr_rad_s`` are the exact sensor-frame values (earth frame of the simulation,
    quaternion sensor → earth); the ``*_sent`` arrays are what the sensor measured and encoded (noise, biases,
    heading offset and drift, the chip's errors) — None where the frame type does not carry them. ``received``
    marks the samples whose notification reached the host. The ``true_*``
    arrays describe the pelvis: tilt (anterior +) and obliquity from the standing posture in degrees,
    vertical position relative to standing in metres (negative = down), heading in degrees.
    """

    scenario: Scenario
    seed: int
    labels: Labels
    packets: list[Packet]
    t_s: np.ndarray
    stamp_s: np.ndarray
    quat: np.ndarray
    acc_m_s2: np.ndarray
    gyr_rad_s: np.ndarray
    quat_sent: np.ndarray | None
    acc_sent_m_s2: np.ndarray
    gyr_sent_rad_s: np.ndarray | None
    received: np.ndarray
    true_tilt_deg: np.ndarray
    true_obliquity_deg: np.ndarray
    true_drop_m: np.ndarray
    true_heading_deg: np.ndarray
    metadata: dict[str, Any]

    @property
    def t_us(self) -> np.ndarray:
        """The device clock of every sample (32-bit, wrapping), as sent."""
        return sensor.device_t_us(self.stamp_s, self.scenario.sensor)


def simulate(scenario: Scenario, seed: int) -> Simulation:
    """Simulate the scenario; the same scenario and seed always give the same packets and arrays."""
    if seed < 0:
        raise ValueError(f"seed must not be negative, got {seed}")
    config = scenario.sensor
    # a fifth stream for the chip's errors leaves the first four, and so every session without errors, unchanged
    streams = np.random.SeedSequence(seed).spawn(5)
    rng_body, rng_sensor, rng_link, rng_heading, rng_chip = (np.random.default_rng(s) for s in streams)
    t_s = errors.sample_times_s(scenario.duration_s, config.rate_hz, config.errors)
    heading_deg = scenario.heading_deg if scenario.heading_deg is not None else float(rng_heading.uniform(0, 360))
    first = scenario.activities[0]
    assert isinstance(first, Stand)
    rate_hz = errors.true_rate_hz(config.rate_hz, config.errors)
    body = Body(t_s, rate_hz, heading_deg, first.sway_deg, first.sway_m)
    squats, distractors = perform(body, scenario.activities)
    pose = body.pose(rng_body)
    truth = sensor.ideal(pose, config.mount_wxyz, config.lever_m)
    sent, drawn = sensor.measure(truth, t_s, config, rng_sensor)
    sent = sensor.with_errors(sent, t_s, config.errors, rng_chip)
    stamp_s = errors.stamp_times_s(t_s, config.errors, rng_chip)
    lost = sensor.loss_mask(t_s, config, rng_link)
    packets = sensor.notifications(stamp_s, sent, lost, sensor.host_times_ns(t_s, config, rng_link), config)
    metadata = {
        "generator": "imuhold.sim",
        "profile": imuhold_v1.NAME,
        "scenario": scenario.name,
        "seed": seed,
        "rate_hz": config.rate_hz,
        "frame_type": config.frame_type,
        "mount_wxyz": list(config.mount_wxyz),
        "heading_deg": heading_deg,
        "t_us_start": config.t_us_start,
        "duration_s": float(t_s[-1]),
        "samples": int(t_s.size),
        "lost_frames": int(lost.sum()),
        **drawn,
        **_chip(config),
    }
    labels = Labels(
        tuple(squats),
        tuple(distractors),
        notes=scenario.description,
        extra={"generator": "imuhold.sim", "scenario": scenario.name, "seed": seed, **_chip(config)},
    )
    arrays = {
        "t_s": t_s,
        "stamp_s": stamp_s,
        "quat": truth.quat,
        "acc_m_s2": truth.acc_m_s2,
        "gyr_rad_s": truth.gyr_rad_s,
        "quat_sent": sent.quat,
        "acc_sent_m_s2": sent.acc_m_s2,
        "gyr_sent_rad_s": sent.gyr_rad_s,
        "received": ~lost,
        "true_tilt_deg": pose.tilt_rad * units.DEG_PER_RAD,
        "true_obliquity_deg": pose.obliquity_rad * units.DEG_PER_RAD,
        "true_drop_m": pose.z_m,
        "true_heading_deg": pose.heading_rad * units.DEG_PER_RAD,
    }
    for array in arrays.values():
        if array is not None:
            array.flags.writeable = False
    return Simulation(scenario=scenario, seed=seed, labels=labels, packets=packets, metadata=metadata, **arrays)


def _chip(config: SensorConfig) -> dict[str, Any]:
    """The chip's errors and the mounting, for the labels sidecar (nothing when the sensor has neither)."""
    out: dict[str, Any] = {}
    if config.errors is not None:
        # a sensor sending its own orientation sends no angular rate: its gyro errors do not reach the recording
        out["sensor_errors"] = {**config.errors.to_dict(), "gyro_sent": config.frame_type == "raw"}
    if config.mounting is not None:
        out["mounting"] = config.mounting.to_dict()
    return out
