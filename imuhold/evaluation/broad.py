"""Inclination accuracy of the orientation path on BROAD trials (optical ground truth).

BROAD: Laidig, Caruso, Cereatti, Seel, *Data* 6(7):72, 2021 (CC BY 4.0). Scoring as in its benchmark:
q_err = q_imu ⊗ q_opt⁻¹ in the earth frame; inclination error 2·acos(√(w² + z²)), RMS over ``movement``
samples with valid optical data. Heading is ignored, so a 6D filter can be scored.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from imuhold.motion.orientation import OrientationEstimator
from imuhold.motion.quaternion import conjugate_array, multiply_array


@dataclass(frozen=True, slots=True)
class BroadTrial:
    """One BROAD trial: IMU data and the optical reference orientation."""

    name: str
    rate_hz: float
    acc_m_s2: np.ndarray
    gyr_rad_s: np.ndarray
    opt_quat: np.ndarray
    movement: np.ndarray


def load_trial(path: Path) -> BroadTrial:
    with np.load(path) as data:
        return BroadTrial(
            name=path.stem,
            rate_hz=float(data["sampling_rate"]),
            acc_m_s2=np.asarray(data["imu_acc"], dtype=float),
            gyr_rad_s=np.asarray(data["imu_gyr"], dtype=float),
            opt_quat=np.asarray(data["opt_quat"], dtype=float),
            movement=np.asarray(data["movement"], dtype=bool),
        )


def inclination_rmse_deg(estimated: np.ndarray, reference: np.ndarray, mask: np.ndarray) -> float:
    """RMS inclination error in degrees between (N, 4) quaternion arrays over ``mask`` (NaN rows skipped)."""
    err = multiply_array(estimated, conjugate_array(reference))
    valid = mask & np.all(np.isfinite(err), axis=1)
    w, z = err[valid, 0], err[valid, 3]
    angle = 2.0 * np.arccos(np.clip(np.sqrt(w * w + z * z), -1.0, 1.0))
    return float(np.degrees(np.sqrt(np.mean(angle * angle))))


def imuhold_orientation(trial: BroadTrial) -> np.ndarray:
    """The orientation imuhold computes for a trial's raw IMU data (the batch path of the pipeline)."""
    t_s = np.arange(len(trial.acc_m_s2)) / trial.rate_hz
    return OrientationEstimator(trial.rate_hz).run(t_s, trial.gyr_rad_s, trial.acc_m_s2)


def score_trial(trial: BroadTrial) -> float:
    return inclination_rmse_deg(imuhold_orientation(trial), trial.opt_quat, trial.movement)


def trial_paths(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.npz"))
