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
    """Tilt speed below which the body counts as quiet (calibration, standing baselines, settling after exit)."""
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
    max_drop_m: float = 1.2
    """Deepest measured pelvis drop a squat can have; more is a flight of stairs (eight steps drop 1.4 m) or a runaway
    integral. A true squat drops 0.4–0.7 m, but its measured depth overshoots when it goes down and up without a rest
    the vertical tracker sees (SisFall SA07_R04 and SA10_R05: 1.15 and 1.07 m). Cross-validated by subject on SisFall
    and KFall, 1.2 m finds 97.5 % of D15 against 93.8 % at 1 m, with no stoop, walking, jogging or stairs trial
    changing (docs/evaluation.md)."""
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

    # -- gaps in the data (imuhold.pipeline: a lost connection, a sensor that fell behind) ----------------------
    gap_s: float = 0.25
    """Consecutive samples further apart than this are a gap: the motion trackers restart after it instead of
    integrating across it, and the detector applies its gap rule (``HoldDetector.gap``). A 0.25 s gap is 25 samples
    at 100 Hz, 6 at 25 Hz; shorter losses (a few frames) are bridged as before."""
    gap_hold_max_s: float = 10.0
    """Longest gap a hold (or a stable run becoming one) survives when the posture after it is the same; a longer gap
    ends the hold at its last observed sample (issue 15: "a long gap, say over 10 s")."""
    gap_posture_deg: float = 5.0
    """Same posture across a gap: the (tilt, obliquity) of the first sample after it within this of the hold's mean
    (its stable samples: a gap during a wobble is judged against the hold, not the wobble). Within a hold the pelvis
    sways 1–3° (RMS); a posture further off is another one, whatever happened in the gap."""

    # -- how the detector's rules are applied --------------------------------------------------------------------
    standing_baseline_tau_s: float = 2.0
    """Time constant of the standing lean and drop baselines, followed while quiet in the standing band."""
    onset_drop_margin_m: float = 0.025
    """Entry back-dating: the drop is near standing while within this of its standing baseline."""
    rearm_drop_m: float = 0.05
    """After an exit, a drop entry re-arms only once the drop estimate is back within this of standing."""
    depth_wait_s: float = 4.0
    """Back in the standing band, the longest wait for a candidate's vertical estimate to be final before its
    depth is judged on what is known."""

    # -- event dating from the motion history (imuhold.detect.boundaries) ---------------------------------------
    moving_speed_dps: float = 6.0
    """A movement is dated on the tilt channel only if its peak tilt speed reaches this."""
    moving_velocity_m_s: float = 0.12
    """A movement is dated on the vertical channel only if its peak vertical speed reaches this."""
    dating_half_window_s: float = 0.15
    """Half-width of the centred difference for tilt speed: averages the orientation's sample noise, short against
    a transition (≥ 0.8 s)."""
    dating_peak_fraction: float = 0.05
    """A movement is under way while its speed exceeds this fraction of its peak (the 5 % onset criterion)."""
    dating_floor_per_median: float = 2.0
    """Noise floor = this × the median tilt speed of the still posture: for the speed of 2-D noise (Rayleigh) that
    is its 95th percentile; the median ignores the part of a transition a still stretch may include."""
    dating_lookback_s: float = 2.0
    """How far from a coarse boundary to look for its movement's peak speed, and for the still stretch beside it:
    transitions last about 1–3 s and peak mid-way."""
    dating_quadratic_ratio: float = 4.0
    """Second level (× the threshold) for the square-law extrapolation of the vertical speed: within the first
    ~20 % of a peak, where the square law holds."""
    exit_report_delay_s: float = 0.5
    """An exit is reported this long after it is decided: the stillness test fires while the last ~10 % of an
    ascent is still under way (up to 0.6 s early on the sample recordings), so its end is only seen afterwards."""

    # -- pelvic features (imuhold.motion) -----------------------------------------------------------------------
    tilt_speed_tau_s: float = 0.1
    """Low-pass time constant of the tilt speed."""
    tilt_up_tau_s: float = 0.05
    """Smoothing time constant of the vertical the tilt speed is taken from."""
    axis_learning_deg: float = 8.0
    """Inclination the first squat must reach before its tilt direction defines the mediolateral axis."""

    # -- vertical kinematics (imuhold.motion.vertical.VerticalTracker) ------------------------------------------
    vertical_rest_speed_dps: float = 4.0
    """Tilt speed below which the pelvis may be at rest (zero-velocity update)."""
    vertical_rest_acc_m_s2: float = 0.15
    """Rest: vertical acceleration within this of the learnt offset (or steady, see below)."""
    vertical_rest_min_s: float = 0.3
    """Rest is a quiet spell at least this long: a slow descent passes through near-zero acceleration."""
    vertical_still_speed_dps: float = 5.0
    """Tilt speed below which a steady acceleration reading counts as rest in a posture whose offset is new. People
    sway at 3–5 °/s in a deep hold; below the hold's own stability speed (``stable_speed_dps``) the steadiness of
    the acceleration, not the sway, says whether the pelvis is at rest. Cross-validated by subject on SisFall and
    KFall, 4, 5 and 6 °/s give the same outcomes (D15 93.8 %, D16 1.2 %; 3 °/s: 91.2 %, 5.0 %), and on the sample
    recordings' typical chips 3 °/s delays or misses holds whose vertical velocity drifts (docs/evaluation.md)."""
    vertical_steady_acc_m_s2: float = 0.08
    """Steady: the short and long averages of vertical acceleration agree within this."""
    vertical_steady_tau_s: float = 0.5
    """Time constant of the long average (the level a posture holds)."""
    vertical_smooth_tau_s: float = 0.1
    """Time constant of the short average (sensor noise removed)."""
    vertical_offset_measure_s: float = 0.3
    """Rest needed to measure the offset at a new posture before a movement is re-integrated."""
    vertical_bias_tau_s: float = 3.0
    """Time constant with which the offset follows the acceleration at rest."""
    vertical_bias_after_rest_s: float = 1.0
    """Rest needed before the offset starts following the acceleration."""
    vertical_raw_window_s: float = 4.0
    """A movement is integrated without leak for this long (longer than a squat's descent)."""
    vertical_leak_tau_s: float = 1.0
    """Past that, velocity and drop leak with this time constant (walking cannot drift far)."""
    vertical_max_corrected_motion_s: float = 16.0
    """Movements longer than this without rest are not re-integrated."""
    vertical_excursion_deg: float = 5.0
    """A movement that leans at least this far past both of its rest postures and comes back is an excursion."""
    vertical_max_excursion_deg: float = 60.0
    """Past this, the offset at the postures visited is too far from any measured one: the depth is not trusted.
    SisFall's outcomes are the same for any limit from 55° to 70° (squats without a rest at the bottom lean up to
    67°); from 75° on, stoops that lean 75–130° and come straight back get depths from offsets never measured."""
    vertical_gap_bridge_s: float = 1.0
    """A gap in the data up to this long inside a movement is bridged in the movement's corrected integral (the
    acceleration interpolated across it, the rests before and after anchoring it); after a longer one the movement
    is measured only from the gap to the next rest (``imuhold.motion.vertical.VerticalTracker.restart``). A squat's
    descent lasts 1–2 s: a 1 s gap in it leaves both ends seen."""
    vertical_max_excursion_offset_m_s2: float = 1.0
    """Largest offset change an excursion may be given (SisFall's ADXL345 differs by up to about 1 m/s² at 50°)."""

    def __post_init__(self) -> None:
        for f in fields(self):
            check_range(f.name, getattr(self, f.name))
        if self.exit_inclination_deg >= self.entry_inclination_deg:
            raise ConfigError("exit_inclination_deg must be below entry_inclination_deg")
        if self.squat_drop_m >= self.max_drop_m:
            raise ConfigError("squat_drop_m must be below max_drop_m")
        if self.exit_drop_m >= self.squat_drop_m:
            raise ConfigError("exit_drop_m must be below squat_drop_m")
        if self.dating_peak_fraction >= 1.0:
            raise ConfigError("dating_peak_fraction must be below 1")
        if self.dating_quadratic_ratio <= 1.0:
            raise ConfigError("dating_quadratic_ratio must be above 1")
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

    def prefixed(self, prefix: str) -> dict[str, float]:
        """The parameters named ``prefix…``, by the rest of their name: a stage's keyword arguments."""
        return {f.name[len(prefix) :]: getattr(self, f.name) for f in fields(self) if f.name.startswith(prefix)}

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
    "gap_s": (0.02, 10.0),
    "gap_hold_max_s": (0.0, 3600.0),
    "gap_posture_deg": (0.1, 90.0),
    "standing_baseline_tau_s": (0.1, 60.0),
    "onset_drop_margin_m": (0.001, 0.5),
    "rearm_drop_m": (0.005, 1.0),
    "depth_wait_s": (0.1, 60.0),
    "moving_speed_dps": (0.5, 90.0),
    "moving_velocity_m_s": (0.01, 2.0),
    "dating_half_window_s": (0.01, 2.0),
    "dating_peak_fraction": (0.005, 0.9),
    "dating_floor_per_median": (0.1, 20.0),
    "dating_lookback_s": (0.2, 30.0),
    "dating_quadratic_ratio": (1.01, 100.0),
    "exit_report_delay_s": (0.0, 10.0),
    "tilt_speed_tau_s": (0.005, 5.0),
    "tilt_up_tau_s": (0.005, 5.0),
    "axis_learning_deg": (1.0, 90.0),
    "vertical_rest_speed_dps": (0.01, 60.0),
    "vertical_rest_acc_m_s2": (0.005, 5.0),
    "vertical_rest_min_s": (0.02, 10.0),
    "vertical_still_speed_dps": (0.1, 60.0),
    "vertical_steady_acc_m_s2": (0.005, 5.0),
    "vertical_steady_tau_s": (0.02, 10.0),
    "vertical_smooth_tau_s": (0.005, 5.0),
    "vertical_offset_measure_s": (0.02, 10.0),
    "vertical_bias_tau_s": (0.1, 120.0),
    "vertical_bias_after_rest_s": (0.0, 60.0),
    "vertical_raw_window_s": (0.1, 120.0),
    "vertical_leak_tau_s": (0.05, 60.0),
    "vertical_max_corrected_motion_s": (0.5, 600.0),
    "vertical_excursion_deg": (0.5, 90.0),
    "vertical_max_excursion_deg": (1.0, 180.0),
    "vertical_max_excursion_offset_m_s2": (0.0, 10.0),
    "vertical_gap_bridge_s": (0.0, 10.0),
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
