"""Fixtures for the TUI tests: the demo routine recording."""

from __future__ import annotations

import pytest

from imuhold.recording import read_recording

from .helpers import SAMPLES


@pytest.fixture(scope="session")
def routine():
    return read_recording(SAMPLES / "routine.imuhold.gz")
