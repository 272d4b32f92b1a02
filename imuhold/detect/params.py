"""Detector parameters: defaults that suit most people, validated in one place, overridable from config."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from imuhold.errors import ConfigError


@dataclass(frozen=True, slots=True)
class DetectorParams:
    """Thresholds of the squat/hold detector (degrees, seconds, metres)."""

    calibration_s: float = 1.0
    """Quiet standing needed before the standing reference is taken."""
    quiet_speed_dps: float = 6.0
    """Tilt speed below which the body counts as quiet (calibration, motion onset, settling after exit)."""
    quiet_acc_m_s2: float = 0.8
    """Largest deviation of measured acceleration from gravity during calibration."""
    calibration_drift_deg: float = 1.5
    """Largest drift of the smoothed vertical during the calibration's quiet standing (gravity in the accelerometer
    for raw-gyro sensors, the sensor's own orientation otherwise): more is a body still moving or an orientation
    not yet converged, and the wait starts again."""
    entry_inclination_deg: float = 12.0
    """Lean from standing that starts a squat candidate."""
    entry_drop_m: float = 0.10
    """Pelvis drop that starts a squat candidate (when acceleration is streamed)."""
    squat_drop_m: float = 0.17
    """Pelvis drop a squat must reach; a stoop (hip hinge) stays above it."""
    hinge_radius_m: float = 0.35
    """A stoop (hip hinge) of lean θ lowers a belt-worn sensor by up to 2·r·sin(θ/2); a squat must drop more than
    that (and at least ``squat_drop_m``). The belt sits about 0.15 m from the hip joints; r is over twice that,
    because a real stoop also unlocks the knees and moves the hips back, and depth errors grow with lean (SisFall
    D16 stoops at 50–93° measure 0.17–0.39 m, D15 squats leaning over 40° 0.49–0.71 m). SisFall's outcomes are
    the same from 0.3 to 0.4 m; 0.25 m lets 5 % of its stoops through, 0.4 m misses a simulated forward squat."""
    max_drop_m: float = 1.0
    """Deepest pelvis drop a squat can have (about standing pelvis height); more is stairs or integration error."""
    squat_inclination_deg: float = 6.0
    """Lean a squat must reach: the pelvis tilts as it goes down; walking on a drifting drop estimate does not."""
    exit_inclination_deg: float = 8.0
    """Lean below which the body is back in the standing band."""
    exit_drop_m: float = 0.08
    """Drop above which the pelvis is back in the standing band."""
    exit_recovered_fraction: float = 0.7
    """Or: the pelvis rose back by this fraction of its squat's drop (robust to an offset in the drop)."""
    stable_speed_dps: float = 6.0
    """Tilt speed below which a squat is stable (a hold)."""
    stable_velocity_m_s: float = 0.12
    """Vertical pelvis speed below which a squat is stable."""
    min_hold_s: float = 2.0
    """Shortest stable period that counts as a hold."""
    grace_s: float = 1.0
    """Wobbles shorter than this do not split a hold."""
    ascending_velocity_m_s: float = 0.08
    """Upward pelvis speed shown as ascending."""
    onset_lookback_deg: float = 0.5
    """Entry is back-dated to the last time the lean was within this of the standing lean."""
    settle_timeout_s: float = 2.0
    """Longest wait for the body to settle in the standing band before a squat exit is declared anyway."""

    def __post_init__(self) -> None:
        for f in fields(self):
            check_range(f.name, getattr(self, f.name))
        if self.exit_inclination_deg >= self.entry_inclination_deg:
            raise ConfigError("exit_inclination_deg must be below entry_inclination_deg")
        if self.squat_drop_m >= self.max_drop_m:
            raise ConfigError("squat_drop_m must be below max_drop_m")
        if self.exit_drop_m >= self.squat_drop_m:
            raise ConfigError("exit_drop_m must be below squat_drop_m")
        if self.grace_s >= self.min_hold_s:
            raise ConfigError("grace_s must be shorter than min_hold_s")

    def with_overrides(self, overrides: dict[str, Any]) -> DetectorParams:
        """A copy with ``overrides`` applied; unknown names raise ConfigError naming them."""
        known = {f.name for f in fields(self)}
        unknown = sorted(set(overrides) - known)
        if unknown:
            raise ConfigError(f"unknown detector parameter(s): {', '.join(unknown)}")
        return replace(self, **{k: _number(k, v) for k, v in overrides.items()})

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


RANGES: dict[str, tuple[float, float]] = {
    "calibration_s": (0.2, 30.0),
    "quiet_speed_dps": (0.5, 60.0),
    "quiet_acc_m_s2": (0.05, 5.0),
    "calibration_drift_deg": (0.1, 30.0),
    "entry_inclination_deg": (1.0, 90.0),
    "entry_drop_m": (0.01, 1.0),
    "squat_drop_m": (0.02, 2.0),
    "hinge_radius_m": (0.01, 1.0),
    "max_drop_m": (0.1, 3.0),
    "squat_inclination_deg": (0.5, 90.0),
    "exit_inclination_deg": (0.5, 90.0),
    "exit_drop_m": (0.005, 1.0),
    "exit_recovered_fraction": (0.05, 1.0),
    "stable_speed_dps": (0.5, 90.0),
    "stable_velocity_m_s": (0.01, 2.0),
    "min_hold_s": (0.2, 600.0),
    "grace_s": (0.05, 60.0),
    "ascending_velocity_m_s": (0.01, 2.0),
    "onset_lookback_deg": (0.05, 30.0),
    "settle_timeout_s": (0.1, 60.0),
}
"""Allowed range of each parameter, wide enough for any body and sensor, narrow enough to catch a slip
(``min_hold_s=inf`` would find no hold ever). A parameter without an entry must be positive and finite."""

_UNITS = (("_m_s2", " m/s²"), ("_m_s", " m/s"), ("_dps", " °/s"), ("_deg", "°"), ("_s", " s"), ("_m", " m"))


def unit_of(name: str) -> str:
    """The unit a parameter's name ends in, for messages (``min_hold_s`` → `` s``)."""
    return next((unit for suffix, unit in _UNITS if name.endswith(suffix)), "")


def check_range(name: str, value: object) -> None:
    """ConfigError giving the allowed range unless ``value`` is a number inside it."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"detector parameter {name} must be a number, not {value!r}")
    if name not in RANGES:
        if not 0.0 < value < math.inf:
            raise ConfigError(f"detector parameter {name} must be a positive finite number, not {value:g}")
        return
    low, high = RANGES[name]
    if not low <= value <= high:  # NaN too
        unit = unit_of(name)
        raise ConfigError(f"detector parameter {name} must be between {low:g} and {high:g}{unit}, not {value:g}")


def _number(name: str, value: object) -> float:
    """An override as a float (from the command line's text or the config's TOML); ConfigError when it is none."""
    if isinstance(value, bool):
        raise ConfigError(f"detector parameter {name} must be a number, not {value!r}")
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ConfigError(f"detector parameter {name} must be a number, not {value!r}") from None
