"""The data dir is tightened to owner-only when a command starts, with a one-line notice."""

from __future__ import annotations

import os
import stat

import pytest
from click.testing import CliRunner

from imuhold.cli import main


@pytest.mark.skipif(os.name == "nt", reason="Windows has no owner/group/other modes")
def test_a_data_dir_open_to_others_is_tightened_with_one_line(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    data.chmod(0o755)
    result = CliRunner().invoke(main, ["history", "--text", "--data-dir", str(data)])
    assert result.exit_code == 0, result.output
    notices = [line for line in result.output.splitlines() if "owner-only" in line]
    assert notices == [f"imuhold: {data} was open to other users (mode 0755); it is owner-only (0700) now"]
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    again = CliRunner().invoke(main, ["history", "--text", "--data-dir", str(data)])
    assert "owner-only" not in again.output
