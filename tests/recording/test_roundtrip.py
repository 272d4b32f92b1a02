"""Writing then reading gives back the same header, packets and marks, plain or gzip, whole or streamed."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from imuhold.model import Packet
from imuhold.recording import Mark, RecordingWriter, iter_recording, read_recording

from .builders import CONTROL, INFO, MOTION, header_line, make_header, make_packets, write_text


def write_session(path: Path) -> tuple[list[Packet], list[Mark]]:
    """A recording with the motion alias, two undeclared characteristics, an empty payload and marks."""
    packets = make_packets(250)
    packets[100] = Packet(packets[100].t_host_ns, CONTROL, b"\x01")
    packets[101] = Packet(packets[101].t_host_ns, INFO, b"")
    packets[102] = Packet(packets[102].t_host_ns, CONTROL.upper(), b"\x02\x03")
    marks = [Mark(packets[50].t_host_ns, "user", {"note": "réglage ✓"}), Mark(packets[200].t_host_ns, "gap")]
    with RecordingWriter(path, make_header(sensor={"name": "IH-1"}, notes="test")) as writer:
        for i, packet in enumerate(packets):
            writer.write(packet)
            if i == 50:
                writer.mark(marks[0])
            if i == 200:
                writer.mark(marks[1])
    expected = [Packet(p.t_host_ns, p.characteristic.lower(), p.payload) for p in packets]
    return expected, marks


@pytest.mark.parametrize("name", ["session.imuhold", "session.imuhold.gz"])
def test_round_trip(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    packets, marks = write_session(path)
    recording = read_recording(path)
    assert recording.warnings == []
    assert recording.path == path
    assert recording.header == make_header(sensor={"name": "IH-1"}, notes="test")
    assert recording.header.extra == {"sensor": {"name": "IH-1"}, "notes": "test"}
    assert recording.packets == packets
    assert recording.marks == marks
    assert (path.read_bytes()[:2] == b"\x1f\x8b") == name.endswith(".gz")


def test_undeclared_characteristics_get_alias_lines(tmp_path: Path) -> None:
    path = tmp_path / "session.imuhold"
    write_session(path)
    lines = path.read_text().splitlines()
    alias_lines = [line for line in lines if line.startswith("#alias")]
    assert alias_lines == [f'#alias {{"a": "{CONTROL}"}}', f'#alias {{"b": "{INFO}"}}']
    assert lines.index(alias_lines[0]) < next(i for i, line in enumerate(lines) if " a " in line)
    assert any(line.endswith(" b -") for line in lines), "an empty payload is written as '-'"


def test_data_lines_are_short_and_lowercase(tmp_path: Path) -> None:
    path = tmp_path / "x.imuhold"
    with RecordingWriter(path, make_header()) as writer:
        writer.write(Packet(1_000, MOTION, bytes.fromhex("DEADBEEF")))
    assert path.read_text().splitlines()[1] == "1000 m deadbeef"


def test_gzip_is_detected_by_magic_without_suffix(tmp_path: Path) -> None:
    gz = tmp_path / "session.imuhold.gz"
    packets, marks = write_session(gz)
    disguised = tmp_path / "session.dat"
    shutil.copy(gz, disguised)
    recording = read_recording(disguised)
    assert recording.packets == packets and recording.marks == marks and recording.warnings == []


def test_plain_text_with_gz_suffix_still_reads(tmp_path: Path) -> None:
    path = write_text(tmp_path / "odd.imuhold.gz", f"{header_line()}\n1 m 00\n")
    assert read_recording(path).packets == [Packet(1, MOTION, b"\x00")]


def test_concatenated_gzip_members_read_as_one(tmp_path: Path) -> None:
    path = tmp_path / "joined.imuhold.gz"
    path.write_bytes(gzip.compress(f"{header_line()}\n1 m 01\n".encode()) + gzip.compress(b"2 m 02\n"))
    recording = read_recording(path)
    assert [p.payload for p in recording.packets] == [b"\x01", b"\x02"] and recording.warnings == []


def test_hand_written_file_features(tmp_path: Path) -> None:
    """Comments, blank lines, CRLF, a full UUID instead of an alias, a #alias line, equal host times."""
    text = (
        f"\ufeff{header_line()}\r\n"
        "# recorded on the balcony\r\n"
        "\r\n"
        f"100 {MOTION.upper()} 0A0b\r\n"
        f'#alias {{"c": "{CONTROL}"}}\r\n'
        "100 c ff\r\n"
        "#note this is only a comment\r\n"
        '#mark {"t_host_ns": 150, "kind": "user"}\r\n'
        "200 m 01\r\n"
    )
    recording = read_recording(write_text(tmp_path / "hand.imuhold", text))
    assert recording.warnings == []
    assert recording.packets == [
        Packet(100, MOTION, b"\x0a\x0b"),
        Packet(100, CONTROL, b"\xff"),
        Packet(200, MOTION, b"\x01"),
    ]
    assert recording.marks == [Mark(150, "user")]


def test_header_only_file_has_no_packets(tmp_path: Path) -> None:
    for text in (header_line(), header_line() + "\n"):
        recording = read_recording(write_text(tmp_path / "empty.imuhold", text))
        assert recording.packets == [] and recording.marks == [] and recording.warnings == []


def test_last_line_without_newline_is_kept_when_whole(tmp_path: Path) -> None:
    recording = read_recording(write_text(tmp_path / "x.imuhold", f"{header_line()}\n1 m 01\n2 m 02"))
    assert [p.payload for p in recording.packets] == [b"\x01", b"\x02"] and recording.warnings == []


@pytest.mark.parametrize("name", ["stream.imuhold", "stream.imuhold.gz"])
def test_iter_recording_streams_the_same_items_in_file_order(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    packets, marks = write_session(path)
    header, stream = iter_recording(path)
    with stream:
        items = list(stream)
    assert header == read_recording(path).header
    assert [i for i in items if isinstance(i, Packet)] == packets
    assert [i for i in items if isinstance(i, Mark)] == marks
    assert items.index(marks[0]) == 51, "the mark written after packet 50 comes right after it"
    assert stream.warnings == []


def test_iter_recording_spans_many_blocks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Small read blocks make lines straddle block boundaries; nothing is lost or duplicated."""
    monkeypatch.setattr("imuhold.recording.source.CHUNK_BYTES", 37)
    for name in ("blocks.imuhold", "blocks.imuhold.gz"):
        path = tmp_path / name
        packets, _ = write_session(path)
        _, stream = iter_recording(path)
        assert [i for i in stream if isinstance(i, Packet)] == packets
        assert read_recording(path).packets == packets


def test_iter_recording_can_stop_early_and_close(tmp_path: Path) -> None:
    path = tmp_path / "s.imuhold"
    packets, _ = write_session(path)
    _, stream = iter_recording(path)
    assert next(stream) == packets[0]
    stream.close()
    with pytest.raises(StopIteration):
        next(stream)


def test_the_documented_example_reads_cleanly(tmp_path: Path) -> None:
    """The example in docs/recording-format.md is a valid recording (the doc and the code agree)."""
    doc = Path(__file__).parents[2] / "docs" / "recording-format.md"
    example = doc.read_text().split("## Example", 1)[1].split("```text\n", 1)[1].split("```", 1)[0]
    recording = read_recording(write_text(tmp_path / "example.imuhold", example))
    assert recording.warnings == []
    assert recording.header.extra["sensor"]["name"] == "IH-1"
    assert [p.characteristic for p in recording.packets] == [MOTION, MOTION, INFO, MOTION]
    assert recording.packets[2].payload == b"\x5f"
    assert recording.marks == [Mark(81234580000000, "gap", {"note": "link lost for 0.4 s"})]
