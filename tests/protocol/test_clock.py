"""Host-clock sample times for sensors without a device clock: spacing, steering, gaps, coalesced frames."""

from __future__ import annotations

import itertools

import pytest

from imuhold.protocol.clock import HostClock

MS = 1_000_000


def test_first_notification_spreads_its_frames_back_from_arrival() -> None:
    times, lost = HostClock(50.0).stamp(1000 * MS, 4)
    assert times == pytest.approx([0.94, 0.96, 0.98, 1.0])
    assert lost == 0


def test_jittery_arrivals_keep_nominal_spacing() -> None:
    clock = HostClock(100.0)
    jitter_ms = [0, 7, 2, 9, 1, 5, 8, 0, 3, 6] * 20
    times = [clock.stamp((10 * k + j) * MS, 1)[0][0] for k, j in enumerate(jitter_ms)]
    steps = [b - a for a, b in itertools.pairwise(times)]
    assert min(steps) > 0.0095
    assert max(steps) < 0.0105


def test_a_fast_device_is_followed_without_inventing_gaps() -> None:
    clock = HostClock(100.0)  # the device really runs at 102 Hz
    lost = 0
    for k in range(3000):
        times, n = clock.stamp(round(k * 1e9 / 102), 1)
        lost += n
    assert lost == 0
    assert times[0] == pytest.approx(2999 / 102, abs=0.02)


def test_a_slow_device_never_runs_ahead_of_arrival_by_much() -> None:
    clock = HostClock(100.0)  # the device really runs at 97 Hz
    for k in range(3000):
        (t_s,), _ = clock.stamp(round(k * 1e9 / 97), 1)
    assert t_s == pytest.approx(2999 / 97, abs=0.02)


def test_a_gap_resyncs_and_counts_the_missing_frames() -> None:
    clock = HostClock(100.0)
    for k in range(10):
        clock.stamp(10 * k * MS, 1)
    times, lost = clock.stamp(590 * MS, 1)  # frames 10..58 never arrived
    assert lost == 49
    assert times == pytest.approx([0.59])


def test_a_gap_without_a_catch_up_burst_stays_lost() -> None:
    clock = HostClock(100.0)
    total = sum(clock.stamp(10 * k * MS, 1)[1] for k in range(10))
    total += sum(clock.stamp(10 * k * MS, 1)[1] for k in range(59, 300))  # on schedule after the gap, for 2.4 s
    assert total == 49


def test_frames_that_arrive_late_in_a_burst_are_not_lost() -> None:
    # The e2e VM: a 0.13 s stall of 4-frame notifications every 40 ms, then the late ones within half a millisecond.
    clock = HostClock(100.0)
    arrivals_ms = [40 * k for k in range(10)] + [400 + 130, 530.2, 530.4, 530.6] + [40 * k for k in range(14, 40)]
    counted = [clock.stamp(round(a * MS), 4)[1] for a in arrivals_ms]
    assert counted[10] > 0  # counted lost when the stall is seen
    assert sum(counted) == 0  # and taken back when its frames turn up
    assert all(n >= 0 for n in counted[14:])


def test_the_start_of_a_stream_counts_no_loss() -> None:
    # As the e2e VM's emulated WitMotion starts: one frame, then batches of four, 0.1–0.18 s apart at first.
    clock = HostClock(100.0)
    arrivals_ms = [0, 103, 237] + [237 + 40 * k for k in range(1, 30)]
    frames = [1, 1] + [4] * 30
    assert sum(clock.stamp(a * MS, n)[1] for a, n in zip(arrivals_ms, frames, strict=True)) == 0


def test_times_always_increase_even_for_bunched_arrivals() -> None:
    clock = HostClock(100.0)
    times: list[float] = []
    for event in range(50):  # 4 frames per 40 ms connection event, one host time each
        times += clock.stamp(40 * event * MS, 4)[0]
    assert all(b > a for a, b in itertools.pairwise(times))


def test_rate_must_be_positive() -> None:
    with pytest.raises(ValueError):
        HostClock(0.0)
