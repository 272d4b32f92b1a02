"""Movella DOT CSV importer on files built from the documented layouts (no real DOT export exists here)."""

import numpy as np
import pytest

from imuhold.errors import RecordingError
from imuhold.formats import dot_csv
from imuhold.formats.base import ImportOptions

from .builders import session, write_dot, write_dot_server

ADDRESSES = ("D4:22:CD:00:03:74", "D4:22:CD:00:03:56")


def _same_rotation(a: np.ndarray, b: np.ndarray) -> None:
    np.testing.assert_allclose(np.abs(np.sum(a * b, axis=1)), 1.0, atol=1e-9)


def test_euler_angles_compose_yaw_pitch_roll():
    q = dot_csv.euler_to_quat(np.array([[90.0, 0.0, 0.0], [0.0, 0.0, 90.0], [0.0, 90.0, 0.0]]))
    h = np.sqrt(0.5)
    np.testing.assert_allclose(q, [[h, h, 0, 0], [h, 0, 0, h], [h, 0, h, 0]], atol=1e-12)
    q = dot_csv.euler_to_quat(np.array([[30.0, 20.0, 10.0]]))[0]  # = Rz(10)·Ry(20)·Rx(30)
    c, s = np.cos(np.radians([15.0, 10.0, 5.0])), np.sin(np.radians([15.0, 10.0, 5.0]))
    expected = [
        c[2] * c[1] * c[0] + s[2] * s[1] * s[0],
        c[2] * c[1] * s[0] - s[2] * s[1] * c[0],
        c[2] * s[1] * c[0] + s[2] * c[1] * s[0],
        s[2] * c[1] * c[0] - c[2] * s[1] * s[0],
    ]
    np.testing.assert_allclose(q, expected, atol=1e-12)


def test_the_32_bit_clock_is_unwrapped():
    t = np.array([(1 << 32) - 20_000, (1 << 32) - 3_333, 13_334, 30_000], dtype=np.int64)
    np.testing.assert_array_equal(np.diff(dot_csv.unwrap_us(t)), [16_667, 16_667, 16_666])


@pytest.mark.parametrize("name", ["export.csv", "export.csv.gz"])
def test_free_acceleration_becomes_sensor_frame_specific_force(tmp_path, name):
    simulation = session()
    imported = dot_csv.load(write_dot(tmp_path / name, simulation, "quat"))
    assert imported.meta["acceleration"].startswith("FreeAcc + g")
    np.testing.assert_allclose(imported.t_s, simulation.t_s, atol=1e-6)  # across the wrap 3 s in
    assert imported.rate_hz == 100.0
    _same_rotation(imported.quat, simulation.quat)
    np.testing.assert_allclose(imported.acc_m_s2, simulation.acc_m_s2, atol=1e-4)


def test_euler_mode_gives_the_same_samples(tmp_path):
    simulation = session()
    imported = dot_csv.load(write_dot(tmp_path / "euler.csv", simulation, "euler"))
    assert imported.meta["orientation"] == "sensor Euler angles"
    _same_rotation(imported.quat, simulation.quat)
    np.testing.assert_allclose(imported.acc_m_s2, simulation.acc_m_s2, atol=1e-3)


def test_rate_quantities_are_fused_by_imuhold(tmp_path):
    simulation = session()
    imported = dot_csv.load(write_dot(tmp_path / "rate.csv", simulation, "rate"))
    assert imported.quat is None and imported.meta["orientation"] == "acc + gyro (VQF)"
    np.testing.assert_allclose(imported.gyr_rad_s, simulation.gyr_rad_s, atol=1e-7)
    with pytest.raises(RecordingError, match="no orientation"):
        dot_csv.load(tmp_path / "rate.csv", ImportOptions(orientation="quat"))


def test_server_files_pick_one_sensor(tmp_path):
    simulation = session()
    path = write_dot_server(tmp_path / "server.csv", simulation, ADDRESSES)
    first = dot_csv.load(path)
    assert first.meta["sensor"] == ADDRESSES[0] and first.samples == len(simulation.t_s)
    assert any("several sensors" in w for w in first.warnings)
    np.testing.assert_allclose(first.acc_m_s2, simulation.acc_m_s2, atol=1e-4)
    second = dot_csv.load(path, ImportOptions(sensor=ADDRESSES[1].lower()))
    assert second.meta["sensor"] == ADDRESSES[1] and not second.warnings
    np.testing.assert_allclose(second.acc_m_s2, np.tile([0.0, 0.0, 9.80665], (second.samples, 1)), atol=1e-9)
    with pytest.raises(RecordingError, match="no sensor 'AA:BB'"):
        dot_csv.load(path, ImportOptions(sensor="AA:BB"))


def test_bad_rows_and_repeated_times_are_dropped_and_reported(tmp_path):
    path = tmp_path / "rows.csv"
    header = "PacketCounter,SampleTimeFine,Quat_W,Quat_X,Quat_Y,Quat_Z,FreeAcc_X,FreeAcc_Y,FreeAcc_Z"
    rows = ["0,1000,1,0,0,0,0,0,0", "1,17667,1,0,0,0,0,0,x", "2,17667,1,0,0,0,0,0,0", "3,17667,1,0,0,0,0,0,0"]
    path.write_text("\n".join([header, *rows, "4,34334,1,0,0,0,0,0,0"]) + "\n")
    imported = dot_csv.load(path)
    assert imported.samples == 3
    assert any("skipped 1 row" in w for w in imported.warnings)
    assert any("dropped 1 repeated" in w for w in imported.warnings)


def test_an_orientation_without_acceleration_is_refused(tmp_path):
    path = tmp_path / "orientation.csv"
    path.write_text("PacketCounter,SampleTimeFine,Quat_W,Quat_X,Quat_Y,Quat_Z\n0,0,1,0,0,0\n1,16667,1,0,0,0\n")
    with pytest.raises(RecordingError, match="no acceleration"):
        dot_csv.load(path)
