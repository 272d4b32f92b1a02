"""The writer: owner-only files, flushing often, and data that survives a writer that never closed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from imuhold.model import Packet
from imuhold.recording import Mark, RecordingWriter, read_recording

from .builders import MOTION, make_header, make_packets

POSIX_ONLY = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes and signals")


@POSIX_ONLY
@pytest.mark.parametrize("name", ["a.imuhold", "a.imuhold.gz"])
def test_file_is_owner_only(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    old_umask = os.umask(0)  # even a permissive umask must not widen the mode
    try:
        with RecordingWriter(path, make_header()) as writer:
            writer.write(make_packets(1)[0])
    finally:
        os.umask(old_umask)
    assert path.stat().st_mode & 0o777 == 0o600


@POSIX_ONLY
def test_overwrite_resets_mode(tmp_path: Path) -> None:
    path = tmp_path / "old.imuhold"
    path.write_text("old")
    path.chmod(0o644)
    with RecordingWriter(path, make_header(), overwrite=True):
        pass
    assert path.stat().st_mode & 0o777 == 0o600
    assert read_recording(path).packets == []


def test_refuses_to_overwrite_by_default(tmp_path: Path) -> None:
    path = tmp_path / "keep.imuhold"
    path.write_text("precious")
    with pytest.raises(FileExistsError):
        RecordingWriter(path, make_header())
    assert path.read_text() == "precious"


def test_creates_parent_directories(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "c.imuhold.gz"
    with RecordingWriter(path, make_header()):
        pass
    assert read_recording(path).header == make_header()


def test_header_is_on_disk_at_once(tmp_path: Path) -> None:
    path = tmp_path / "h.imuhold"
    writer = RecordingWriter(path, make_header())
    try:
        assert read_recording(path).header == make_header()
    finally:
        writer.close()


def lines_on_disk(path: Path) -> int:
    return len(path.read_text().splitlines())


def test_flushes_after_a_second_of_host_time(tmp_path: Path) -> None:
    path = tmp_path / "f.imuhold"
    with RecordingWriter(path, make_header(), flush_every=10_000) as writer:
        packets = make_packets(150)  # 10 ms apart
        for packet in packets[:100]:
            writer.write(packet)
        assert lines_on_disk(path) == 1, "less than a second of host time: still buffered"
        writer.write(packets[100])  # exactly 1 s after the first packet
        assert lines_on_disk(path) == 102


def test_flushes_every_n_packets(tmp_path: Path) -> None:
    path = tmp_path / "n.imuhold"
    with RecordingWriter(path, make_header(), flush_every=10) as writer:
        for i in range(25):
            writer.write(Packet(1_000, MOTION, bytes([i])))  # equal host times: only the count triggers
        assert lines_on_disk(path) == 21


def test_marks_flush_immediately(tmp_path: Path) -> None:
    path = tmp_path / "m.imuhold"
    mark = Mark(5_000_000_000, "gap", {"note": "link lost"})
    with RecordingWriter(path, make_header()) as writer:
        writer.write(make_packets(1)[0])
        writer.mark(mark)
        assert read_recording(path).marks == [mark]


def test_comment_lines_are_ignored_by_the_reader(tmp_path: Path) -> None:
    path = tmp_path / "c.imuhold"
    with RecordingWriter(path, make_header()) as writer:
        writer.comment("two\nlines")
        writer.write(make_packets(1)[0])
    assert "# two lines" in path.read_text()
    recording = read_recording(path)
    assert recording.packets == make_packets(1) and recording.warnings == []


def test_bad_packets_are_refused(tmp_path: Path) -> None:
    with RecordingWriter(tmp_path / "x.imuhold", make_header()) as writer:
        with pytest.raises(ValueError, match="not a full characteristic UUID"):
            writer.write(Packet(1, "heart rate", b"\x00"))
        with pytest.raises(ValueError, match="non-negative"):
            writer.write(Packet(-1, MOTION, b"\x00"))
    with pytest.raises(ValueError, match="closed"):
        writer.write(make_packets(1)[0])
    writer.close()  # closing twice is harmless


def test_header_that_is_not_json_fails_before_creating_the_file(tmp_path: Path) -> None:
    path = tmp_path / "nan.imuhold"
    with pytest.raises(ValueError):
        RecordingWriter(path, make_header(calibration=float("nan")))
    assert not path.exists()


@pytest.mark.parametrize("name", ["unclosed.imuhold", "unclosed.imuhold.gz"])
def test_flushed_data_of_an_unclosed_writer_is_readable(tmp_path: Path, name: str) -> None:
    """What a kill -9 leaves behind: the bytes on disk after flush(), before close()."""
    path = tmp_path / name
    packets = make_packets(500)
    writer = RecordingWriter(path, make_header())
    try:
        for packet in packets[:300]:
            writer.write(packet)
        writer.mark(Mark(packets[299].t_host_ns, "user"))
        writer.flush()
        snapshot = tmp_path / ("snapshot-" + name)
        snapshot.write_bytes(path.read_bytes())
        for packet in packets[300:]:
            writer.write(packet)
    finally:
        writer.close()
    recording = read_recording(snapshot)
    assert recording.packets == packets[:300]
    assert recording.marks == [Mark(packets[299].t_host_ns, "user")]
    if name.endswith(".gz"):
        assert len(recording.warnings) == 1
        assert recording.warnings[0].startswith(f"{snapshot}:303: ")
        assert "ends abruptly" in recording.warnings[0]
    else:
        assert recording.warnings == []


WRITER_SCRIPT = textwrap.dedent(
    """
    import sys, time
    from imuhold.model import Packet
    from imuhold.recording import RecordingHeader, RecordingWriter

    path, n, uuid = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    writer = RecordingWriter(path, RecordingHeader("imuhold-v1", 100.0, characteristics={"m": uuid}))
    for i in range(n):
        writer.write(Packet(5_000_000_000 + i * 10_000_000, uuid, bytes([i % 256]) * 20))
    writer.flush()
    for i in range(n, n + 50):  # written but never flushed: lost by the kill, as designed
        writer.write(Packet(5_000_000_000 + i * 10_000_000, uuid, bytes([i % 256]) * 20))
    print("flushed", flush=True)
    time.sleep(60)
    """
)


@POSIX_ONLY
@pytest.mark.parametrize("name", ["killed.imuhold", "killed.imuhold.gz"])
def test_writer_killed_with_sigkill(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    n = 777
    process = subprocess.Popen(
        [sys.executable, "-c", WRITER_SCRIPT, str(path), str(n), MOTION],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "flushed"
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()
    assert process.returncode == -signal.SIGKILL
    recording = read_recording(path)
    assert recording.packets == make_packets(n)
    if name.endswith(".gz"):
        assert len(recording.warnings) == 1 and "ends abruptly" in recording.warnings[0]
        assert recording.warnings[0].startswith(f"{path}:{n + 2}: ")
    else:
        assert recording.warnings == []
