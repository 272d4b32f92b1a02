"""Batch shortcuts give the per-sample answers to the bit: quiet stretches and stretches where only the pelvis moves
taken at once, tilt speed over arrays, vertical rest and moving runs, posture sums."""

from pathlib import Path

import numpy as np
import pytest

import imuhold.pipeline as pipeline_module
from imuhold.detect.hold import _Run
from imuhold.detect.metrics import PostureStats
from imuhold.detect.params import DetectorParams
from imuhold.motion.speed import TiltSpeed
from imuhold.motion.vertical import VerticalTracker
from imuhold.pipeline import Pipeline
from imuhold.protocol import get_profile
from imuhold.recording import read_recording

SAMPLES = sorted((Path(__file__).resolve().parent.parent / "sample_recordings").glob("*.imuhold.gz"))
PARAMS = DetectorParams()


def _batch(recording, monkeypatch, quiet_runs: bool):
    taken = {"_quiet_run": [], "_moving_run": []}

    def counting(name):
        original = getattr(Pipeline, name)

        def count(self, *args):
            count = original(self, *args)
            taken[name].append(count)
            return count

        return count

    with monkeypatch.context() as patch:
        for name in taken:
            patch.setattr(Pipeline, name, counting(name))
        if not quiet_runs:
            patch.setattr(pipeline_module, "QUIET_RUN_WINDOW", 0)  # nothing to look ahead at: one sample at a time
        analysis = Pipeline(get_profile(recording.header.profile), recording.header.rate_hz).run(recording.packets)
    return analysis, sum(taken["_quiet_run"]), sum(taken["_moving_run"])


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name.split(".")[0])
def test_quiet_stretches_taken_at_once_change_nothing(path, monkeypatch):
    recording = read_recording(path)
    fast, taken, moving = _batch(recording, monkeypatch, quiet_runs=True)
    slow, none, no_moving = _batch(recording, monkeypatch, quiet_runs=False)
    assert none == no_moving == 0 and taken > fast.samples // 4 and moving > 0  # both shortcuts are taken,
    assert taken + moving > fast.samples // 2  # for most of the recording
    assert fast.events == slow.events
    assert fast.squats == slow.squats  # to the bit: depths and hold statistics included
    assert fast.samples == slow.samples


def _ups(n, rng):
    up = rng.normal(size=(n, 3)) * 0.05 + [0.0, 0.0, 1.0]
    return up / np.linalg.norm(up, axis=1)[:, None]


def test_tilt_speed_over_a_block_equals_step_by_step():
    rng = np.random.default_rng(5)
    n = 2000
    t = np.cumsum(rng.choice([0.005, 0.005, 0.01, 0.0049999], size=n))
    up = _ups(n, rng)
    stepped = TiltSpeed(PARAMS.tilt_speed_tau_s, PARAMS.tilt_up_tau_s)
    expected = [stepped.step(ti, tuple(ui)) for ti, ui in zip(t.tolist(), up.tolist(), strict=True)]
    block = TiltSpeed(PARAMS.tilt_speed_tau_s, PARAMS.tilt_up_tau_s)
    got = block.run(t[:700], up[:700]) + block.run(t[700:], up[700:])  # the state carries across blocks
    assert got == expected
    assert (block.speed_dps, block._up, block._last_t_s) == (stepped.speed_dps, stepped._up, stepped._last_t_s)


def test_tilt_speed_over_a_block_with_a_repeated_time_equals_step_by_step():
    rng = np.random.default_rng(6)
    t = np.cumsum(rng.choice([0.005, 0.0, 0.01], size=300))
    up = _ups(300, rng)
    stepped = TiltSpeed(PARAMS.tilt_speed_tau_s, PARAMS.tilt_up_tau_s)
    expected = [stepped.step(ti, tuple(ui)) for ti, ui in zip(t.tolist(), up.tolist(), strict=True)]
    block = TiltSpeed(PARAMS.tilt_speed_tau_s, PARAMS.tilt_up_tau_s)
    assert block.run(t[:1], up[:1]) + block.run(t[1:], up[1:]) == expected
    assert (block.speed_dps, block._up, block._last_t_s) == (stepped.speed_dps, stepped._up, stepped._last_t_s)


def test_vertical_rest_run_equals_step_by_step():
    rng = np.random.default_rng(9)
    n = 1500
    t = np.arange(n) * 0.005
    acc = (rng.normal(0.0, 0.02, n) + 0.3).tolist()  # still, the offset not yet learnt
    speed = np.abs(rng.normal(0.0, 1.0, n)).tolist()
    standing = np.zeros(n, dtype=bool)
    standing[900:] = True

    def fresh():
        tracker = VerticalTracker(**PARAMS.prefixed("vertical_"))
        for k in range(300):  # reach rest one sample at a time, the offset measured
            tracker.step(float(t[k]), acc[k], speed[k], 0.0, False)
        return tracker

    stepped, run = fresh(), fresh()
    assert run.settled_rest
    outputs = [stepped.step(float(t[k]), acc[k], speed[k], 0.0, bool(standing[k])) for k in range(300, n)]
    assert run.rest_run(t, acc, speed, 300, n, standing[300:]) == n - 300
    assert all(velocity == 0.0 for velocity, _ in outputs)
    for name in ("drop_m", "lowest_m", "_bias_m_s2", "_quiet_s", "_smooth_m_s2", "_steady_m_s2", "_last_t_s"):
        assert getattr(run, name) == getattr(stepped, name), name


def test_vertical_rest_run_stops_where_rest_ends():
    tracker = VerticalTracker(**PARAMS.prefixed("vertical_"))
    t = np.arange(400) * 0.005
    acc = [0.0] * 400
    speed = [0.0] * 300 + [30.0] * 100  # the pelvis starts to move at sample 300
    for k in range(200):  # rest, the offset measured
        tracker.step(float(t[k]), acc[k], speed[k], 0.0, False)
    assert tracker.rest_run(t, acc, speed, 200, 400) == 100
    assert tracker.at_rest and tracker._last_t_s == t[299]


@pytest.mark.parametrize("with_drop", [True, False])
def test_posture_sums_of_a_block_equal_one_by_one(with_drop):
    rng = np.random.default_rng(2)
    tilt, obliquity, drop = rng.normal(20, 3, 5000), rng.normal(0, 2, 5000), rng.normal(-0.5, 0.01, 5000)
    one, many = PostureStats(), PostureStats()
    one.add(1.5, -0.5, -0.4 if with_drop else None)
    many.add(1.5, -0.5, -0.4 if with_drop else None)
    for a, b, c in zip(tilt.tolist(), obliquity.tolist(), drop.tolist(), strict=True):
        one.add(a, b, c if with_drop else None)
    many.add_many(tilt, obliquity, drop if with_drop else None)
    assert many == one


def test_vertical_moving_run_equals_step_by_step():
    # Rest, a 20 s movement (longer than raw_window_s and max_corrected_motion_s: leak and buffer cut), then rest
    # while the offset is measured: taken in stretches of any length, as step one sample at a time.
    rng = np.random.default_rng(11)
    n = 5600
    t = np.arange(n) * 0.005
    moving = (t >= 1.0) & (t < 21.0)
    acc = np.where(moving, np.sin(t * 3.0), 0.02) + rng.normal(0.0, 0.01, n)
    speed = np.where(moving, 20.0, 0.5).tolist()
    inclination = np.where(moving, 30.0, 2.0).tolist()
    acc = acc.tolist()
    stepped = VerticalTracker(**PARAMS.prefixed("vertical_"))
    expected = [stepped.step(float(t[k]), acc[k], speed[k], inclination[k], False) for k in range(n)]
    run = VerticalTracker(**PARAMS.prefixed("vertical_"))
    k, taken, settling = 0, 0, 0
    while k < n:
        if run.moving:
            stretch = run.moving_run(t, acc, speed, k, min(n, k + int(rng.integers(1, 300))))
            m = int(rng.integers(0, len(stretch.drop_m) + 1))
            run.take_moving(stretch, m, float(t[k + m - 1]), acc[k:], inclination[k:])
            assert list(zip(stretch.velocity_m_s[:m], stretch.drop_m[:m], strict=True)) == expected[k : k + m]
            taken, settling, k = taken + m, settling + m * stretch.settling, k + m
            if m:
                continue
        run.step(float(t[k]), acc[k], speed[k], inclination[k], False)
        k += 1
    assert taken > n // 2 and settling > 0
    assert run == stepped  # every field, the movement buffer included


def test_a_run_kept_over_a_block_with_wobbles_equals_one_by_one():
    rng = np.random.default_rng(4)
    t = (np.arange(3000) * 0.01).tolist()
    stable = (rng.random(3000) < 0.7).tolist()
    tilt, obliquity, drop = (rng.normal(m, 2.0, 3000).tolist() for m in (20.0, 0.0, -0.4))
    one, many = _Run(0.0, 0.0), _Run(0.0, 0.0)
    one.tentative.add(1.0, 2.0, -0.3)  # a wobble under way
    many.tentative.add(1.0, 2.0, -0.3)
    for row in zip(t, stable, tilt, obliquity, drop, strict=True):
        if row[1]:
            one.keep(row[0], *row[2:])
        else:
            one.tentative.add(*row[2:])
    many.keep_each(t[:1700], stable[:1700], tilt[:1700], obliquity[:1700], drop[:1700])
    many.keep_each(t[1700:], stable[1700:], tilt[1700:], obliquity[1700:], drop[1700:])
    assert many == one
