"""Frozen value types that flow through the pipeline: packets, samples, events and hold metrics."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

Quat = tuple[float, float, float, float]
"""A unit quaternion in w, x, y, z order (Hamilton), rotating sensor-frame vectors into the earth frame (z up)."""

Vec3 = tuple[float, float, float]


@dataclass(frozen=True, slots=True)
class Packet:
    """One BLE notification as it arrived: host receive time, characteristic UUID (lower case), raw bytes."""

    t_host_ns: int
    characteristic: str
    payload: bytes


class Sample(NamedTuple):
    """One decoded sensor sample in SI units.

    ``t_s`` is sensor time in seconds, unwrapped and monotonic for one stream.
    ``acc_m_s2`` is specific force in the sensor frame (gravity included: about +9.81 on the up axis at rest).
    Any of quaternion, acceleration and angular rate may be missing, depending on the sensor profile.
    A named tuple, immutable as the frozen dataclasses here: one is made for every sample decoded, and it is built
    in less than half the time.
    """

    t_s: float
    quat: Quat | None = None
    acc_m_s2: Vec3 | None = None
    gyr_rad_s: Vec3 | None = None
    seq: int | None = None


class MotionState(StrEnum):
    """What the detector believes the person is doing."""

    CALIBRATING = "calibrating"
    STANDING = "standing"
    DESCENDING = "descending"
    HOLDING = "holding"
    ASCENDING = "ascending"


class EventKind(StrEnum):
    """Kinds of detector events, in the order they occur within a squat."""

    CALIBRATED = "calibrated"
    SQUAT_ENTRY = "squat_entry"
    HOLD_START = "hold_start"
    HOLD_END = "hold_end"
    SQUAT_EXIT = "squat_exit"


@dataclass(frozen=True, slots=True)
class Event:
    """A detector event. ``t_s`` is when it happened (back-dated); ``t_detected_s`` when it became known."""

    kind: EventKind
    t_s: float
    t_detected_s: float


@dataclass(frozen=True, slots=True)
class HoldMetrics:
    """One stable hold inside a squat, with its posture statistics (degrees, metres)."""

    start_s: float
    end_s: float
    tilt_mean_deg: float
    tilt_sd_deg: float
    sway_rms_deg: float
    obliquity_mean_deg: float
    depth_m: float | None
    unobserved_s: float = 0.0
    """Seconds of the hold without data (gaps it was kept across: ``DetectorParams.gap_hold_max_s``)."""

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


@dataclass(frozen=True, slots=True)
class Squat:
    """One squat from entry to exit, with its holds. ``depth_m`` is the lowest pelvis drop (negative down)."""

    entry_s: float
    exit_s: float
    depth_m: float | None
    holds: tuple[HoldMetrics, ...]
