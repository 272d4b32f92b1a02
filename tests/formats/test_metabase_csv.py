"""MetaBase CSV importer: the accelerometer and gyroscope files of one session, paired from either."""

import numpy as np
import pytest

from imuhold.errors import RecordingError
from imuhold.formats import metabase_csv
from imuhold.formats.base import ImportOptions

from .builders import session, write_metabase


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    return write_metabase(tmp_path_factory.mktemp("metabase"), session())


@pytest.mark.parametrize("given", [0, 1], ids=["accelerometer", "gyroscope"])
def test_either_file_brings_its_pair(files, given):
    simulation = session()
    imported = metabase_csv.load(files[given])
    assert imported.original_file == str(files[0]) and imported.meta["gyroscope_file"] == files[1].name
    assert imported.rate_hz == 100.0
    # the gyro clock starts 3 ms later: the first accelerometer samples before it are dropped
    n = imported.samples
    assert n == len(simulation.t_s) - 1
    np.testing.assert_allclose(imported.acc_m_s2, simulation.acc_m_s2[1:], atol=1e-3)
    inside = slice(1, n - 1)  # linear interpolation of a smooth rate: close, not exact
    np.testing.assert_allclose(imported.gyr_rad_s[inside], simulation.gyr_rad_s[1:][inside], atol=0.02)


def test_a_missing_pair_is_named(tmp_path, files):
    lonely = tmp_path / files[0].name
    lonely.write_bytes(files[0].read_bytes())
    with pytest.raises(RecordingError, match="matching Gyroscope file"):
        metabase_csv.load(lonely)


def test_the_fused_quaternion_is_not_offered(files):
    with pytest.raises(RecordingError, match="acc \\+ gyro"):
        metabase_csv.load(files[0], ImportOptions(orientation="quat"))


def test_sniff_needs_the_metabase_header():
    assert metabase_csv.sniff("epoc (ms),timestamp (-0700),elapsed (s),x-axis (g),y-axis (g),z-axis (g)\n1,2,3,4,5,6")
    assert metabase_csv.sniff("epoch (ms),time (01:00),elapsed (s),x-axis (deg/s),y-axis (deg/s),z-axis (deg/s)\n")
    assert not metabase_csv.sniff("epoc (ms),timestamp (-0700),elapsed (s),w (number),x (number),y (number)\n")
    assert not metabase_csv.sniff("time,x,y,z\n")
