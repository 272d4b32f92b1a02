"""``imuhold import FORMAT FILE... FOLDER``: each file becomes FOLDER/NAME.imuhold.gz; a bad one is named and the
others are still imported."""

from __future__ import annotations

from click.testing import CliRunner

from imuhold.cli import main
from imuhold.recording import read_recording
from tests.formats.builders import session, sisfall_counts, write_cmu, write_sisfall


def test_several_files_go_into_a_folder_and_a_bad_one_does_not_stop_the_others(tmp_path):
    good = [
        write_sisfall(tmp_path / "D15_SA01_R01.txt.gz", sisfall_counts(session(200.0))),
        write_cmu(tmp_path / "SqDL_01_rep1.csv", session()),
    ]
    bad = tmp_path / "notes.txt"
    bad.write_text("not data\n")
    out = tmp_path / "imported"
    result = CliRunner().invoke(main, ["import", "auto", str(good[0]), str(bad), str(good[1]), str(out)])
    assert result.exit_code == 1, result.output
    assert "notes.txt" in result.output and "not recognised" in result.output
    made = sorted(p.name for p in out.iterdir())
    assert made == ["D15_SA01_R01.imuhold.gz", "SqDL_01_rep1.imuhold.gz"]
    assert len(read_recording(out / "SqDL_01_rep1.imuhold.gz").packets) == len(session().t_s)
    again = CliRunner().invoke(main, ["import", "auto", str(good[1]), str(out)])  # OUT is a folder: goes in it
    assert again.exit_code == 1 and "exists; pass --force" in again.output
    forced = CliRunner().invoke(main, ["import", "auto", str(good[1]), str(out), "--force"])
    assert forced.exit_code == 0 and "wrote " + str(out / "SqDL_01_rep1.imuhold.gz") in forced.output


def test_one_file_to_one_recording_as_before(tmp_path):
    source = write_cmu(tmp_path / "SqDL_01_rep1.csv", session())
    result = CliRunner().invoke(main, ["import", "cmu-mbl", str(source), str(tmp_path / "one.imuhold")])
    assert result.exit_code == 0 and (tmp_path / "one.imuhold").is_file()
