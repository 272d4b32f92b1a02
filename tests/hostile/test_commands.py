"""Every command against the hostile corpus: never a traceback. A failure is one error line naming the file (or the
database, or the value) and a non-zero exit; the other files of the same call are still processed."""

from __future__ import annotations

import shutil
import traceback
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from imuhold.cli import main
from tests.disks import read_only
from tests.store.helpers import record, sample

from . import corpus

GOOD = corpus.GOOD
IMPORT_FORMATS = {
    "D01": "sisfall", "SqDL": "cmu-mbl", "dot": "dot-csv", "metabase": "metabase-csv", "export": "imuhold-csv"
}  # fmt: skip
DEMO = ("demo", "--headless", "--fast", "--seconds", "10")


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    """``imuhold ARGS`` in this process; fails the test on a traceback (an exception other than an exit)."""
    result = CliRunner().invoke(main, [str(a) for a in args], env=env, catch_exceptions=True)
    exc = result.exception
    if exc is not None and not isinstance(exc, SystemExit):
        shown = "".join(traceback.format_exception(exc))
        pytest.fail(f"imuhold {' '.join(map(str, args))} raised {exc!r}\n{shown}")
    assert "Traceback" not in result.output, result.output
    return result


def failed_naming(result: Result, *names: str) -> None:
    """A non-zero exit, and every one of ``names`` in the error output."""
    assert result.exit_code != 0, result.output
    for name in names:
        assert name in result.output, (name, result.output)


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("corpus")
    (root / "recordings").mkdir()
    (root / "foreign").mkdir()
    return {**corpus.recordings(root / "recordings"), **corpus.foreign(root / "foreign")}




def _names(kind: str) -> list[str]:
    """The case names of a corpus builder, without building the corpus (for test ids)."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        built = corpus.recordings(Path(folder)) if kind == "recordings" else corpus.foreign(Path(folder))
        return sorted(built)


RECORDING_NAMES = _names("recordings")
FOREIGN_NAMES = _names("foreign")


@pytest.mark.parametrize("name", RECORDING_NAMES + FOREIGN_NAMES)
def test_analyze_never_crashes_and_names_the_file_it_cannot_read(files, name):
    path = files[name]
    for args in (("analyze", path), ("analyze", "--json", path)):
        result = run(*args)
        if result.exit_code:
            failed_naming(result, path.name)


@pytest.mark.parametrize("name", RECORDING_NAMES)
def test_replay_never_crashes(files, name):
    result = run("replay", "--headless", "--fast", files[name])
    if result.exit_code:
        failed_naming(result, files[name].name)


@pytest.mark.parametrize("name", RECORDING_NAMES + FOREIGN_NAMES)
def test_import_never_crashes(files, name, tmp_path):
    path = files[name]
    formats = ["auto"] + [fmt for prefix, fmt in IMPORT_FORMATS.items() if name.startswith(prefix)]
    for fmt in formats:
        result = run("import", fmt, path, tmp_path / "out.imuhold", "--force")
        if result.exit_code:
            failed_naming(result, path.name)


def test_one_bad_file_among_good_ones_is_named_and_the_others_are_analysed(files, tmp_path):
    bad = [files["binary.imuhold"], files["export-nan.csv"], tmp_path / "missing.imuhold", tmp_path]
    result = run("analyze", "--json", GOOD, *bad, GOOD)
    failed_naming(result, *(p.name for p in bad))
    assert result.stdout.count('"file"') == 2  # both good files analysed


def test_import_auto_of_a_missing_file_says_no_such_file(tmp_path):
    failed_naming(run("import", "auto", tmp_path / "missing.imuhold", tmp_path / "out.imuhold"), "no such file")


def test_evaluate_names_every_damaged_file_and_exits_non_zero(tmp_path):
    folder = corpus.evaluation_folder(tmp_path / "dataset")
    result = run("evaluate", folder)
    failed_naming(result, "bad-labels.imuhold.gz", "trial_1.npz", "SqDL_01_rep3-no-pelvis.csv")
    assert "Labelled recordings" in result.stdout
    failed_naming(run("evaluate", "--json", folder), "trial_1.npz")


@pytest.mark.parametrize(
    "param", ["min_hold_s=inf", "min_hold_s=1e308", "min_hold_s=nan", "min_hold_s=-1", "min_hold_s=x", "nonesuch=1",
              "min_hold_s", "grace_s=5"],
)  # fmt: skip
def test_out_of_range_parameters_are_refused_with_the_range(param, tmp_path):
    for args in (("analyze", GOOD), ("replay", "--headless", "--fast", GOOD), ("evaluate", GOOD.parent),
                 (*DEMO, "--no-save")):  # fmt: skip
        result = run(*args, "--param", param)
        failed_naming(result, param.partition("=")[0])
        if param.startswith("min_hold_s=") and param != "min_hold_s=x":
            assert "between 0.2 and 600 s" in result.output


@pytest.mark.parametrize("name", sorted(corpus.CONFIGS))
def test_a_bad_config_is_one_error_naming_the_config_file(name, tmp_path):
    config_dir = tmp_path / "config"
    config_dir.mkdir()
    (config_dir / "config.toml").write_bytes(corpus.CONFIGS[name])
    env = {"IMUHOLD_CONFIG_DIR": str(config_dir), "IMUHOLD_DATA_DIR": str(tmp_path / "data")}
    for args in (("history", "--text"), ("show",), ("export", "last"), DEMO):
        failed_naming(run(*args, env=env), "config.toml")


@pytest.fixture(scope="module")
def sessions(tmp_path_factory) -> Path:
    """A data dir with two stored sessions."""
    folder = tmp_path_factory.mktemp("sessions") / "data"
    record(folder, sample("beginner-short-holds"))
    record(folder, sample("long-hold"))
    return folder


SESSION_COMMANDS = (
    ("history", "--text"), ("show",), ("show", "1"), ("show", "--json", "1"), ("export", "1"),
    ("export", "1", "--format", "json"), ("export", "1", "--format", "sto"),
)  # fmt: skip


@pytest.mark.parametrize("damage", corpus.DATABASE_DAMAGE)
def test_a_damaged_database_is_reported_by_every_command_with_the_way_out(sessions, damage, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(sessions, data)
    corpus.damage_database(data / "imuhold.db", damage)
    for args in SESSION_COMMANDS:
        result = run(*args, "--data-dir", data)
        if damage == "newer-schema":
            failed_naming(result, "imuhold.db", "newer than this imuhold")
        elif result.exit_code or damage in ("header", "garbage"):  # an empty file is a new database
            failed_naming(result, "imuhold.db", "move it aside")
            assert "Cannot save" not in result.output  # nothing was being saved
    result = run(*DEMO, "--data-dir", data)  # a new session may still be stored where only old rows are garbled
    if result.exit_code or damage in ("header", "garbage", "newer-schema"):
        failed_naming(result, "imuhold.db")


def test_a_read_only_data_dir_is_still_read(sessions, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(sessions, data)
    expected = {args: run(*args, "--data-dir", data).stdout for args in SESSION_COMMANDS}
    with read_only(data):
        for args in SESSION_COMMANDS:
            result = run(*args, "--data-dir", data)
            assert result.exit_code == 0, (args, result.output)
            assert result.stdout == expected[args], args
        failed_naming(run(*DEMO, "--data-dir", data), str(data))


@pytest.mark.parametrize("ref", ["99999999999999999999999", "-99999999999999999999999", "0", "-1", "abc", "1e3", ""])
def test_a_session_that_is_not_there_is_one_line(sessions, ref):
    for command in ("show", "export"):
        result = run(command, "--data-dir", sessions, "--", ref)
        failed_naming(result, "session")
        assert len(result.output.strip().splitlines()) == 1, result.output


@pytest.mark.parametrize("target", ["/dev/full", "missing-dir/out.csv", "."])
def test_export_to_where_it_cannot_be_written_is_one_line(sessions, target, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    if target == "/dev/full" and not Path(target).exists():
        pytest.skip("no /dev/full here")
    for fmt in ("csv", "json", "sto"):
        failed_naming(run("export", "1", "--format", fmt, "-o", target, "--force", "--data-dir", sessions), target)
