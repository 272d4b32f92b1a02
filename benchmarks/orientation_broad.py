"""Print inclination RMSE of imuhold's orientation path against plain VQF on the BROAD trials present."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from vqf import VQF, offlineVQF

from imuhold.evaluation.broad import inclination_rmse_deg, load_trial, score_trial, trial_paths

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "datasets" / "broad"


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    paths = trial_paths(folder)
    if not paths:
        sys.exit(f"no BROAD trials (*.npz) in {folder}")
    rows = []
    print(f"{'trial':40} {'imuhold':>8} {'vqf':>8} {'offline':>8}   (inclination RMSE, degrees)")
    for path in paths:
        trial = load_trial(path)
        ts = 1.0 / trial.rate_hz
        gyr, acc = np.ascontiguousarray(trial.gyr_rad_s), np.ascontiguousarray(trial.acc_m_s2)
        plain = VQF(ts).updateBatch(gyr, acc)["quat6D"]
        offline = offlineVQF(gyr, acc, None, ts)["quat6D"]
        row = (
            score_trial(trial),
            inclination_rmse_deg(plain, trial.opt_quat, trial.movement),
            inclination_rmse_deg(offline, trial.opt_quat, trial.movement),
        )
        rows.append(row)
        print(f"{trial.name:40} {row[0]:8.3f} {row[1]:8.3f} {row[2]:8.3f}")
    mean = np.mean(rows, axis=0)
    print(f"{'mean over ' + str(len(rows)) + ' trials':40} {mean[0]:8.3f} {mean[1]:8.3f} {mean[2]:8.3f}")
    print(f"imuhold / plain VQF: {mean[0] / mean[1]:.3f}")


if __name__ == "__main__":
    main()
