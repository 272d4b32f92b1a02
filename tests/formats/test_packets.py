"""Imported samples as imuhold-v1 notifications: byte-identical to the reference encoder, lossless where it matters."""

import dataclasses
import itertools

import numpy as np
import pytest

from imuhold.formats.base import Imported
from imuhold.formats.packets import frame_blocks, frames, record_blocks, recording_header, to_packets, write_recording
from imuhold.motion.columns import V1Columns
from imuhold.protocol import imuhold_v1 as v1
from imuhold.protocol.base import DecodeStats
from imuhold.recording import read_recording
from imuhold.units import STANDARD_GRAVITY_M_S2 as G


def _imported(n: int = 500, seed: int = 7, **arrays: np.ndarray) -> Imported:
    rng = np.random.default_rng(seed)
    t = np.cumsum(rng.uniform(0.002, 0.03, n))
    return Imported("test", "/data/x.csv", 100.0, t - t[0], rng.normal(0.0, 60.0, (n, 3)), **arrays)


@pytest.mark.parametrize("frame", ["gyr_acc", "quat_acc"])
def test_frames_equal_the_reference_encoder_byte_for_byte(frame):
    rng = np.random.default_rng(1)
    arrays = (
        {"gyr_rad_s": rng.normal(0.0, 12.0, (500, 3))} if frame == "gyr_acc" else {"quat": rng.normal(size=(500, 4))}
    )
    imported = _imported(**arrays)
    packets, warnings = to_packets(imported)
    for i, packet in enumerate(packets):
        t_us = round(imported.t_s[i] * 1e6)
        acc = tuple(imported.acc_m_s2[i])
        if frame == "gyr_acc":
            expected = v1.encode_gyr_acc(i, t_us, tuple(imported.gyr_rad_s[i]), acc)
        else:
            q = imported.quat[i] / np.linalg.norm(imported.quat[i])
            expected = v1.encode_quat_acc(i, t_us, tuple(q if q[0] >= 0 else -q), acc)
        assert packet.payload == expected, i
        assert packet.characteristic == v1.MOTION_CHAR_UUID and packet.t_host_ns == round(imported.t_s[i] * 1e9)
    if frame == "gyr_acc":
        assert warnings and "±2048 °/s were clamped" in warnings[0]  # 12 rad/s ≈ 690 °/s: a few 3-sigma values


def test_frames_of_blocks_equal_the_frames_of_the_whole():
    rng = np.random.default_rng(3)
    whole = _imported(700, gyr_rad_s=rng.normal(0.0, 12.0, (700, 3)))
    cuts = [0, 1, 255, 256, 300, 699, 700]  # sequence numbers wrap at 256 inside and across blocks
    blocks = [
        Imported("test", "/data/x.csv", 100.0, whole.t_s[a:b], whole.acc_m_s2[a:b], whole.gyr_rad_s[a:b])
        for a, b in itertools.pairwise(cuts)
    ]
    warnings: list[str] = []
    data, expected_warnings = frames(whole)
    assert b"".join(frame_blocks(iter(blocks), warnings)) == data
    assert warnings == expected_warnings and warnings  # the clamp counts add up over the blocks


def test_decoding_gives_back_the_samples_within_one_step():
    rng = np.random.default_rng(2)
    n = 400
    t = np.arange(n) / 200.0
    acc = rng.normal(0.0, 15.0, (n, 3))
    gyr = rng.normal(0.0, 3.0, (n, 3))
    packets, _ = to_packets(Imported("test", "x", 200.0, t, acc, gyr_rad_s=gyr))
    decoder = v1.PROFILE.decoder()
    samples = [s for p in packets for s in decoder.feed(p)]
    assert decoder.stats.frames == n and decoder.stats.lost_frames == 0
    np.testing.assert_allclose([s.t_s for s in samples], t, atol=1e-6)
    assert np.abs(np.array([s.acc_m_s2 for s in samples]) - acc).max() <= 0.5e-3 * G + 1e-12
    assert np.abs(np.array([s.gyr_rad_s for s in samples]) - gyr).max() <= np.radians(1 / 32) + 1e-12


def test_a_long_import_wraps_the_clock_and_the_decoder_unwraps_it():
    t = np.arange(0.0, 5000.0, 0.5)  # the 32-bit µs clock wraps at 4294.97 s
    packets, _ = to_packets(Imported("test", "x", 2.0, t, np.tile([0.0, 0.0, G], (len(t), 1)), np.zeros((len(t), 3))))
    decoder = v1.PROFILE.decoder()
    times = [s.t_s for p in packets for s in decoder.feed(p)]
    np.testing.assert_allclose(times, t, atol=1e-6)


def test_the_recording_names_its_source(tmp_path):
    imported = _imported(gyr_rad_s=np.zeros((500, 3)))
    out = tmp_path / "x.imuhold.gz"
    write_recording(imported, out)
    recording = read_recording(out)
    assert recording.header.profile == v1.NAME and recording.header.rate_hz == 100.0
    assert recording.header.extra["source"] == "test" and recording.header.extra["original_file"] == "x.csv"
    assert [p.payload for p in recording.packets] == [p.payload for p in to_packets(imported)[0]]
    assert recording_header(imported).extra["frame_type"] == "gyr_acc"
    with pytest.raises(FileExistsError):
        write_recording(imported, out)


@pytest.mark.datasets
def test_quantisation_changes_nothing_that_matters_on_real_trials(datasets_dir):
    """SisFall through v1 frames vs its raw floats: same squats; the vertical moves by hundredths of a degree.

    The trials run after the evaluation's standing prefix: as recorded, SA01_R01 calibrates 0.5 s before its squat,
    and an entry dated from half a second of history moves by 0.14 s with the gyro's 1/16 °/s steps."""
    from imuhold.evaluation.sisfall import with_standing_prefix
    from imuhold.formats import sisfall
    from imuhold.model import Sample
    from imuhold.motion.orientation import OrientationEstimator
    from imuhold.motion.quaternion import up_in_sensor_array
    from imuhold.pipeline import Pipeline

    paths = sorted((datasets_dir / "sisfall").glob("D1[56]/*_R01.txt.gz"))[::4]
    if not paths:
        pytest.skip("no SisFall D15/D16 trials in the datasets")
    for path in paths:
        imported = with_standing_prefix(sisfall.load(path), 2.0)
        packets, _ = to_packets(imported)
        decoder = v1.PROFILE.decoder()
        samples = [s for p in packets for s in decoder.feed(p)]
        acc = np.array([s.acc_m_s2 for s in samples])
        gyr = np.array([s.gyr_rad_s for s in samples])
        assert np.abs(acc - imported.acc_m_s2).max() <= 0.5e-3 * G + 1e-9  # half a mg (ADXL345 step: 3.9 mg)
        assert np.abs(gyr - imported.gyr_rad_s).max() <= np.radians(1 / 32) + 1e-12  # half of 1/16 °/s
        exact = up_in_sensor_array(OrientationEstimator(200.0).run(imported.t_s, imported.gyr_rad_s, imported.acc_m_s2))
        wire = up_in_sensor_array(OrientationEstimator(200.0).run(imported.t_s, gyr, acc))
        assert np.degrees(np.arccos(np.clip(np.sum(exact * wire, axis=1), -1, 1))).max() < 0.1  # measured 0.043°
        raw = Pipeline(v1.PROFILE, 200.0)
        for i in range(imported.samples):
            raw.step(Sample(float(imported.t_s[i]), None, tuple(imported.acc_m_s2[i]), tuple(imported.gyr_rad_s[i])))
        raw.finish()
        via_packets = Pipeline(v1.PROFILE, 200.0).run(packets)
        entries = [s.entry_s for s in raw.analysis().squats]
        assert entries == pytest.approx([s.entry_s for s in via_packets.squats], abs=0.05), path.name


@pytest.mark.parametrize("frame", ["gyr_acc", "quat_acc"])
def test_the_fields_read_as_the_bytes_are(frame):
    # analyze reads an import's frames as their fields (no bytes): the same samples, counts and warnings.
    rng = np.random.default_rng(3)
    quat = rng.normal(size=(900, 4))
    quat[17] = 0.0  # degenerate: counted and dropped
    arrays = {"gyr_rad_s": rng.normal(0.0, 12.0, (900, 3))} if frame == "gyr_acc" else {"quat": quat}
    imported = _imported(900, **arrays)
    parts = [_part(imported, 0, 400), _part(imported, 400, 900)]  # in blocks, as load_blocks gives them
    from_bytes, from_fields = V1Columns(DecodeStats()), V1Columns(DecodeStats())
    bytes_warnings: list[str] = []
    fields_warnings: list[str] = []
    a = [from_bytes.frames(data) for data in frame_blocks(parts, bytes_warnings)]
    b = [from_fields.records(records) for records in record_blocks(parts, fields_warnings)]
    for x, y in zip(a, b, strict=True):
        for name in ("t_s", "quat", "acc_m_s2", "gyr_rad_s"):
            assert (getattr(x, name) is None) == (getattr(y, name) is None), name
            if getattr(x, name) is not None:
                assert np.array_equal(getattr(x, name), getattr(y, name), equal_nan=True), name
    assert from_bytes.stats == from_fields.stats and bytes_warnings == fields_warnings
    assert from_fields.stats.bad_frames == (frame == "quat_acc")


def _part(imported: Imported, a: int, b: int) -> Imported:
    def cut(x):
        return None if x is None else x[a:b]

    return dataclasses.replace(
        imported, t_s=imported.t_s[a:b], acc_m_s2=imported.acc_m_s2[a:b], gyr_rad_s=cut(imported.gyr_rad_s),
        quat=cut(imported.quat),
    )
