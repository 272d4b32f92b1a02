"""A SisFall or KFall trial read in blocks has the outcome of the trial read whole: long files evaluate in bounded
memory."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from imuhold.evaluation import kfall as kfall_eval
from imuhold.evaluation import sisfall as sisfall_eval
from imuhold.evaluation import trials
from imuhold.formats import kfall, sisfall

pytestmark = pytest.mark.datasets
BLOCK_CHARS = 20_000
"""About 800 samples a block: every trial takes the path of a long file."""


@pytest.fixture(scope="module")
def trial_paths(datasets_dir):
    paths = [*sorted((datasets_dir / "sisfall" / "D15").glob("*.txt.gz"))[:2],
             *sorted((datasets_dir / "sisfall" / "D01").glob("*.txt.gz"))[:1]]  # fmt: skip
    if len(paths) < 3:
        pytest.skip("the SisFall folder lacks D15 or D01 trials")
    return paths


@pytest.mark.parametrize("index", [0, 1, 2])
@pytest.mark.parametrize("prefix_s", [2.0, 0.0])
def test_a_trial_in_small_blocks_has_the_outcome_of_the_whole(trial_paths, index, prefix_s):
    path = trial_paths[index]
    imported = sisfall.load(path)
    standing = sisfall_eval.standing_of(imported.meta["accelerometer"])
    identity = trials.identified(path.name, "D", "S", "R", "young", "squat")
    whole = trials.run(imported, identity, standing, prefix_s=prefix_s)
    blocks = list(sisfall.load_blocks(path, None, [], block_chars=BLOCK_CHARS))
    assert len(blocks) > 2
    in_blocks = trials.run_blocks(
        lambda: sisfall.load_blocks(path, None, [], block_chars=BLOCK_CHARS), identity, standing, prefix_s=prefix_s
    )
    assert in_blocks == whole
    assert whole.samples == imported.samples and (whole.squats > 0 or index == 2)


@pytest.mark.parametrize("drop", [0, 1])
def test_the_median_rate_from_blocks_is_numpys(trial_paths, drop):
    """Over an even and an odd number of samples."""
    for path in trial_paths:
        blocks = list(sisfall.load_blocks(path, None, [], block_chars=BLOCK_CHARS))
        last = blocks[-1]
        if drop:
            blocks[-1] = replace(last, t_s=last.t_s[:-1], acc_m_s2=last.acc_m_s2[:-1], gyr_rad_s=last.gyr_rad_s[:-1])
        whole = np.median(np.concatenate([b.gyr_rad_s for b in blocks]), axis=0)
        np.testing.assert_array_equal(trials._median_rate(iter(blocks)), whole)


def test_a_kfall_trial_in_small_blocks_has_the_outcome_of_the_whole(datasets_dir):
    paths = sorted((datasets_dir / "kfall").glob("T05/*.csv.gz"))[:2]
    if not paths:
        pytest.skip("no KFall T05 trials in the datasets folder")
    for path in paths:
        identity = trials.identified(path.name, "T05", "S", "R", "young", "floor sit")
        whole = trials.run(kfall.load(path), identity, kfall_eval.STANDING)
        in_blocks = trials.run_blocks(
            lambda path=path: kfall.load_blocks(path, None, [], block_chars=BLOCK_CHARS), identity, kfall_eval.STANDING
        )
        assert in_blocks == whole and whole.samples > 0
