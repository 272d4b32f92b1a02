"""``imuhold demo`` on a disk that fills up (a real tmpfs): a warning before it starts, a clean stop saying what was
kept, never "saved", exit status 1, and a stored session that ends as ``disk_full`` with every second kept."""

from __future__ import annotations

import re

from click.testing import CliRunner

from imuhold.cli import main
from imuhold.store import SessionStore
from tests.disks import small_disk


def test_the_demo_on_a_disk_that_fills_stops_cleanly_and_keeps_what_it_recorded(tmp_path):
    with small_disk(tmp_path / "disk", 3 << 20) as disk:
        data = disk / "data"
        args = ["demo", "--headless", "--fast", "--seconds", "1800", "--data-dir", str(data)]
        result = CliRunner().invoke(main, args)
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        assert result.exit_code == 1, result.output
        assert "warning: only" in result.output and "Recording stops cleanly when the disk is full" in result.output
        assert "saved as" not in result.output
        kept = re.search(r"disk full: ([\d.]+) s kept in session (\d+)", result.output)
        assert kept is not None, result.output
        assert result.output.count("recording stopped at") == 1  # said once, when it happened
        last_event_s = max(float(m) for m in re.findall(r"^\s*([\d.]+) s ", result.output, re.MULTILINE))
        with SessionStore.open(data) as store:
            info = store.session(int(kept[2]))
            assert info.end_reason == "disk_full" and store.integrity_check() == "ok"
        assert abs(info.duration_s - float(kept[1])) < 0.05 and info.duration_s >= last_event_s - 1.0
        history = CliRunner().invoke(main, ["history", "--text", "--data-dir", str(data)])
        assert history.exit_code == 0 and "disk_full" in history.output


def test_a_disk_already_full_still_shows_the_sessions_and_refuses_a_new_one_in_one_line(tmp_path):
    from tests.disks import fill

    with small_disk(tmp_path / "disk", 3 << 20) as disk:
        data = str(disk / "data")
        first = CliRunner().invoke(main, ["demo", "--headless", "--fast", "--seconds", "60", "--data-dir", data])
        assert first.exit_code == 0 and "saved as session 1" in first.output
        fill(disk)
        for args in (["history", "--text"], ["show", "1"], ["export", "1", "--format", "json"]):
            result = CliRunner().invoke(main, [*args, "--data-dir", data])
            assert result.exit_code == 0 and "cannot be written" in result.output, (args, result.output)
        refused = CliRunner().invoke(main, ["demo", "--headless", "--fast", "--seconds", "60", "--data-dir", data])
        assert refused.exit_code == 1 and "Disk full" in refused.output and "free some space" in refused.output
        assert "Traceback" not in refused.output and "saved as" not in refused.output
