"""``imuhold demo`` and ``imuhold replay``: the training screen by default, printed events with --headless."""

from __future__ import annotations

import ast
import math
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from imuhold.cli import main
from imuhold.tui.logfile import close_log_file

from .helpers import SAMPLES

PACKAGE = Path(__file__).resolve().parents[2] / "imuhold"


@pytest.fixture
def opened(monkeypatch, tmp_path):
    """Replaces the app factory: records what the CLI would open instead of opening it."""
    monkeypatch.setenv("IMUHOLD_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("IMUHOLD_CONFIG_DIR", str(tmp_path / "config"))
    calls = []

    class FakeSession:
        counterweight_kg = None

        def set_counterweight(self, kg):
            self.counterweight_kg = kg

    class FakeApp:
        session = FakeSession()

        def run(self):
            calls[-1]["ran"] = True

    def fake_make_app(source, config=None, params=None, **kwargs):
        app = FakeApp()
        calls.append(
            {"source": source, "config": config, "params": params, "ran": False, "app": app, **kwargs}
        )
        return app

    monkeypatch.setattr("imuhold.tui.make_app", fake_make_app)
    yield calls
    close_log_file()


def test_demo_opens_the_training_screen_on_the_simulated_sensor(opened, tmp_path):
    result = CliRunner().invoke(main, ["demo", "--seconds", "20", "--seed", "3", "--speed", "2"])
    assert result.exit_code == 0, result.output
    (call,) = opened
    assert call["ran"] and call["source"].description == "simulated sensor (seed 3)"
    assert call["app"].session.counterweight_kg is None
    assert call["source"].speed == 2.0 and call["source"].rate_hz == 100.0
    assert call["config"].cues == "bell"  # the defaults: no config file in IMUHOLD_CONFIG_DIR
    assert (tmp_path / "data" / "imuhold.log").exists()
    assert call["recorder"].closed  # the demo stores its session; the CLI closes it if the app did not
    assert "saved as session 1" in result.output


def test_demo_counterweight_option_fills_the_session(opened):
    result = CliRunner().invoke(main, ["demo", "--seconds", "20", "--counterweight", "6"])
    assert result.exit_code == 0, result.output
    assert opened[0]["app"].session.counterweight_kg == 6.0


def test_replay_opens_the_training_screen_on_the_recording(opened):
    result = CliRunner().invoke(main, ["replay", str(SAMPLES / "lossy.imuhold.gz"), "--fast"])
    assert result.exit_code == 0, result.output
    (call,) = opened
    assert call["source"].description == "lossy.imuhold.gz" and call["source"].speed == math.inf
    assert call["recorder"] is None  # replaying is re-analysis, not a new training session


@pytest.fixture
def data_dirs(monkeypatch, tmp_path):
    monkeypatch.setenv("IMUHOLD_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("IMUHOLD_CONFIG_DIR", str(tmp_path / "config"))


def test_replay_headless_prints_events_and_the_summary(data_dirs):
    result = CliRunner().invoke(main, ["replay", "--headless", "--fast", str(SAMPLES / "routine.imuhold.gz")])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("imuhold replay: ")
    assert result.output.count("hold start") == 5 and "→ holding" in result.output
    assert "squats: 5   holds: 5" in result.output


def test_demo_headless_keeps_printing(data_dirs):
    result = CliRunner().invoke(main, ["demo", "--headless", "--fast", "--seconds", "30"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("imuhold demo: simulated sensor, seed 1, 30 s routine")
    assert "hold start" in result.output and "squats: 1   holds: 1" in result.output


def test_replay_of_a_missing_file_says_so(tmp_path):
    result = CliRunner().invoke(main, ["replay", "--headless", str(tmp_path / "nope.imuhold")])
    assert result.exit_code != 0
    assert "nope.imuhold" in result.output


def test_only_the_tui_package_imports_textual():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "tui" in path.relative_to(PACKAGE).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n == "textual" or n.startswith("textual.")]
    assert offenders == []


def test_help_does_not_load_textual():
    code = (
        "import sys\nfrom click.testing import CliRunner\nfrom imuhold.cli import main\n"
        "r = CliRunner().invoke(main, ['replay', '--help'])\nassert r.exit_code == 0, r.output\n"
        "print('textual' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
