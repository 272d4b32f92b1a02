"""Imported samples as imuhold-v1 notifications (one frame each) and as a recording file."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np

from imuhold import __version__
from imuhold.formats.base import Imported, normalised_quat
from imuhold.model import Packet
from imuhold.motion.columns import V1Records
from imuhold.protocol import imuhold_v1
from imuhold.recording import RecordingHeader, RecordingWriter
from imuhold.units import DEG_PER_RAD, STANDARD_GRAVITY_M_S2, US_PER_S

# On the wire: acceleration i16 mg (±32 g, 1 mg steps), angular rate i16 in 1/16 °/s (±2048 °/s), quaternion
# Q14, time u32 µs from the first sample (wrapping after 71.6 min; the decoder unwraps it). Values beyond a range
# are clamped and counted, and the counts come back as warnings.
PROFILE = imuhold_v1.NAME
_I16_MIN, _I16_MAX = -32768, 32767
_MG_PER_M_S2 = 1000.0 / STANDARD_GRAVITY_M_S2

_QUAT_ACC = np.dtype([("kind", "u1"), ("seq", "u1"), ("t_us", "<u4"), ("quat", "<i2", (4,)), ("acc", "<i2", (3,))])
_GYR_ACC = np.dtype(
    [("kind", "u1"), ("seq", "u1"), ("t_us", "<u4"), ("gyr", "<i2", (3,)), ("pad", "V2"), ("acc", "<i2", (3,))]
)


def _to_i16(values: np.ndarray) -> tuple[np.ndarray, int]:
    """Rounded (half to even, like ``round``) and clamped to i16; also how many values were clamped."""
    rounded = np.rint(values)
    clipped = int(np.count_nonzero((rounded < _I16_MIN) | (rounded > _I16_MAX)))
    return np.clip(rounded, _I16_MIN, _I16_MAX).astype("<i2"), clipped


def frames(imported: Imported) -> tuple[bytes, list[str]]:
    """All samples as consecutive 20-byte v1 frames, and warnings about clamped values."""
    data, acc_clipped, gyr_clipped = _encode(imported, float(imported.t_s[0]), 0)
    return data, _clamp_warnings(acc_clipped, gyr_clipped)


def frame_blocks(blocks: Iterable[Imported], warnings: list[str]) -> Iterator[bytes]:
    """The frames of an import given in blocks (``load_blocks``), block by block, as ``frames`` would give them for
    the whole; the warnings about clamped values are appended to ``warnings`` after the last block."""
    return (_packed(records) for records in record_blocks(blocks, warnings))


def record_blocks(blocks: Iterable[Imported], warnings: list[str]) -> Iterator[V1Records]:
    """``frame_blocks`` as the frames' fields, for the batch decoder to read without the bytes
    (``V1Columns.records``)."""
    t0_s: float | None = None
    first = acc_clipped = gyr_clipped = 0
    for block in blocks:
        if t0_s is None:
            t0_s = float(block.t_s[0])
        records, acc, gyr = _records(block, t0_s, first)
        first += block.samples
        acc_clipped += acc
        gyr_clipped += gyr
        yield records
    warnings += _clamp_warnings(acc_clipped, gyr_clipped)


def _clamp_warnings(acc_clipped: int, gyr_clipped: int) -> list[str]:
    warnings = []
    if gyr_clipped:
        warnings.append(f"{gyr_clipped} angular-rate values beyond ±2048 °/s were clamped")
    if acc_clipped:
        warnings.append(f"{acc_clipped} acceleration values beyond ±32 g were clamped")
    return warnings


def _encode(imported: Imported, t0_s: float, first: int) -> tuple[bytes, int, int]:
    """Frames of the samples, the ``first``-th of a stream that began at ``t0_s``; and the clamped value counts."""
    records, acc_clipped, gyr_clipped = _records(imported, t0_s, first)
    return _packed(records), acc_clipped, gyr_clipped


def _records(imported: Imported, t0_s: float, first: int) -> tuple[V1Records, int, int]:
    """The frames' fields of the samples, the ``first``-th of a stream that began at ``t0_s``; and the clamped value
    counts."""
    n = imported.samples
    t_us = np.rint((imported.t_s - t0_s) * US_PER_S).astype(np.int64) % imuhold_v1.T_US_WRAP
    acc, acc_clipped = _to_i16(imported.acc_m_s2 * _MG_PER_M_S2)
    gyr_clipped = 0
    if imported.quat is not None:
        body, _ = _to_i16(normalised_quat(imported.quat) * imuhold_v1.QUAT_SCALE)
    else:
        assert imported.gyr_rad_s is not None  # Imported guarantees a quaternion or a gyroscope
        body, gyr_clipped = _to_i16(imported.gyr_rad_s * (DEG_PER_RAD / imuhold_v1.GYR_LSB_DEG_S))
    seq = np.arange(first, first + n) % imuhold_v1.SEQ_WRAP
    return V1Records(seq, t_us, body, acc, imported.quat is not None), acc_clipped, gyr_clipped


def _packed(records: V1Records) -> bytes:
    """The frames as bytes."""
    if records.quat:
        out = np.zeros(len(records.seq), dtype=_QUAT_ACC)
        out["kind"] = imuhold_v1.FRAME_QUAT_ACC
        out["quat"] = records.body
    else:
        out = np.zeros(len(records.seq), dtype=_GYR_ACC)
        out["kind"] = imuhold_v1.FRAME_GYR_ACC
        out["gyr"] = records.body
    out["acc"] = records.acc
    out["seq"] = records.seq
    out["t_us"] = records.t_us
    return out.tobytes()


def to_packets(imported: Imported) -> tuple[list[Packet], list[str]]:
    """One notification per sample on the v1 motion characteristic; host time = sample time from 0."""
    data, warnings = frames(imported)
    size = imuhold_v1.FRAME_SIZE
    t_ns = np.rint((imported.t_s - imported.t_s[0]) * 1e9).astype(np.int64).tolist()
    uuid = imuhold_v1.MOTION_CHAR_UUID
    packets = [Packet(t, uuid, data[i * size : (i + 1) * size]) for i, t in enumerate(t_ns)]
    return packets, warnings


def recording_header(imported: Imported) -> RecordingHeader:
    """The header of the recording an import becomes; ``extra`` says where it came from."""
    return RecordingHeader(
        profile=PROFILE,
        rate_hz=imported.rate_hz,
        app_version=__version__,
        characteristics={"m": imuhold_v1.MOTION_CHAR_UUID},
        extra={
            "source": imported.source,
            "original_file": Path(imported.original_file).name,
            "frame_type": imported.frame_type,
            **({"import": imported.meta} if imported.meta else {}),
        },
    )


def write_recording(imported: Imported, out: str | os.PathLike[str], *, overwrite: bool = False) -> list[str]:
    """Write ``imported`` as an ordinary recording (``.gz`` compresses); returns the encoding warnings."""
    packets, warnings = to_packets(imported)
    with RecordingWriter(out, recording_header(imported), overwrite=overwrite) as writer:
        for warning in (*imported.warnings, *warnings):
            writer.comment(f"import warning: {warning}")
        for packet in packets:
            writer.write(packet)
    return warnings
