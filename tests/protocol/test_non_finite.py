"""NaN and infinity never reach the pipeline: decoders count them as bad frames; integer formats cannot carry them."""

from __future__ import annotations

import math
import struct

import pytest

from imuhold.model import Packet, Sample
from imuhold.protocol import imuhold_v1 as v1
from imuhold.protocol import metawear as mw
from imuhold.protocol import movella_dot as dot
from imuhold.protocol import thingy52 as thingy
from imuhold.protocol import witmotion as wit

NON_FINITE = [math.nan, math.inf, -math.inf]
UNIT = (0.8, 0.4, 0.4, 0.2)


def _finite(samples: list[Sample]) -> bool:
    values = [v for s in samples for v in (s.t_s, *(s.quat or ()), *(s.acc_m_s2 or ()), *(s.gyr_rad_s or ()))]
    return all(math.isfinite(v) for v in values)


@pytest.mark.parametrize("bad", NON_FINITE)
@pytest.mark.parametrize("field", range(7))
def test_dot_payload_with_a_non_finite_float_is_a_bad_frame(bad: float, field: int) -> None:
    values = [*UNIT, 0.1, -0.2, 0.3]
    values[field] = bad
    payload = struct.pack("<I7f", 1_000_000, *values)
    decoder = dot.DotDecoder(dot.PayloadMode.COMPLETE_QUATERNION)
    samples = decoder.feed(Packet(0, dot.MEDIUM_PAYLOAD_CHAR_UUID, payload))
    assert (samples, decoder.stats.frames, decoder.stats.bad_frames) == ([], 0, 1)
    assert "non-finite" in (decoder.stats.last_error or "")


@pytest.mark.parametrize("bad", NON_FINITE)
def test_dot_free_acceleration_parser_rejects_non_finite(bad: float) -> None:
    with pytest.raises(ValueError, match="non-finite"):
        dot.parse_free_acceleration(struct.pack("<I3f", 5, 0.0, bad, 0.0) + bytes(4))


@pytest.mark.parametrize("bad", NON_FINITE)
@pytest.mark.parametrize("register", [mw.FusionRegister.CORRECTED_ACC, mw.FusionRegister.LINEAR_ACC])
def test_metawear_non_finite_acceleration_is_bad_and_never_paired(bad: float, register: int) -> None:
    decoder = mw.MetaWearDecoder()
    if register == mw.FusionRegister.CORRECTED_ACC:
        acc = struct.pack("<BB3fB", mw.MODULE_FUSION, register, 0.0, bad, 1000.0, 3)
    else:
        acc = struct.pack("<BB3f", mw.MODULE_FUSION, register, bad, 0.0, 0.0)
    samples = decoder.feed(Packet(0, mw.NOTIFY_CHAR_UUID, acc))
    samples += decoder.feed(Packet(1_000_000, mw.NOTIFY_CHAR_UUID, mw.encode_quaternion(UNIT)))
    assert decoder.stats.bad_frames == 1 and decoder.stats.frames == 1
    assert len(samples) == 1 and samples[0].acc_m_s2 is None
    assert _finite(samples)


@pytest.mark.parametrize("bad", NON_FINITE)
def test_metawear_non_finite_quaternion_is_a_bad_frame(bad: float) -> None:
    decoder = mw.MetaWearDecoder()
    assert decoder.feed(Packet(0, mw.NOTIFY_CHAR_UUID, mw.encode_quaternion((bad, 0.0, 0.0, 1.0)))) == []
    assert (decoder.stats.frames, decoder.stats.bad_frames) == (0, 1)


@pytest.mark.parametrize("bad", NON_FINITE)
def test_thingy_gravity_parser_rejects_non_finite(bad: float) -> None:
    """The gravity vector is the Thingy's only float characteristic (not streamed, but parsed)."""
    with pytest.raises(ValueError, match="non-finite"):
        thingy.parse_gravity(struct.pack("<3f", 0.0, 0.0, bad))


# Integer formats: no byte pattern is NaN or infinite, so the test is that their extreme values stay finite.

_I16_EXTREMES = [-32768, 32767]


@pytest.mark.parametrize("value", _I16_EXTREMES)
def test_witmotion_integer_frames_decode_finite_at_their_extremes(value: int) -> None:
    frame = struct.pack("<BB9h", wit.HEADER, wit.FLAG_IMU, *[value] * 9)
    decoder = wit.WitMotionDecoder()
    samples = decoder.feed(Packet(0, wit.DATA_CHAR_UUID, frame))
    assert len(samples) == 1 and _finite(samples)


@pytest.mark.parametrize("value", _I16_EXTREMES)
def test_thingy_integer_notifications_decode_finite_at_their_extremes(value: int) -> None:
    decoder = thingy.ThingyDecoder()
    decoder.feed(Packet(0, thingy.RAW_CHAR_UUID, struct.pack("<9h", *[value] * 9)))
    quat = struct.pack("<4i", *[value * 65536] * 4)
    samples = decoder.feed(Packet(1, thingy.QUATERNION_CHAR_UUID, quat))
    assert len(samples) == 1 and _finite(samples)


@pytest.mark.parametrize("frame_type", sorted(v1.FRAME_TYPES))
@pytest.mark.parametrize("value", _I16_EXTREMES)
def test_imuhold_v1_integer_frames_decode_finite_at_their_extremes(frame_type: int, value: int) -> None:
    frame = struct.pack("<BBI7h", frame_type, 0, 0xFFFFFFFF, *[value] * 7)
    decoder = v1.ImuholdV1Decoder()
    samples = decoder.feed(Packet(0, v1.MOTION_CHAR_UUID, frame))
    assert len(samples) == 1 and _finite(samples)
