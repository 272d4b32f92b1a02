"""Damaged and foreign files: clear errors for unusable ones, warnings and partial loads for the rest."""

from __future__ import annotations

import gzip
import os
import re
import sys
from pathlib import Path

import pytest

from imuhold.errors import RecordingError
from imuhold.model import Packet
from imuhold.recording import RecordingWriter, iter_recording, read_recording
from imuhold.recording.reader import MAX_WARNINGS

from .builders import MOTION, header_line, make_header, make_packets, write_text


def expect_error(path: Path, message: str, line: int | None = 1) -> RecordingError:
    with pytest.raises(RecordingError) as caught:
        read_recording(path)
    error = caught.value
    assert error.path == str(path)
    assert error.line == line
    assert str(error).startswith(f"{path}:1: " if line else f"{path}: ")
    assert message in str(error)
    with pytest.raises(RecordingError, match=re.escape(message)):
        iter_recording(path)
    return error


def test_missing_file(tmp_path: Path) -> None:
    expect_error(tmp_path / "nope.imuhold", "no such file", line=None)


def test_directory(tmp_path: Path) -> None:
    expect_error(tmp_path, "is a directory", line=None)


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root and Windows ignore file modes")
def test_unreadable_file(tmp_path: Path) -> None:
    path = write_text(tmp_path / "secret.imuhold", header_line() + "\n")
    path.chmod(0)
    expect_error(path, "permission denied", line=None)


def test_open_failure_is_explained(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Also covers permission errors when the tests run as root (who may read anything)."""
    path = write_text(tmp_path / "locked.imuhold", header_line() + "\n")

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("imuhold.recording.source.open", refuse, raising=False)
    expect_error(path, "permission denied", line=None)


@pytest.mark.parametrize("gz", [False, True])
def test_empty_file(tmp_path: Path, gz: bool) -> None:
    expect_error(write_text(tmp_path / "empty.imuhold", "", gz=gz), "the file is empty")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("\n1 m 00\n", "the first line is empty"),
        ("time,acc_x\n0.0,1.0\n", "the first line is not a JSON header"),
        ("[1, 2]\n", "expected a JSON object"),
        ('{"format": "imuhold-labels", "version": 1}\n', "not an imuhold recording (header format is"),
        (
            '{"format": "imuhold-recording", "version": 9, "profile": "p", "rate_hz": 1}\n',
            "format version 9 is newer",
        ),
        ('{"format": "imuhold-recording", "version": 1, "rate_hz": 1}\n', "the header has no 'profile'"),
        ("[" * 100_000 + "\n", "the first line is not a JSON header"),
        ("\x00\x01\x02 binary junk", "the first line is not a JSON header"),
        (
            '{"format": "imuhold-recording", "version": 1, "profile": "p", "rate_hz": 1e9}\n',
            "rate_hz must be a number between 0.5 and 2000 Hz, not 1000000000.0",
        ),
        ('{"format": "imuhold-recording", "version": 1, "profile": "p", "rate_hz": 0}\n', "between 0.5 and 2000 Hz"),
        ('{"format": "imuhold-recording", "version": 1, "profile": "p", "rate_hz": "100"}\n', "not '100'"),
        ('{"format": "imuhold-recording", "version": 1, "profile": "p", "rate_hz": Infinity}\n', "not inf"),
    ],
)
def test_bad_header(tmp_path: Path, text: str, message: str) -> None:
    expect_error(write_text(tmp_path / "bad.imuhold", text), message)


def test_endless_first_line_is_not_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "huge.imuhold"
    path.write_bytes(b"x" * (3 << 20))
    expect_error(path, "no header line at the start")


def test_gzip_cut_inside_the_header(tmp_path: Path) -> None:
    path = tmp_path / "cut.imuhold.gz"
    path.write_bytes(gzip.compress((header_line() + "\n").encode())[:20])
    expect_error(path, "ends abruptly")


def test_gzip_magic_then_garbage(tmp_path: Path) -> None:
    path = tmp_path / "fake.imuhold.gz"
    path.write_bytes(b"\x1f\x8b" + b"\xff" * 100)
    expect_error(path, "compressed data is corrupt")


BAD_LINES = [
    ("12x m 00", "host time '12x' is not a non-negative integer"),
    ("-5 m 00", "host time '-5' is not a non-negative integer"),
    ("1e9 m 00", "host time '1e9' is not a non-negative integer"),
    ("1 m zz", "payload 'zz' is not hex bytes"),
    ("1 m 0", "payload '0' is not hex bytes"),
    ("1 q 00", "unknown characteristic alias 'q'"),
    ("1 m", "expected 3 fields '<t_host_ns> <alias> <hex>', found 2"),
    ("1 m 00 00", "found 4"),
    ("#mark {not json}", "bad mark, skipped: not valid JSON"),
    ('#mark {"kind": "gap"}', "bad mark, skipped: a mark needs 't_host_ns' and 'kind'"),
    ('#alias {"z": "2a37"}', "bad alias line, skipped"),
    (f'#alias {{"m": "{MOTION[:-1]}0"}}', "alias 'm' is already declared"),
]


@pytest.mark.parametrize(("bad", "message"), BAD_LINES)
@pytest.mark.parametrize("gz", [False, True])
def test_bad_middle_line_is_skipped_with_a_warning(tmp_path: Path, bad: str, message: str, gz: bool) -> None:
    text = f"{header_line()}\n10 m 01\n{bad}\n20 m 02\n"
    path = write_text(tmp_path / "mid.imuhold", text, gz=gz)
    recording = read_recording(path)
    assert recording.packets == [Packet(10, MOTION, b"\x01"), Packet(20, MOTION, b"\x02")]
    assert len(recording.warnings) == 1
    assert recording.warnings[0].startswith(f"{path}:3: ")
    assert message in recording.warnings[0]
    _, stream = iter_recording(path)
    assert list(stream) == recording.packets
    assert stream.warnings == recording.warnings


def test_host_time_going_back_is_kept_with_a_warning(tmp_path: Path) -> None:
    path = write_text(tmp_path / "back.imuhold", f"{header_line()}\n2000000 m 01\n1000000 m 02\n1000000 m 03\n")
    recording = read_recording(path)
    assert [p.t_host_ns for p in recording.packets] == [2_000_000, 1_000_000, 1_000_000]
    assert recording.warnings == [f"{path}:3: host time goes back by 1.000 ms (kept)"]


@pytest.mark.parametrize("gz", [False, True])
def test_truncated_last_line(tmp_path: Path, gz: bool) -> None:
    path = write_text(tmp_path / "cut.imuhold", f"{header_line()}\n10 m 01\n20 m 02\n30 m 0", gz=gz)
    recording = read_recording(path)
    assert [p.payload for p in recording.packets] == [b"\x01", b"\x02"]
    assert recording.warnings == [
        f"{path}:4: payload '0' is not hex bytes (the last line, without a newline: cut short?)"
    ]


@pytest.mark.parametrize("cut", [1, 7, 100, 500, 2000])
def test_truncated_gzip_loads_everything_before_the_cut(tmp_path: Path, cut: int) -> None:
    whole = tmp_path / "whole.imuhold.gz"
    packets = make_packets(3000)
    with RecordingWriter(whole, make_header()) as writer:
        for packet in packets:
            writer.write(packet)
    data = whole.read_bytes()
    path = tmp_path / "cut.imuhold.gz"
    path.write_bytes(data[: len(data) - cut])
    recording = read_recording(path)
    loaded = recording.packets
    assert 0 < len(loaded) <= len(packets)
    assert loaded == packets[: len(loaded)]
    assert len(recording.warnings) == 1
    warning = recording.warnings[0]
    assert warning.startswith(f"{path}:")
    assert "ends abruptly" in warning
    line = int(warning.split(":")[1])
    assert line == len(loaded) + 2, "names the first line not loaded (line 1 is the header)"


def test_corrupt_gzip_mid_file_keeps_the_lines_before(tmp_path: Path) -> None:
    text = header_line() + "\n" + "".join(f"{i} m {os.urandom(20).hex()}\n" for i in range(20_000))
    compressed = bytearray(gzip.compress(text.encode()))
    middle = len(compressed) // 2
    compressed[middle : middle + 64] = b"\xff" * 64
    path = tmp_path / "corrupt.imuhold.gz"
    path.write_bytes(bytes(compressed))
    recording = read_recording(path)
    assert 0 < len(recording.packets) < 20_000
    assert any("corrupt" in w for w in recording.warnings), recording.warnings
    assert all(w.startswith(f"{path}") for w in recording.warnings)


def test_trailing_garbage_after_gzip_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "padded.imuhold.gz"
    path.write_bytes(gzip.compress(f"{header_line()}\n1 m 01\n".encode()) + b"\x00" * 512)
    recording = read_recording(path)
    assert recording.packets == [Packet(1, MOTION, b"\x01")]
    assert recording.warnings == [f"{path}: ignored 512 bytes after the compressed data"]


def test_warnings_are_capped_and_counted(tmp_path: Path) -> None:
    bad = "".join(f"garbage line {i}\n" for i in range(MAX_WARNINGS + 50))
    path = write_text(tmp_path / "noisy.imuhold", f"{header_line()}\n1 m 01\n{bad}2 m 02\n")
    recording = read_recording(path)
    assert len(recording.packets) == 2
    assert len(recording.warnings) == MAX_WARNINGS + 1
    assert recording.warnings[-1] == f"{path}: 50 more problems not listed"


def test_invalid_utf8_line_is_one_warning(tmp_path: Path) -> None:
    path = tmp_path / "bytes.imuhold"
    path.write_bytes(f"{header_line()}\n1 m 01\n".encode() + b"2 \xff\xfe 02\n3 m 03\n")
    recording = read_recording(path)
    assert [p.t_host_ns for p in recording.packets] == [1, 3]
    assert len(recording.warnings) == 1 and recording.warnings[0].startswith(f"{path}:3: unknown")
