"""Fuzzing the reader: whatever the bytes, it returns a Recording or raises RecordingError, nothing else."""

from __future__ import annotations

import gzip
import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imuhold.errors import RecordingError
from imuhold.model import Packet
from imuhold.recording import Mark, RecordingWriter, iter_recording, read_recording

from .builders import CONTROL, header_line, make_header, make_packets

FUZZ = settings(
    max_examples=300,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
_counter = itertools.count()


@pytest.fixture(scope="module")
def valid_bytes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """A small valid recording, plain and gzip, with marks and alias lines to mutate."""
    folder = tmp_path_factory.mktemp("fuzz-seed")
    out = {}
    for name in ("seed.imuhold", "seed.imuhold.gz"):
        with RecordingWriter(folder / name, make_header(sensor={"name": "IH-1"})) as writer:
            for i, packet in enumerate(make_packets(40)):
                writer.write(packet if i % 7 else Packet(packet.t_host_ns, CONTROL, packet.payload[:3]))
                if i % 13 == 0:
                    writer.mark(Mark(packet.t_host_ns, "user", {"i": i}))
        out[name] = (folder / name).read_bytes()
    return out


def load(folder: Path, data: bytes) -> None:
    """Read ``data`` both ways; anything other than a Recording or RecordingError fails the test."""
    path = folder / f"case-{next(_counter)}.imuhold"
    path.write_bytes(data)
    try:
        recording = read_recording(path)
    except RecordingError as exc:
        assert exc.path == str(path)
        with pytest.raises(RecordingError):
            iter_recording(path)
        return
    assert all(w.startswith(str(path)) for w in recording.warnings)
    _, stream = iter_recording(path)
    with stream:
        items = list(stream)
    assert [i for i in items if isinstance(i, Packet)] == recording.packets
    assert stream.warnings == recording.warnings


@FUZZ
@given(data=st.binary(max_size=2000))
def test_random_bytes(tmp_path: Path, data: bytes) -> None:
    load(tmp_path, data)


@FUZZ
@given(data=st.binary(max_size=500))
def test_random_bytes_behind_gzip_magic(tmp_path: Path, data: bytes) -> None:
    load(tmp_path, b"\x1f\x8b" + data)


@FUZZ
@given(
    which=st.sampled_from(["seed.imuhold", "seed.imuhold.gz"]),
    edits=st.lists(
        st.tuples(
            st.sampled_from(["flip", "delete", "insert", "cut"]), st.floats(0, 1), st.binary(min_size=1, max_size=8)
        ),
        min_size=1,
        max_size=6,
    ),
)
def test_mutated_valid_recording(
    tmp_path: Path, valid_bytes: dict[str, bytes], which: str, edits: list[tuple[str, float, bytes]]
) -> None:
    data = bytearray(valid_bytes[which])
    for kind, where, junk in edits:
        at = int(where * (len(data) - 1)) if data else 0
        if kind == "flip" and data:
            data[at] ^= junk[0] or 1
        elif kind == "delete":
            del data[at : at + len(junk)]
        elif kind == "insert":
            data[at:at] = junk
        else:
            del data[at:]
    load(tmp_path, bytes(data))


@FUZZ
@given(
    lines=st.lists(st.text(st.characters(codec="utf-8", exclude_characters="\n"), max_size=80), max_size=30),
    gz=st.booleans(),
)
def test_valid_header_with_garbage_lines_loads_with_warnings(tmp_path: Path, lines: list[str], gz: bool) -> None:
    text = header_line() + "\n" + "\n".join(lines) + "\n"
    data = text.encode()
    path = tmp_path / f"garbage-{next(_counter)}.imuhold"
    path.write_bytes(gzip.compress(data) if gz else data)
    recording = read_recording(path)  # a valid header means it always loads
    assert recording.header == make_header()
    meaningful = [line for line in lines if line.strip() and not line.startswith("#")]
    assert len(recording.packets) + len(recording.warnings) >= len(meaningful) or len(recording.warnings) > 100
    assert all(w.startswith(f"{path}:") for w in recording.warnings)
