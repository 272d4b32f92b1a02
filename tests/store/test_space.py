"""The free-space estimate: what a session needs, how long the room lasts, and the warning before a session."""

import shutil

import pytest

from imuhold.store.space import RESERVE_BYTES, bytes_needed, low_space_warning, seconds_of_room


@pytest.mark.parametrize("seconds", [10.0, 60.0, 600.0, 7200.0])
@pytest.mark.parametrize("rate_hz", [50.0, 100.0, 400.0])
def test_the_room_for_a_session_is_the_inverse_of_what_it_needs(seconds, rate_hz):
    assert seconds_of_room(rate_hz, bytes_needed(rate_hz, seconds)) == pytest.approx(seconds, rel=1e-3)


def test_no_room_beyond_the_reserve_is_no_time():
    assert seconds_of_room(100.0, RESERVE_BYTES) == 0.0 and seconds_of_room(100.0, 0) == 0.0


def test_a_two_hour_session_at_100_hz_needs_the_measured_size():
    # The demo's hour at 100 Hz measured 8.4 MB of recording and 1.7 MB of database.
    assert 20e6 < bytes_needed(100.0, 7200.0) < 30e6


def test_the_warning_says_what_is_free_what_is_needed_and_how_long_it_lasts(tmp_path):
    free = shutil.disk_usage(tmp_path).free
    assert low_space_warning(tmp_path, 100.0, 60.0) is None or free < bytes_needed(100.0, 60.0)
    seconds = 2 * free / 2400.0  # more than the disk holds
    warning = low_space_warning(tmp_path, 100.0, seconds)
    assert warning is not None and f"on the disk of {tmp_path}" in warning and "needs about" in warning
    assert "Recording stops cleanly when the disk is full, after about" in warning
