"""SVG snapshots of the training screen, deterministic because everything shown comes from sample time.

A snapshot that differs is written next to the committed one as ``NAME.actual.svg`` for a look. After a
deliberate change of the screen, regenerate with ``IMUHOLD_UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/tui``.
Textual is pinned to a minor version; a new one may redraw a few cells and need that too.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from imuhold.tui import make_app
from imuhold.tui.messages import SourceEnded

from .helpers import held, replay, settle, shown_latest

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
UPDATE = os.environ.get("IMUHOLD_UPDATE_SNAPSHOTS") == "1"


@pytest.fixture(autouse=True)
def plain_environment(monkeypatch):
    """NO_COLOR would turn the colours off (Textual reads it when an app is made)."""
    monkeypatch.delenv("NO_COLOR", raising=False)


def check(name: str, svg: str) -> None:
    expected_path = SNAPSHOTS / f"{name}.svg"
    actual_path = SNAPSHOTS / f"{name}.actual.svg"
    if UPDATE:
        expected_path.write_text(svg, encoding="utf-8")
        actual_path.unlink(missing_ok=True)
        return
    if not expected_path.exists():
        actual_path.write_text(svg, encoding="utf-8")
        pytest.fail(f"no snapshot {expected_path.name}; wrote {actual_path.name} (IMUHOLD_UPDATE_SNAPSHOTS=1 accepts)")
    if svg != expected_path.read_text(encoding="utf-8"):
        actual_path.write_text(svg, encoding="utf-8")
        pytest.fail(f"{name} differs from {expected_path.name}; see {actual_path} (IMUHOLD_UPDATE_SNAPSHOTS=1 accepts)")
    actual_path.unlink(missing_ok=True)


@pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=["80x24", "120x36"])
async def test_mid_hold(routine, size):
    app = make_app(held(routine, 100.0), stall_after_s=None)  # 12.5 s into the fourth hold
    async with app.run_test(size=size) as pilot:
        await settle(pilot, lambda: app.session.pipeline.decode_stats.packets == len(app.source.packets))
        await shown_latest(pilot)
        check(f"mid_hold_{size[0]}x{size[1]}", app.export_screenshot())


async def test_end_of_recording(routine):
    ended = []

    def hook(message):
        if isinstance(message, SourceEnded):
            ended.append(message)

    app = make_app(replay(routine, 60.0), stall_after_s=None)
    async with app.run_test(size=(80, 24), message_hook=hook) as pilot:
        await settle(pilot, lambda: bool(ended))
        await shown_latest(pilot)
        check("end_of_recording_80x24", app.export_screenshot())


async def test_calibrating_at_start(routine):
    app = make_app(held(routine, 0.5), stall_after_s=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: app.session.pipeline.decode_stats.packets == len(app.source.packets))
        await shown_latest(pilot)
        check("calibrating_80x24", app.export_screenshot())
