"""Damaged lines inside otherwise good foreign files: skipped and counted with a warning, never an exception, and
the rest of the file is imported; a file that cannot be opened says so."""

import pytest

from imuhold import formats
from imuhold.errors import RecordingError

from .builders import session, sisfall_counts, write_cmu, write_metabase, write_sisfall


def _edit_line(path, number, edit):
    """Rewrite line ``number`` (0-based, LF-separated) of an uncompressed file with ``edit(line)``."""
    lines = path.read_bytes().split(b"\n")
    lines[number] = edit(lines[number])
    path.write_bytes(b"\n".join(lines))


def test_a_sisfall_count_beyond_16_bits_is_a_malformed_line(tmp_path):
    path = write_sisfall(tmp_path / "D07_SA01_R01.txt", sisfall_counts(session(200.0)))
    good = formats.load(path, "sisfall")
    _edit_line(path, 50, lambda _: b"99999999999999999999999,1,1,1,1,1,1,1,1;\r")
    _edit_line(path, 60, lambda _: b"1,1,1,1,1,1,1,1,40000;\r")
    imported = formats.load(path, "auto")
    assert imported.samples == good.samples - 2
    assert any("skipped 2 malformed line(s): 51, 61" in w for w in imported.warnings), imported.warnings


@pytest.mark.parametrize("damage", [b"\r", b"\r\n", b"\"", b",\""])
def test_a_bare_cr_or_stray_quote_in_a_cmu_csv_skips_the_rows_it_breaks(tmp_path, damage):
    path = write_cmu(tmp_path / "SqDL_01_rep1.csv", session())
    good = formats.load(path, "cmu-mbl")
    _edit_line(path, 40, lambda line: line[:200] + damage + line[200:])
    imported = formats.load(path, "auto")
    assert good.samples - 2 <= imported.samples < good.samples
    assert any("missing or malformed" in w for w in imported.warnings), imported.warnings


def test_a_field_over_the_csv_limit_is_a_line_that_is_not_csv(tmp_path):
    path = write_cmu(tmp_path / "SqDL_01_rep1.csv", session())
    good = formats.load(path, "cmu-mbl")
    _edit_line(path, 30, lambda line: line + b',"' + b"x" * 200_000 + b'"')
    imported = formats.load(path, "cmu-mbl")
    assert imported.samples == good.samples - 1
    assert any("1 line(s) are not CSV: 31" in w for w in imported.warnings), imported.warnings


def test_a_bare_cr_in_a_metabase_csv_skips_the_rows_it_breaks(tmp_path):
    acc, _ = write_metabase(tmp_path, session())
    good = formats.load(acc, "metabase-csv")
    _edit_line(acc, 20, lambda line: line[:5] + b"\r" + line[5:])
    imported = formats.load(acc, "auto")
    assert imported.samples == good.samples - 1
    assert any("missing or malformed" in w for w in imported.warnings), imported.warnings


@pytest.mark.parametrize("fmt", ["auto", "sisfall", "cmu-mbl"])
def test_a_missing_file_or_a_directory_is_named_as_such(tmp_path, fmt):
    with pytest.raises(RecordingError, match="no such file"):
        formats.load(tmp_path / "missing.imuhold", fmt)
    with pytest.raises(RecordingError, match="is a directory"):
        formats.load(tmp_path, fmt)
