"""Angle sign conventions for export: clinical (imuhold's own), ISB and OpenSim, with their column names."""

# imuhold measures tilt anterior-positive and obliquity positive when the right side rises (clinical, as in
# Plug-in Gait). ISB (Wu et al. 2002) and OpenSim's gait models put X anterior, Y up, Z right and use right-hand
# rotations: tilt about Z is positive when the pelvis tilts *posteriorly* (OpenSim pelvis_tilt is negative
# in a stoop), and obliquity (list) about X is positive when the right side *drops*. So both flip both signs; they
# differ in naming, and in the ground frame of orientation files (OpenSim: Y up, applied by its IMU placer).

from __future__ import annotations

from dataclasses import dataclass

CONVENTIONS = ("clinical", "isb", "opensim")


@dataclass(frozen=True, slots=True)
class Convention:
    """Signs to multiply imuhold's angles by, and the names of the exported angle columns."""

    name: str
    tilt_sign: float
    obliquity_sign: float
    tilt_column: str
    obliquity_column: str
    description: str

    def tilt(self, tilt_deg: float | None) -> float | None:
        return None if tilt_deg is None else self.tilt_sign * tilt_deg

    def obliquity(self, obliquity_deg: float | None) -> float | None:
        return None if obliquity_deg is None else self.obliquity_sign * obliquity_deg


_ALL = {
    "clinical": Convention(
        "clinical", 1.0, 1.0, "tilt_deg", "obliquity_deg",
        "tilt positive anterior (top of the pelvis forward); obliquity positive when the right side rises",
    ),
    "isb": Convention(
        "isb", -1.0, -1.0, "tilt_isb_deg", "obliquity_isb_deg",
        "ISB pelvis axes (X anterior, Y cranial, Z right), right-hand rule: tilt about Z positive posterior; "
        "obliquity about X positive when the right side drops",
    ),
    "opensim": Convention(
        "opensim", -1.0, -1.0, "pelvis_tilt_deg", "pelvis_list_deg",
        "OpenSim gait models (X forward, Y up, Z right): pelvis_tilt negative for anterior tilt; pelvis_list "
        "positive when the right side drops",
    ),
}  # fmt: skip


def get_convention(name: str) -> Convention:
    """The convention called ``name``; ValueError naming the known ones."""
    try:
        return _ALL[name]
    except KeyError:
        raise ValueError(f"unknown convention {name!r} (known: {', '.join(CONVENTIONS)})") from None
