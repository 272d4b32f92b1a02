"""The session commands: the headless demo stores its session; history, show and export read it back."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from imuhold.cli import main
from imuhold.store import DB_NAME, SessionStore

from .helpers import record, sample

DEMO = ["demo", "--headless", "--fast", "--seconds", "30"]


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory) -> Path:
    data_dir = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(main, [*DEMO, "--data-dir", str(data_dir), "--counterweight", "8"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("imuhold demo: simulated sensor")
    assert result.output.rstrip().endswith("saved as session 1 (imuhold show 1)")
    return data_dir


def test_the_headless_demo_stores_a_completed_session(demo_dir):
    with SessionStore.open(demo_dir) as store:
        (info,) = store.sessions()
        assert info.end_reason == "completed" and info.sensor == "simulated sensor (seed 1)"
        assert info.holds == 1 and info.counterweight_kg == 8.0 and info.target_hold_s == 30.0
        assert info.duration_s == pytest.approx(30.0, abs=0.05)
        assert (demo_dir / info.recording).is_file()


def test_the_demo_honours_imuhold_data_dir_and_no_save(tmp_path, monkeypatch):
    monkeypatch.setenv("IMUHOLD_DATA_DIR", str(tmp_path / "env"))
    assert CliRunner().invoke(main, DEMO).exit_code == 0
    assert (tmp_path / "env" / DB_NAME).is_file()
    result = CliRunner().invoke(main, [*DEMO, "--no-save", "--data-dir", str(tmp_path / "none")])
    assert result.exit_code == 0 and "saved as" not in result.output
    assert not (tmp_path / "none").exists()


def test_show_prints_the_session_as_text_and_json(demo_dir):
    result = CliRunner().invoke(main, ["show", "--data-dir", str(demo_dir)])  # SESSION defaults to last
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("session 1 ") and "counterweight 8 kg" in lines[1]
    assert any(line.startswith("  hold ") and "━" in line for line in lines)
    assert lines[-1].startswith("1  0:") and "+" in lines[-1]  # the holds table
    doc = json.loads(CliRunner().invoke(main, ["show", "1", "--json", "--data-dir", str(demo_dir)]).output)
    assert doc["session"]["counterweight_kg"] == 8.0 and doc["totals"]["holds"] == 1


def test_history_as_text_when_not_on_a_terminal(demo_dir):
    result = CliRunner().invoke(main, ["history", "--data-dir", str(demo_dir)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("next target: keep 30 s")
    assert lines[2].split()[:2] == ["id", "date"] and lines[3].split()[0] == "1" and "8 kg" in lines[3]


def test_an_empty_data_dir_says_there_are_no_sessions(tmp_path):
    result = CliRunner().invoke(main, ["show", "last", "--data-dir", str(tmp_path)])
    assert result.exit_code == 1 and "No such session" in result.output and "no sessions yet" in result.output
    assert "no sessions yet" in CliRunner().invoke(main, ["history", "--data-dir", str(tmp_path)]).output


def test_commands_report_the_sessions_they_recover(tmp_path):
    recorder, _ = record(tmp_path, sample(), stop_after=900, close=False)
    recorder.tick()
    recorder.store.close()
    recorder.store = None
    recorder._lock.release()  # as if killed
    recorder.writer.close()
    result = CliRunner().invoke(main, ["show", "last", "--data-dir", str(tmp_path)])
    assert result.exit_code == 0
    assert "imuhold: session 1 " in result.output and "was interrupted" in result.output
    assert "interrupted" in result.output.splitlines()[1]


def test_session_files_are_owner_only(demo_dir):
    if os.name == "nt":
        pytest.skip("Windows ignores file modes")
    for path in [demo_dir / DB_NAME, *(demo_dir / "recordings").iterdir()]:
        assert path.stat().st_mode & 0o077 == 0, path
