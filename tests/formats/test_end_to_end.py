"""A simulated session exported in each foreign format, imported and analysed: the same squats and holds come out,
and ``analyze --format X FILE`` in memory equals ``import X FILE OUT`` then ``analyze OUT``."""

import json

import pytest
from click.testing import CliRunner

from imuhold.analysis import analyze_recording
from imuhold.cli import main
from imuhold.evaluation.events import EventScore

from .builders import session, sisfall_counts, write_cmu, write_dot, write_kfall, write_metabase, write_sisfall


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    folder = tmp_path_factory.mktemp("exports")
    return {
        "sisfall": write_sisfall(folder / "D15_SA01_R01.txt.gz", sisfall_counts(session(200.0))),
        "cmu-mbl": write_cmu(folder / "SqDL_01_rep1.csv.gz", session()),
        "kfall": write_kfall(folder / "S06T02R01.csv.gz", session()),
        "dot-csv": write_dot(folder / "dot.csv", session(), "quat"),
        "dot-csv-euler": write_dot(folder / "dot-euler.csv", session(), "euler"),
        "dot-csv-rate": write_dot(folder / "dot-rate.csv", session(), "rate"),
        "metabase-csv": write_metabase(folder, session())[0],
    }


@pytest.mark.parametrize(
    "kind", ["sisfall", "cmu-mbl", "kfall", "dot-csv", "dot-csv-euler", "dot-csv-rate", "metabase-csv"]
)
def test_the_simulated_squats_and_holds_are_found(exports, kind):
    analysis, warnings = analyze_recording(exports[kind])
    assert not warnings
    score = EventScore(tolerance_s=0.5)
    score.add(session().labels, analysis.squats)
    assert (score.squats_missed, score.squats_false, score.holds_missed, score.holds_false) == (0, 0, 0, 0), (
        score.to_dict()
    )
    assert score.event_f1 >= 0.99, score.to_dict()  # measured 1.0 for every format


@pytest.mark.parametrize("fmt", ["sisfall", "kfall", "dot-csv"])
def test_import_then_analyze_equals_analyze_in_memory(exports, tmp_path, fmt):
    runner = CliRunner()
    out = tmp_path / "imported.imuhold.gz"
    result = runner.invoke(main, ["import", "auto", str(exports[fmt]), str(out)])
    assert result.exit_code == 0, result.output
    assert f"from {fmt}" in result.output
    direct = runner.invoke(main, ["analyze", "--json", "--format", fmt, str(exports[fmt])])
    via_file = runner.invoke(main, ["analyze", "--json", str(out)])
    assert direct.exit_code == 0 and via_file.exit_code == 0, direct.output + via_file.output
    a, b = json.loads(direct.output), json.loads(via_file.output)
    assert a.pop("file") != b.pop("file")
    assert a == b
    assert a["squats"], a


def test_import_refuses_to_overwrite_and_reports_bad_input(exports, tmp_path):
    runner = CliRunner()
    out = tmp_path / "x.imuhold"
    out.write_text("keep me")
    result = runner.invoke(main, ["import", "sisfall", str(exports["sisfall"]), str(out)])
    assert result.exit_code != 0 and "--force" in result.output and out.read_text() == "keep me"
    result = runner.invoke(main, ["import", "cmu-mbl", str(exports["sisfall"]), str(tmp_path / "y.imuhold")])
    assert result.exit_code != 0 and "Cannot read recording" in result.output
    result = runner.invoke(main, ["import", "cmu-mbl", str(exports["cmu-mbl"]), str(tmp_path / "z.imuhold"),
                                  "--sensor", "Nose"])  # fmt: skip
    assert result.exit_code != 0 and "no sensor 'Nose'" in result.output


def test_analyze_reads_foreign_files_beside_recordings(exports):
    result = CliRunner().invoke(main, ["analyze", "--json", str(exports["cmu-mbl"]), str(exports["metabase-csv"])])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [len(doc["squats"]) for doc in lines] == [2, 2]
