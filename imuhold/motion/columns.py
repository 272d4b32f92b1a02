"""Decoded samples as columns (numpy arrays), and the batch decoders that make them from notifications.

The batch entry of the pipeline works on columns: a block of notifications is decoded at once, and the motion
stages run over arrays. ``V1Columns`` decodes imuhold-v1 frames (the format of every recording and import) with
the same arithmetic as the per-frame decoder in ``imuhold.protocol.imuhold_v1``, so both give the same samples to
the last bit; other profiles go through their stream decoder (``samples_to_columns``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from imuhold.model import Packet, Sample
from imuhold.protocol import imuhold_v1 as v1
from imuhold.protocol.base import DecodeStats
from imuhold.units import RAD_PER_DEG, STANDARD_GRAVITY_M_S2, US_PER_S

_FRAME = np.dtype([("kind", "u1"), ("seq", "u1"), ("t_us", "<u4"), ("body", "<i2", (4,)), ("acc", "<i2", (3,))])
_M_S2_PER_MG = STANDARD_GRAVITY_M_S2 / 1000.0  # as units.mg_to_m_s2
_RAD_S_PER_LSB = v1.GYR_LSB_DEG_S * RAD_PER_DEG  # as units.deg_to_rad(GYR_LSB_DEG_S)


@dataclass(slots=True)
class Columns:
    """N samples: ``t_s`` (N,) sensor time; ``quat`` (N, 4) w,x,y,z, ``acc_m_s2`` (N, 3), ``gyr_rad_s`` (N, 3),
    each None when no sample has it and NaN in the rows of samples without it."""

    t_s: np.ndarray
    quat: np.ndarray | None = None
    acc_m_s2: np.ndarray | None = None
    gyr_rad_s: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.t_s)

    def sample(self, i: int) -> Sample:
        """Row ``i`` as a Sample (absent channels None)."""

        def row(a: np.ndarray | None) -> tuple | None:
            if a is None or np.isnan(a[i, 0]):
                return None
            return tuple(a[i].tolist())

        return Sample(float(self.t_s[i]), row(self.quat), row(self.acc_m_s2), row(self.gyr_rad_s))


def samples_to_columns(samples: Sequence[Sample]) -> Columns:
    """Columns of decoded samples (for profiles without a batch decoder)."""

    def column(values: list, width: int) -> np.ndarray | None:
        if all(v is None for v in values):
            return None
        nan = (np.nan,) * width
        return np.array([nan if v is None else v for v in values], dtype=float).reshape(-1, width)

    return Columns(
        np.array([s.t_s for s in samples], dtype=float),
        column([s.quat for s in samples], 4),
        column([s.acc_m_s2 for s in samples], 3),
        column([s.gyr_rad_s for s in samples], 3),
    )


class V1Records(NamedTuple):
    """imuhold-v1 frames of one known kind given as their fields, not as bytes (an import's: ``records``)."""

    seq: np.ndarray
    t_us: np.ndarray
    """The frames' 32-bit microsecond times (wrapping)."""
    body: np.ndarray
    """(N, 4) quaternions in Q14, or (N, 3) angular rates in ``GYR_LSB_DEG_S`` steps (int16)."""
    acc: np.ndarray
    """(N, 3) acceleration in mg (int16)."""
    quat: bool


@dataclass(slots=True)
class V1Columns:
    """Batch decoder of imuhold-v1 frames with the stream decoder's state and counts (clock unwrap, loss, bad)."""

    stats: DecodeStats
    _last_seq: int | None = None
    _last_t_us: int | None = None
    _t_us_offset: int = 0

    def packets(self, packets: Sequence[Packet]) -> Columns:
        """Decode a block of notifications, as ``ImuholdV1Decoder.feed`` would one by one."""
        stats = self.stats
        payloads = []
        for packet in packets:
            stats.packets += 1
            payload = packet.payload
            if packet.characteristic != v1.MOTION_CHAR_UUID:
                stats.ignored_packets += 1
            elif not payload or len(payload) % v1.FRAME_SIZE:
                stats.count_bad(f"notification of {len(payload)} bytes is not a multiple of {v1.FRAME_SIZE}")
            else:
                payloads.append(payload)
        return self.frames(b"".join(payloads), count_packets=False)

    def frames(self, data: bytes, count_packets: bool = True) -> Columns:
        """Decode consecutive 20-byte frames, one notification each when ``count_packets``."""
        frames = np.frombuffer(data, dtype=_FRAME)
        stats = self.stats
        if count_packets:
            stats.packets += len(frames)
        kind = frames["kind"]
        known = (kind == v1.FRAME_QUAT_ACC) | (kind == v1.FRAME_GYR_ACC)
        invalid = kind == v1.FRAME_INVALID
        stats.unknown_frames += int(np.count_nonzero(~known & ~invalid))
        self._count_seq(frames["seq"][~invalid])
        for _ in range(int(np.count_nonzero(invalid))):
            stats.count_bad("frame type 0x00")
        frames = frames[known]
        return self._decoded(frames["kind"] == v1.FRAME_QUAT_ACC, frames["t_us"], frames["body"], frames["acc"])

    def records(self, records: V1Records) -> Columns:
        """``frames`` for frames given as their fields, one notification each: the same columns and counts."""
        self.stats.packets += len(records.seq)
        self._count_seq(records.seq)
        return self._decoded(np.full(len(records.seq), records.quat), records.t_us, records.body, records.acc)

    def _decoded(self, is_quat: np.ndarray, t_us: np.ndarray, body: np.ndarray, acc: np.ndarray) -> Columns:
        """Known frames (``is_quat``: which carry a quaternion) as columns, the degenerate quaternions counted and
        dropped."""
        stats = self.stats
        t_s = self._unwrap_time_s(t_us)
        body = body.astype(float)
        keep = np.ones(len(t_s), dtype=bool)
        quat = gyr = None
        if is_quat.any():
            w, x, y, z = body[:, 0], body[:, 1], body[:, 2], body[:, 3]
            norm = np.sqrt(w * w + x * x + y * y + z * z)
            degenerate = is_quat & (norm < v1.QUAT_SCALE / 2)
            keep &= ~degenerate
            quat = np.where(is_quat[:, None], body / np.where(degenerate, 1.0, norm)[:, None], np.nan)
        if not is_quat.any():
            gyr = body[:, :3] * _RAD_S_PER_LSB
        elif not is_quat.all():
            gyr = np.where(is_quat[:, None], np.nan, body[:, :3] * _RAD_S_PER_LSB)
        for _ in range(len(keep) - int(np.count_nonzero(keep))):
            stats.count_bad("degenerate quaternion")
        acc = acc.astype(float) * _M_S2_PER_MG
        stats.frames += int(np.count_nonzero(keep))
        if keep.all():
            return Columns(t_s, quat, acc, gyr)
        return Columns(t_s[keep], None if quat is None else quat[keep], acc[keep], None if gyr is None else gyr[keep])

    def _unwrap_time_s(self, t_us: np.ndarray) -> np.ndarray:
        """Device times unwrapped over the 32-bit µs clock, in seconds (as ``(t_us + offset) / US_PER_S``)."""
        if len(t_us) == 0:
            return np.zeros(0)
        t = t_us.astype(np.int64)
        previous = np.empty_like(t)
        previous[0] = t[0] if self._last_t_us is None else self._last_t_us
        previous[1:] = t[:-1]
        wraps = t < previous - v1.T_US_WRAP // 2
        offsets = self._t_us_offset + v1.T_US_WRAP * np.cumsum(wraps)
        self._t_us_offset = int(offsets[-1])
        self._last_t_us = int(t[-1])
        return (t + offsets).astype(float) / US_PER_S

    def _count_seq(self, seq: np.ndarray) -> None:
        if len(seq) == 0:
            return
        s = seq.astype(np.int64)
        previous = np.empty_like(s)
        previous[1:] = s[:-1]
        previous[0] = s[0] - 1 if self._last_seq is None else self._last_seq
        skipped = (s - previous - 1) % v1.SEQ_WRAP
        self.stats.lost_frames += int(skipped[skipped < v1.SEQ_WRAP // 2].sum())
        self._last_seq = int(s[-1])
