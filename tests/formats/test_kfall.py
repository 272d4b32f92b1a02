"""KFall importer: units, file names, damaged files, and real trials (gravity, gyro units and axes)."""

import gzip

import numpy as np
import pytest
from click.testing import CliRunner

from imuhold.analysis import analyze_recording
from imuhold.cli import main
from imuhold.errors import RecordingError
from imuhold.formats import dot_csv, kfall
from imuhold.formats.base import ImportOptions
from imuhold.motion.quaternion import conjugate_array, multiply_array
from imuhold.units import STANDARD_GRAVITY_M_S2 as G

from .axes import gyro_fits
from .builders import KFALL_HEADER, session, write_kfall

ROWS = "0.01,1,-0.049,-1.015,0.015,-3.2658606,0.572958,0.7448454,85.7,-2.3,-24.1\n"
"""The first row of S06T01R01 (Euler angles rounded)."""


def test_units_and_names_of_the_readme(tmp_path):
    path = tmp_path / "S06T13R02.csv"
    path.write_text(f"{KFALL_HEADER}\n{ROWS}0.02,2,0,0,1,0,0,-90,0,0,0\n")
    imported = kfall.load(path)
    np.testing.assert_allclose(imported.t_s, [0.0, 0.01])
    np.testing.assert_allclose(imported.acc_m_s2, np.array([[-0.049, -1.015, 0.015], [0, 0, 1]]) * G)
    np.testing.assert_allclose(imported.gyr_rad_s[0], np.radians([-3.2658606, 0.572958, 0.7448454]))
    np.testing.assert_allclose(imported.gyr_rad_s[1], [0.0, 0.0, -np.pi / 2])
    assert imported.quat is None and imported.rate_hz == 100.0
    assert {k: imported.meta[k] for k in ("subject", "task", "trial")} == {
        "subject": "SA06", "task": "T13", "trial": "R02"
    }  # fmt: skip
    assert kfall.identity("SA11T05R04.csv.gz") == {"subject": "SA11", "task": "T05", "trial": "R04"}
    assert kfall.identity("walk.csv") == {}


def test_simulated_values_round_trip_and_its_squats_are_found(tmp_path):
    simulation = session()
    path = write_kfall(tmp_path / "S07T02R01.csv.gz", simulation)
    imported = kfall.load(path)
    assert np.abs(imported.acc_m_s2 - simulation.acc_m_s2).max() < 1e-6 * G
    assert np.abs(imported.gyr_rad_s - simulation.gyr_rad_s).max() < np.radians(1e-6)
    np.testing.assert_allclose(imported.t_s, simulation.t_s - simulation.t_s[0], atol=1e-6)
    analysis, warnings = analyze_recording(path)  # recognised from its content
    assert warnings == []
    assert [round(s.entry_s) for s in analysis.squats] == pytest.approx([5, 26], abs=1)


def test_malformed_rows_are_skipped_and_named_by_line(tmp_path):
    path = tmp_path / "S06T01R01.csv"
    path.write_text(f"{KFALL_HEADER}\n{ROWS}0.02,2,1,2\n0.03,3,x,0,0,0,0,0,0,0,0\n\n0.04,4,0,0,1,0,0,0,0,0,0\n")
    imported = kfall.load(path)
    assert imported.samples == 2
    assert any(w == f"{path}: skipped 2 malformed row(s) at line 3, 4" for w in imported.warnings)


def test_gaps_and_repeated_times_are_reported(tmp_path):
    path = tmp_path / "S06T01R01.csv"
    rows = ["0.01,1,0,0,1,0,0,0", "0.02,2,0,0,1,0,0,0", "0.02,2,0,0,1,0,0,0", "0.06,6,0,0,1,0,0,0"]
    path.write_text("\n".join([KFALL_HEADER, *rows]) + "\n")
    imported = kfall.load(path)
    np.testing.assert_allclose(imported.t_s, [0.0, 0.01, 0.05])
    assert imported.meta["frames_missing"] == 3
    assert any("dropped 1 sample(s) whose time did not advance" in w for w in imported.warnings)
    assert any("3 frame(s) missing" in w for w in imported.warnings)


def test_bad_files_are_one_error_line_naming_file_and_line(tmp_path):
    wrong = tmp_path / "S06T01R01.csv"
    wrong.write_text("\nTime,Frame,AccX,AccY,AccZ,GyrX,GyrY,GyrZ\n0.01,1,0,0,1,0,0,0\n")
    with pytest.raises(RecordingError, match=rf"^{wrong}:2: not a KFall file"):
        kfall.load(wrong, None)
    header_only = tmp_path / "S06T02R01.csv"
    header_only.write_text(KFALL_HEADER + "\n")
    with pytest.raises(RecordingError, match="no KFall samples after the header"):
        kfall.load(header_only)
    with pytest.raises(RecordingError, match="Euler angles are not read"):
        kfall.load(header_only, ImportOptions(orientation="quat"))
    result = CliRunner().invoke(main, ["analyze", "--format", "kfall", str(wrong)])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"imuhold: Cannot read recording: {wrong}:2: not a KFall file: the header should start with "
        "TimeStamp(s),FrameCounter,AccX,AccY,AccZ,GyrX,GyrY,GyrZ"
    ]


@pytest.fixture(scope="module")
def real(datasets_dir):
    folder = datasets_dir / "kfall"
    if not folder.is_dir():
        pytest.skip("no KFall folder in the datasets")
    return folder


@pytest.mark.datasets
def test_real_standing_reads_gravity_on_minus_y(real):
    files = sorted((real / "T01").glob("*.csv.gz"))
    assert files
    for path in files:
        imported = kfall.load(path)
        assert imported.rate_hz == 100.0 and imported.meta["frames_missing"] == 0 and not imported.warnings
        standing = imported.acc_m_s2.mean(axis=0) / G
        assert -1.02 < standing[1] < -0.98, path.name  # measured −1.008 … −0.995 g (the README: AccY ≈ −1 g)
        assert np.linalg.norm(standing) == pytest.approx(1.0, abs=0.02)  # measured 1.006–1.009 g
        with gzip.open(path, "rt") as file:
            assert kfall.sniff(file.read(2000))


def _euler_body_rate(path) -> tuple[np.ndarray, np.ndarray]:
    """(body rate from the file's own Euler angles, gyro as imported), both rad/s, rows where both are defined."""
    with gzip.open(path, "rt") as file:
        euler = np.loadtxt(file, delimiter=",", skiprows=1, usecols=(8, 9, 10))
    quat = dot_csv.euler_to_quat(euler)  # roll, pitch, yaw about X, Y, Z; R = Rz·Ry·Rx
    flips = np.concatenate(([1.0], np.where(np.sum(quat[1:] * quat[:-1], axis=1) < 0, -1.0, 1.0))).cumprod()
    quat = quat * flips[:, None]  # one hemisphere, so the difference below is a derivative
    rate = 2.0 * multiply_array(conjugate_array(quat[1:-1]), (quat[2:] - quat[:-2]) * 50.0)[:, 1:]
    return rate, kfall.load(path).gyr_rad_s[1:-1]


@pytest.mark.datasets
def test_real_gyro_is_in_degrees_per_second_about_the_accelerometer_axes(real):
    files = sorted((real / "T02").glob("*.csv.gz"))[:12] + sorted((real / "T05").glob("*.csv.gz"))[:6]
    assert files
    rates, gyros = zip(*(_euler_body_rate(p) for p in files), strict=True)
    rate, gyro = np.concatenate(rates), np.concatenate(gyros)
    for axis in range(3):
        scale = np.sum(rate[:, axis] * gyro[:, axis]) / np.sum(gyro[:, axis] ** 2)
        assert 0.95 < scale < 1.05, (axis, scale)  # measured 1.013, 0.986, 0.983: °/s (rad/s would be 57)
        assert np.corrcoef(rate[:, axis], gyro[:, axis])[0, 1] > 0.98  # measured 0.998, 0.996, 0.992
    fits = gyro_fits([kfall.load(p) for p in files], window_s=0.4)
    assert fits["as given"] > 0.7, fits  # measured 0.77 (−x −2.0, −y 0.71, −z 0.62)
    assert fits["as given"] == max(fits.values()), fits


def _blocks_equal_load(path, block_chars):
    imported = kfall.load(path)
    warnings = []
    blocks = list(kfall.load_blocks(path, None, warnings, block_chars=block_chars))
    for name in ("t_s", "acc_m_s2", "gyr_rad_s"):
        np.testing.assert_array_equal(np.concatenate([getattr(b, name) for b in blocks]), getattr(imported, name))
    assert {b.rate_hz for b in blocks} == {imported.rate_hz}
    assert all(b.meta == imported.meta for b in blocks)
    assert warnings == list(imported.warnings)
    return blocks, imported


def test_a_long_file_read_in_blocks_is_the_file_read_whole(tmp_path):
    rows = [f"{0.01 * i:.2f},{i},0,-1,0.01,0.5,-0.25,{i % 7}" for i in range(1, 400)]
    rows[50] = rows[49]  # a repeated time, dropped
    rows[120] = "0.3,x,1"  # malformed, named by its line
    del rows[200:203]  # frames missing
    rows[300] = rows[300].replace("0.5,", "0.51,")
    path = tmp_path / "S06T01R01.csv"
    path.write_text("\n\n" + "\n".join([KFALL_HEADER, *rows]) + "\n")
    blocks, imported = _blocks_equal_load(path, 300)
    assert len(blocks) > 10
    assert imported.meta["frames_missing"] == 5 and len(imported.warnings) == 3  # 3 deleted, 2 from the others
    assert f"{path}: skipped 1 malformed row(s) at line 124" in imported.warnings
    one, _ = _blocks_equal_load(path, 1 << 22)  # one block: load itself
    assert len(one) == 1


@pytest.mark.datasets
def test_real_trials_read_in_blocks_are_the_trials_read_whole(datasets_dir):
    paths = sorted((datasets_dir / "kfall").glob("*/*.csv.gz"))[::40]
    if not paths:
        pytest.skip("no KFall trials in the datasets folder")
    for path in paths:
        blocks, _ = _blocks_equal_load(path, 5000)
        assert len(blocks) > 3
