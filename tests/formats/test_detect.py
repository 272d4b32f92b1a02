"""``--format auto``: every format recognised from its content, whatever the file is called."""

import gzip

import pytest

from imuhold import formats
from imuhold.errors import RecordingError
from imuhold.sim.export import write_simulation

from .builders import (
    session,
    sisfall_counts,
    write_cmu,
    write_dot,
    write_dot_server,
    write_kfall,
    write_metabase,
    write_sisfall,
)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """One file of each kind, under names that say nothing (or mislead)."""
    folder = tmp_path_factory.mktemp("detect")
    simulation = session()
    acc, gyr = write_metabase(folder, simulation)
    recording, _ = write_simulation(simulation, folder / "session.imuhold.gz")
    return {
        "sisfall": write_sisfall(folder / "data.csv", sisfall_counts(session(200.0))[:50]),
        "sisfall-gz": write_sisfall(folder / "trial.gz", sisfall_counts(session(200.0))[:50]),
        "cmu-mbl": write_cmu(folder / "walk.txt", simulation),
        "kfall": write_kfall(folder / "S06T01R01.txt", simulation),
        "kfall-gz": write_kfall(folder / "motion.gz", simulation),
        "dot-csv": write_dot(folder / "recording.imuhold", simulation, "euler"),
        "dot-server": write_dot_server(folder / "server.log.gz", simulation, ("AA:BB", "CC:DD")),
        "metabase-acc": acc,
        "metabase-gyr": gyr,
        "imuhold": recording,
    }


EXPECTED = {
    "sisfall": "sisfall",
    "sisfall-gz": "sisfall",
    "cmu-mbl": "cmu-mbl",
    "kfall": "kfall",
    "kfall-gz": "kfall",
    "dot-csv": "dot-csv",
    "dot-server": "dot-csv",
    "metabase-acc": "metabase-csv",
    "metabase-gyr": "metabase-csv",
    "imuhold": "imuhold",
}


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_each_format_is_recognised_from_content(files, kind):
    assert formats.detect_format(files[kind]) == EXPECTED[kind]


def test_other_files_are_not_recognised(tmp_path):
    (tmp_path / "readme.txt").write_text("SisFall: A Fall and Movement Dataset\n\nD01 walking\n")
    (tmp_path / "angles.csv").write_text(",LeftHipAngle,LeftHipAngle\n,ML,ML\n,X,Y\n0,1.0,2.0\n")
    (tmp_path / "binary.gz").write_bytes(gzip.compress(bytes(range(256)) * 10))
    (tmp_path / "empty").write_bytes(b"")
    for name in ("readme.txt", "angles.csv", "binary.gz", "empty"):
        assert formats.detect_format(tmp_path / name) is None, name
    with pytest.raises(RecordingError, match="not recognised as any of: sisfall, cmu-mbl"):
        formats.load(tmp_path / "readme.txt")


def test_auto_loading_refuses_a_recording(files):
    with pytest.raises(RecordingError, match="already an imuhold recording"):
        formats.load(files["imuhold"])


@pytest.mark.parametrize("kind", ["sisfall", "cmu-mbl", "kfall", "dot-csv", "metabase-acc"])
def test_auto_loading_uses_the_recognised_importer(files, kind):
    assert formats.load(files[kind]).source == EXPECTED[kind]


@pytest.mark.datasets
def test_real_files_are_recognised(datasets_dir):
    sisfall = next((datasets_dir / "sisfall" / "D15").glob("*.txt.gz"), None)
    cmu = next((datasets_dir / "cmu-mbl-sub22" / "parsed_h5_csv").rglob("*.csv.gz"), None)
    kfall = sorted((datasets_dir / "kfall").rglob("*.csv.gz"))
    if sisfall is None or cmu is None or not kfall:
        pytest.skip("SisFall, CMU-MBL or KFall files missing from the datasets")
    assert formats.detect_format(sisfall) == "sisfall"
    assert formats.detect_format(cmu) == "cmu-mbl"
    assert {formats.detect_format(path) for path in kfall} == {"kfall"}
    for other in (
        datasets_dir / "cmu-mbl-sub22" / "rep_windows_DERIVED.csv",
        datasets_dir / "sisfall" / "Readme_original.txt",
    ):
        assert formats.detect_format(other) is None
    angles = next((datasets_dir / "cmu-mbl-sub22" / "parsed_joint_angles_all").rglob("*.csv.gz"), None)
    assert angles is None or formats.detect_format(angles) is None
