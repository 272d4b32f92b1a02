"""Gaps in the data (packets cut out of simulated sessions): a hold survives a short gap at the same posture with its
unobserved seconds counted, a long gap ends it at its last sample, and nothing is inferred across a gap."""

from __future__ import annotations

import functools

import pytest

from imuhold import sim
from imuhold.detect.params import DetectorParams
from imuhold.model import Packet, Squat
from imuhold.pipeline import Analysis, Pipeline
from imuhold.protocol import get_profile


@functools.cache
def simulation(seed: int) -> sim.Simulation:
    return sim.simulate(sim.SCENARIOS["routine"](seed), seed)


def cut(seed: int, from_s: float, to_s: float) -> list[Packet]:
    """The routine's packets without those received in [from_s, to_s) (seconds from the first)."""
    packets = simulation(seed).packets
    t0 = packets[0].t_host_ns
    return [p for p in packets if not from_s <= (p.t_host_ns - t0) / 1e9 < to_s]


def batch(packets: list[Packet], block_packets: int | None = None) -> Analysis:
    pipeline = Pipeline(get_profile("imuhold-v1"), 100.0)
    return pipeline.run(packets) if block_packets is None else pipeline.run(packets, block_packets)


def streaming(packets: list[Packet]) -> Analysis:
    pipeline = Pipeline(get_profile("imuhold-v1"), 100.0)
    for packet in packets:
        pipeline.feed(packet)
    pipeline.finish()
    return pipeline.analysis()


def spans(squats: list[Squat]) -> list[tuple[float, float, list[tuple[float, float]]]]:
    return [(s.entry_s, s.exit_s, [(h.start_s, h.end_s) for h in s.holds]) for s in squats]


def assert_same_squats(found: list[Squat], expected: list[Squat], tol_s: float = 0.02) -> None:
    assert len(found) == len(expected), (spans(found), spans(expected))
    for a, b in zip(found, expected, strict=True):
        assert a.entry_s == pytest.approx(b.entry_s, abs=tol_s) and a.exit_s == pytest.approx(b.exit_s, abs=tol_s)
        assert len(a.holds) == len(b.holds), (spans(found), spans(expected))
        for ha, hb in zip(a.holds, b.holds, strict=True):
            assert (ha.start_s, ha.end_s) == pytest.approx((hb.start_s, hb.end_s), abs=tol_s)


def test_a_short_gap_inside_a_hold_keeps_it_and_counts_its_unobserved_seconds():
    whole = batch(cut(3, 0.0, 0.0))
    gapped = batch(cut(3, 90.0, 93.0))  # inside the 4th hold (83.6–106.4 s)
    assert_same_squats(gapped.squats, whole.squats)
    holds = [h for s in gapped.squats for h in s.holds]
    assert [h.unobserved_s for h in whole.squats[3].holds] == [0.0]
    (held,) = [h for h in holds if h.start_s < 90.0 < 93.0 < h.end_s]
    assert held.unobserved_s == pytest.approx(3.0, abs=0.03)  # the gap between the samples around it
    assert sum(h.unobserved_s for h in holds) == held.unobserved_s


def test_a_long_gap_inside_a_hold_ends_it_at_its_last_sample():
    whole = batch(cut(3, 0.0, 0.0))
    packets = cut(3, 140.0, 152.0)  # 12 s inside the last hold (127.1–167.1 s)
    gapped = batch(packets)
    first, *rest = [h for s in gapped.squats for h in s.holds if h.start_s > 120.0]
    assert first.start_s == pytest.approx(whole.squats[-1].holds[0].start_s, abs=0.02)
    assert 139.9 <= first.end_s < 140.0 and first.unobserved_s == 0.0  # its last observed sample
    assert len(rest) == 1 and rest[0].start_s >= 152.0 and rest[0].unobserved_s == 0.0  # a new hold after the gap
    assert len(gapped.squats) == len(whole.squats)  # still one squat


@pytest.mark.parametrize(("seed", "from_s", "to_s"), [(1, 25.1, 25.6), (1, 24.6, 25.6), (1, 22.6, 25.6),
                                                       (1, 15.6, 25.6), (1, 19.6, 29.6), (2, 47.5, 57.5),
                                                       (2, 56.5, 57.5), (3, 24.0, 28.5)])  # fmt: skip
def test_a_gap_ending_mid_walk_makes_up_no_descent(seed, from_s, to_s):
    """The data comes back in the middle of the routine's walk: no phantom squat, and the next squat is found.
    (Before the gap rule, integrating across the gap made a descent of the walk: 1 squat of 5 for seed 1.)"""
    walk = next(d for d in simulation(seed).labels.distractors if d.kind == "walk")
    assert walk.start_s < to_s < walk.end_s
    whole = batch(cut(seed, 0.0, 0.0))
    gapped = batch(cut(seed, from_s, to_s))
    after = [s for s in gapped.squats if s.entry_s > from_s]
    assert_same_squats(after, [s for s in whole.squats if s.entry_s > from_s], tol_s=0.05)
    assert all(h.unobserved_s == 0.0 for s in after for h in s.holds)


def test_a_squat_whose_descent_ends_after_a_gap_is_measured_from_the_rest_after_it():
    """The second squat descends at 34.5–36.3 s: the part after a 1 s gap is integrated back from the rest at the
    bottom, enough depth for a squat; its entry is dated no earlier than the data."""
    whole = batch(cut(3, 0.0, 0.0))
    gapped = batch(cut(3, 34.0, 35.0))
    assert len(gapped.squats) == len(whole.squats)
    squat, expected = gapped.squats[1], whole.squats[1]
    assert 33.99 <= squat.entry_s <= 35.01 and squat.exit_s == pytest.approx(expected.exit_s, abs=0.02)
    assert squat.depth_m is not None and squat.depth_m <= -0.17
    (hold,), (expected_hold,) = squat.holds, expected.holds
    assert hold.end_s == pytest.approx(expected_hold.end_s, abs=0.02)
    assert 35.0 <= hold.start_s <= expected_hold.start_s + 0.3 and hold.unobserved_s == 0.0


def test_a_descent_hidden_in_a_gap_is_not_inferred():
    """A 3 s gap hides the second squat's whole descent: its depth was never seen, so it is not counted (as a
    stoop would not be); the squats around it are unchanged."""
    whole = batch(cut(3, 0.0, 0.0))
    gapped = batch(cut(3, 33.5, 36.5))
    assert_same_squats(gapped.squats, [s for i, s in enumerate(whole.squats) if i != 1])


def test_a_gap_while_standing_changes_nothing():
    whole = batch(cut(3, 0.0, 0.0))
    gapped = batch(cut(3, 50.0, 52.0))  # standing between the 2nd and 3rd squats
    assert_same_squats(gapped.squats, whole.squats)
    assert all(h.unobserved_s == 0.0 for s in gapped.squats for h in s.holds)


def test_the_longest_gap_a_hold_survives_is_a_parameter():
    packets = cut(3, 140.0, 149.5)  # 9.5 s between the samples around it
    kept = batch(packets)
    (held,) = [h for s in kept.squats for h in s.holds if h.start_s < 140.0 < 149.5 < h.end_s]
    assert held.unobserved_s == pytest.approx(9.5, abs=0.03)
    strict = Pipeline(get_profile("imuhold-v1"), 100.0, DetectorParams(gap_hold_max_s=9.0)).run(packets)
    assert not any(h.start_s < 140.0 < 149.5 < h.end_s for s in strict.squats for h in s.holds)


@pytest.mark.parametrize(("seed", "from_s", "to_s"), [(3, 90.0, 93.0), (3, 140.0, 152.0), (1, 19.6, 29.6),
                                                       (3, 50.0, 52.0)])  # fmt: skip
def test_streaming_and_batch_agree_across_gaps(seed, from_s, to_s):
    packets = cut(seed, from_s, to_s)
    expected = batch(packets)
    for found in (streaming(packets), batch(packets, 7), batch(packets, 1000)):
        assert found.squats == expected.squats
        assert found.events == expected.events
