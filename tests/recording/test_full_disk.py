"""The writer on a disk that fills up: the failing flush raises at once, and the file is ended where it was last
flushed whole, so it reads back without damage; with room made before ``close`` the failed flush is kept too."""

from __future__ import annotations

import errno
import random
from pathlib import Path

import pytest

from imuhold.model import Packet
from imuhold.recording import RecordingWriter, read_recording
from tests.disks import fill, small_disk

from .builders import MOTION, T0_NS, make_header


def _packets(n: int) -> list[Packet]:
    """Incompressible payloads, so the disk fills after a known few packets."""
    rng = random.Random(7)
    return [Packet(T0_NS + i * 10_000_000, MOTION, rng.randbytes(20)) for i in range(n)]


def _write_until_full(path: Path, packets: list[Packet]) -> tuple[RecordingWriter, int]:
    """Write until the disk refuses; the writer and how many packets had reached the file whole."""
    writer = RecordingWriter(path, make_header(), flush_every=50)
    flushed = 0
    for i, packet in enumerate(packets):
        try:
            writer.write(packet)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
            return writer, flushed
        if writer._unflushed == 0:
            flushed = i + 1
    pytest.fail("the disk never filled")


@pytest.mark.parametrize("name", ["r.imuhold", "r.imuhold.gz"])
@pytest.mark.parametrize("room_made", [False, True])
def test_a_full_disk_ends_the_file_at_its_last_whole_flush(tmp_path, name, room_made):
    packets = _packets(20_000)
    with small_disk(tmp_path / "disk", 256 * 1024) as disk:
        filler = fill(disk, leave_bytes=64 * 1024)
        writer, flushed = _write_until_full(disk / name, packets)
        assert writer.failed is not None and 0 < flushed < len(packets)
        with pytest.raises(OSError):
            writer.write(packets[0])  # it takes nothing more
        if room_made:
            filler.unlink()
        writer.close()
        writer.close()
        recording = read_recording(disk / name)
    assert recording.warnings == []
    kept = len(recording.packets)
    assert recording.packets == packets[:kept]
    assert kept == flushed + 50 if room_made else kept == flushed  # the failed flush, written once room was made


def test_a_disk_too_full_for_the_header_leaves_no_file(tmp_path):
    with small_disk(tmp_path / "disk", 64 * 1024) as disk:
        fill(disk)
        with pytest.raises(OSError):
            RecordingWriter(disk / "r.imuhold.gz", make_header(notes="x" * 8192))
        assert not (disk / "r.imuhold.gz").exists()
