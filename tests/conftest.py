"""Shared fixtures: where the real datasets live (skipped with a reason when they are absent)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DATASETS = Path(os.environ.get("IMUHOLD_DATASETS", REPO.parent / "shared" / "datasets"))


@pytest.fixture(scope="session")
def datasets_dir() -> Path:
    if not DATASETS.is_dir():
        pytest.skip(f"real datasets not found at {DATASETS} (set IMUHOLD_DATASETS to point at them)")
    return DATASETS


@pytest.fixture(autouse=True)
def _private_dirs(monkeypatch, tmp_path_factory):
    """Every test gets its own data and config dirs: nothing a test runs may touch the user's own files."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("IMUHOLD_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("IMUHOLD_CONFIG_DIR", str(home / "config"))
