"""CMU-MBL importer: choosing a sensor, the quaternion convention, and the real SUB22 files."""

import numpy as np
import pytest

from imuhold.errors import RecordingError
from imuhold.formats import cmu_mbl
from imuhold.formats.base import ImportOptions
from imuhold.motion.quaternion import conjugate_array, rotate_array

from .builders import session, write_cmu


@pytest.fixture(scope="module")
def cmu_file(tmp_path_factory):
    return write_cmu(tmp_path_factory.mktemp("cmu") / "SqDL_01_rep1.csv.gz", session())


def test_the_pelvis_is_taken_by_default_with_its_quaternion(cmu_file):
    simulation = session()
    imported = cmu_mbl.load(cmu_file)
    assert imported.meta["sensor"] == "Pelvis" and imported.meta["orientation"] == "sensor quaternion"
    assert imported.meta["t0_s"] == 0.95 and imported.t_s[0] == 0.0
    assert imported.rate_hz == 100.0
    np.testing.assert_allclose(imported.t_s, simulation.t_s, atol=1e-6)
    np.testing.assert_allclose(np.abs(np.sum(imported.quat * simulation.quat, axis=1)), 1.0, atol=1e-6)
    np.testing.assert_allclose(imported.acc_m_s2, simulation.acc_m_s2, atol=1e-6)
    assert imported.meta["quat_gravity_mismatch_deg"] < 1.0


def test_another_sensor_and_the_imu_path(cmu_file):
    chest = cmu_mbl.load(cmu_file, ImportOptions(sensor="chest"))
    assert chest.meta["sensor"] == "chest" and np.allclose(chest.acc_m_s2, [0.0, 0.0, 9.80665])
    fused = cmu_mbl.load(cmu_file, ImportOptions(orientation="imu"))
    assert fused.quat is None and fused.frame_type == "gyr_acc"


def test_an_unknown_sensor_names_the_known_ones(cmu_file):
    with pytest.raises(RecordingError, match=r"no sensor 'LeftWrist'.*Chest, Pelvis, RightThigh"):
        cmu_mbl.load(cmu_file, ImportOptions(sensor="LeftWrist"))


def test_a_quaternion_of_the_other_convention_falls_back_to_acc_and_gyro(tmp_path):
    simulation = session()
    flipped = type(simulation).__new__(type(simulation))
    for name in simulation.__dataclass_fields__:
        object.__setattr__(flipped, name, getattr(simulation, name))
    object.__setattr__(flipped, "quat", simulation.quat * np.array([1.0, -1.0, -1.0, -1.0]))  # earth → sensor
    path = write_cmu(tmp_path / "conjugate.csv", flipped)
    imported = cmu_mbl.load(path)
    assert imported.quat is None and imported.meta["quat_gravity_mismatch_deg"] > 20
    assert any("disagrees with gravity" in w for w in imported.warnings)
    with pytest.raises(RecordingError, match="disagrees with gravity"):
        cmu_mbl.load(path, ImportOptions(orientation="quat"))


@pytest.fixture(scope="module")
def sub22(datasets_dir):
    folder = datasets_dir / "cmu-mbl-sub22" / "parsed_h5_csv" / "SUB22"
    if not folder.is_dir():
        pytest.skip("no CMU-MBL SUB22 folder in the datasets")
    return folder


@pytest.mark.datasets
def test_real_quaternions_rotate_sensor_to_earth_with_z_up(sub22):
    """The mean of R(q)·acc points up for every real window; for the transposed convention it mostly does not."""
    paths = sorted(sub22.glob("*/*.csv.gz"))
    assert len(paths) >= 60
    as_given, transposed = [], []
    for path in paths:
        imported = cmu_mbl.load(path)
        assert imported.quat is not None, path.name
        as_given.append(imported.meta["quat_gravity_mismatch_deg"])
        transposed.append(cmu_mbl.gravity_mismatch_deg(conjugate_array(imported.quat), imported.acc_m_s2))
    assert max(as_given) < 8.0  # measured 5.6° at worst, 2.2° median
    assert np.median(transposed) > 15.0  # measured 21°
    pose = cmu_mbl.load(sub22 / "Pose" / "Pose_01_rep1.csv.gz")
    np.testing.assert_allclose(rotate_array(pose.quat, pose.acc_m_s2).mean(axis=0), [0.0, 0.0, 9.81], atol=0.4)
    assert pose.acc_m_s2.mean(axis=0)[0] < -9.0  # the README: the pelvis sensor's X points down when standing


@pytest.mark.datasets
def test_real_gyro_matches_the_quaternion_rate(sub22):
    imported = cmu_mbl.load(sub22 / "SqDL" / "SqDL_01_rep1.csv.gz")
    q = imported.quat
    dq = np.einsum("ij,ij->i", q[:-1], q[1:])
    assert np.all(dq > 0.99)
    # body rate from successive quaternions: 2·(q_k* ⊗ q_k+1).xyz / dt
    w, x, y, z = q[:-1].T
    w2, x2, y2, z2 = q[1:].T
    rel = np.stack(
        (w * x2 - x * w2 - y * z2 + z * y2, w * y2 + x * z2 - y * w2 - z * x2, w * z2 - x * y2 + y * x2 - z * w2), 1
    )
    body = 2.0 * rel / np.diff(imported.t_s)[:, None]
    gyro = 0.5 * (imported.gyr_rad_s[:-1] + imported.gyr_rad_s[1:])
    scale = np.median(np.linalg.norm(gyro, axis=1))
    assert np.median(np.linalg.norm(body - gyro, axis=1)) < 0.1 * scale  # measured 0.043 rad/s of 0.59
    earth = rotate_array(q[:-1], body)  # the same rate seen in the earth frame: not what the gyro reports
    assert np.median(np.linalg.norm(earth - gyro, axis=1)) > 0.5 * scale
