"""The core (protocol, motion, detect, pipeline) imports without textual, bleak, bumble or sqlite3."""

import subprocess
import sys

CORE = ["imuhold.protocol", "imuhold.motion.orientation", "imuhold.detect.hold", "imuhold.pipeline"]
FORBIDDEN = ["textual", "bleak", "bumble", "sqlite3"]


def test_core_imports_without_ui_ble_or_database():
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in CORE)
        + f"print(','.join(m for m in {FORBIDDEN!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_help_does_not_import_the_pipeline():
    code = (
        "import sys\nfrom click.testing import CliRunner\nfrom imuhold.cli import main\n"
        "r = CliRunner().invoke(main, ['--help'])\nassert r.exit_code == 0, r.output\n"
        "print('numpy' in sys.modules, 'imuhold.pipeline' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
