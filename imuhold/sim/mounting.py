"""Where and how the sensor sits on the belt: its rotation to the pelvis and its lever arm from the sacrum.

The simulated pelvis point is the back of the belt over the sacrum, so a sensor elsewhere on the belt also
feels the pelvis's rotation (α × r + ω × (ω × r)): at the front, an anterior tilt lowers it further.
Belt-level body size (assumed: adult waist depth 0.18–0.28 m and breadth 0.26–0.36 m, of the order of the
ANSUR II survey's waist measures): the front is one depth ahead of the back, each side half a depth ahead and
half a breadth across. Its face lies against the belt (its z axis points out of the body) except in a pouch.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from imuhold.sim import quat
from imuhold.sim.body import Pose

PLACES = ("back", "front", "left", "right")
ATTITUDES = ("flat", "upside-down", "sideways", "twisted")
"""flat: the sensor's x axis up; upside down: x down; sideways: x horizontal; twisted in a pouch: any rotation."""
WAIST_DEPTH_M = (0.18, 0.28)
WAIST_BREADTH_M = (0.26, 0.36)
MISALIGNMENT_DEG = 10.0
"""How far a strapped sensor sits off its nominal attitude (each axis within ±, scaled to this as a norm)."""

_FACE_BACK = quat.from_rotvec(np.array([0.0, -math.pi / 2, 0.0]))
"""The sensor's z axis backwards (out of the body at the sacrum) and its x axis up."""
_PLACE_YAW_RAD = {"back": 0.0, "front": math.pi, "left": -math.pi / 2, "right": math.pi / 2}
_ROLL_RAD = {"flat": 0.0, "upside-down": math.pi, "sideways": math.pi / 2}


@dataclass(frozen=True, slots=True)
class Mounting:
    """A sensor's place on the belt and attitude; ``wxyz`` rotates sensor → pelvis axes (x anterior, y left,
    z up) and ``lever_m`` is the sensor's position from the sacrum point in pelvis axes."""

    place: str
    attitude: str
    wxyz: tuple[float, float, float, float]
    lever_m: tuple[float, float, float]

    def __post_init__(self) -> None:
        if self.place not in PLACES or self.attitude not in ATTITUDES:
            raise ValueError(f"unknown mounting {self.place!r}/{self.attitude!r}: places {PLACES}, {ATTITUDES}")
        if abs(math.hypot(*self.wxyz) - 1.0) > 1e-3:
            raise ValueError("mounting wxyz is not a unit quaternion")

    @property
    def name(self) -> str:
        return f"{self.place}-{self.attitude}"

    def to_dict(self) -> dict[str, Any]:
        return {"place": self.place, "attitude": self.attitude, "wxyz": list(self.wxyz), "lever_m": list(self.lever_m)}


def parse_name(name: str) -> tuple[str, str]:
    """``front-upside-down`` → ("front", "upside-down"); ValueError naming the choices otherwise."""
    place, _, attitude = name.partition("-")
    if place not in PLACES or attitude not in ATTITUDES:
        raise ValueError(f"mounting {name!r} is not PLACE-ATTITUDE with PLACE in {PLACES} and ATTITUDE in {ATTITUDES}")
    return place, attitude


def mount_at(rng: np.random.Generator, place: str, attitude: str) -> Mounting:
    """This place and attitude, with a body size and (but for a pouch) a misalignment drawn from ``rng``."""
    if place not in PLACES or attitude not in ATTITUDES:
        raise ValueError(f"unknown mounting {place!r}/{attitude!r}: places {PLACES}, attitudes {ATTITUDES}")
    depth_m = float(rng.uniform(*WAIST_DEPTH_M))
    breadth_m = float(rng.uniform(*WAIST_BREADTH_M))
    lever = {
        "back": (0.0, 0.0, 0.0),
        "front": (depth_m, 0.0, 0.0),
        "left": (depth_m / 2, breadth_m / 2, 0.0),
        "right": (depth_m / 2, -breadth_m / 2, 0.0),
    }[place]
    if attitude == "twisted":
        q = quat.random_rotation(rng)
    else:
        roll = _ROLL_RAD[attitude] * (1.0 if attitude != "sideways" or rng.random() < 0.5 else -1.0)
        misalign = quat.from_rotvec(rng.uniform(-1.0, 1.0, 3) * math.radians(MISALIGNMENT_DEG) / math.sqrt(3.0))
        face = quat.multiply(quat.about_z(_PLACE_YAW_RAD[place]), _FACE_BACK)
        q = quat.multiply(quat.multiply(face, quat.about_z(roll)), misalign)
    q = q / np.linalg.norm(q)
    w, x, y, z = (round(float(c), 6) for c in q)
    return Mounting(place, attitude, (w, x, y, z), tuple(round(v, 4) for v in lever))  # type: ignore[arg-type]


def draw_mounting(rng: np.random.Generator) -> Mounting:
    """Front, back or a side of the belt (equally likely), in any of the four attitudes (equally likely)."""
    place = str(rng.choice(["back", "front", "side"]))
    if place == "side":
        place = str(rng.choice(["left", "right"]))
    return mount_at(rng, place, str(rng.choice(ATTITUDES)))


def lever_acc_world_m_s2(pose: Pose, lever_m: tuple[float, float, float]) -> np.ndarray:
    """Extra world-frame acceleration of a point ``lever_m`` from the pelvis point: α × r + ω × (ω × r), (N, 3)."""
    q = pose.orientation()
    r = quat.rotate(q, np.asarray(lever_m, dtype=float))
    omega = quat.rotate(q, pose.angular_velocity_rad_s())
    alpha = np.gradient(omega, pose.t_s, axis=0)
    return np.cross(alpha, r) + np.cross(omega, np.cross(omega, r))
