"""Exports: the samples CSV, the JSON summary and the OpenSim .sto, in each angle convention; CSV round-trips."""

from __future__ import annotations

import csv
import io
import json
import math
import stat
import sys

import pytest
from click.testing import CliRunner

from imuhold.analysis import analyze_recording
from imuhold.cli import main
from imuhold.export import export_session, get_convention
from imuhold.export.csv_samples import columns
from imuhold.formats import IMPORTERS, imuhold_export
from imuhold.formats.packets import write_recording
from imuhold.store import SessionStore

from .helpers import record, sample


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("export")
    record(data_dir, sample())
    return data_dir


def export(data_dir, fmt: str, convention: str = "clinical"):
    out = io.StringIO()
    with SessionStore.open(data_dir) as store:
        info = store.resolve("last")
        result = export_session(store, info, fmt, out, data_dir=data_dir, convention=convention)
        holds = store.holds(info.id)
    return out.getvalue(), result, info, holds


def test_samples_csv_has_the_documented_columns_one_row_per_sample(session):
    text, result, info, holds = export(session, "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == columns(get_convention("clinical"))
    assert len(rows) == result.rows == info.samples
    times = [float(r["t_s"]) for r in rows]
    assert times == sorted(times) and times[0] == 0.0
    assert {r["hold"] for r in rows} - {""} == {"1", "2", "3", "4", "5"} and len(holds) == 5
    starts = [float(r["t_s"]) for r in rows if "hold_start" in r["event"].split(";")]
    assert starts == pytest.approx([h.start_s for h in holds], abs=5.1e-5)  # the CSV rounds to 0.1 ms
    first_hold = [r for r in rows if r["hold"] == "1"]
    assert float(first_hold[0]["t_s"]) == pytest.approx(holds[0].start_s, abs=5.1e-5)
    assert float(first_hold[-1]["t_s"]) == pytest.approx(holds[0].end_s, abs=5.1e-5)
    assert rows[0]["state"] == "calibrating" and rows[0]["tilt_deg"] == ""
    assert {r["state"] for r in rows} >= {"standing", "holding", "descending"}


@pytest.mark.parametrize(
    ("convention", "tilt", "obliquity"),
    [("isb", "tilt_isb_deg", "obliquity_isb_deg"), ("opensim", "pelvis_tilt_deg", "pelvis_list_deg")],
)
def test_isb_and_opensim_flip_tilt_and_obliquity(session, convention, tilt, obliquity):
    clinical = list(csv.DictReader(io.StringIO(export(session, "csv")[0])))
    other = list(csv.DictReader(io.StringIO(export(session, "csv", convention)[0])))
    pairs = [(c, o) for c, o in zip(clinical, other, strict=True) if c["tilt_deg"]]
    assert pairs and all(float(o[tilt]) == -float(c["tilt_deg"]) for c, o in pairs)
    assert all(float(o[obliquity]) == -float(c["obliquity_deg"]) for c, o in pairs)
    anterior = max(pairs, key=lambda p: float(p[0]["tilt_deg"]))
    assert float(anterior[0]["tilt_deg"]) > 10 and float(anterior[1][tilt]) < -10  # anterior tilt negative


def test_json_summary_matches_the_store(session):
    text, _result, info, holds = export(session, "json")
    doc = json.loads(text)
    assert doc["format"] == "imuhold-session" and doc["convention"]["name"] == "clinical"
    assert doc["session"]["id"] == info.id and doc["totals"]["holds"] == 5
    exported = [h for s in doc["squats"] for h in s["holds"]]
    assert [h["tilt_mean_deg"] for h in exported] == [round(h.tilt_mean_deg, 2) for h in holds]
    assert [h["duration_s"] for h in exported] == [round(h.duration_s, 3) for h in holds]
    flipped = json.loads(export(session, "json", "opensim")[0])
    assert [h["pelvis_tilt_mean_deg"] for s in flipped["squats"] for h in s["holds"]] == [
        -round(h.tilt_mean_deg, 2) for h in holds
    ]


def test_sto_is_an_opensim_quaternion_table(session):
    text, result, info, _ = export(session, "sto")
    lines = text.splitlines()
    assert lines[:6] == ["DataRate=50.000000", "DataType=Quaternion", "version=3", "OpenSimVersion=4.5", "endheader",
                         "time\tpelvis_imu"]  # fmt: skip
    data = [line.split("\t") for line in lines[6:]]
    assert len(data) == result.rows == info.samples
    for t, cell in data[:: max(1, len(data) // 50)]:
        float(t)
        w, x, y, z = (float(v) for v in cell.split(","))
        assert math.isclose(w * w + x * x + y * y + z * z, 1.0, abs_tol=1e-3)
    assert result.calibration_quat is not None


def test_a_session_without_its_recording_exports_its_tilt_series(tmp_path):
    recorder, _ = record(tmp_path, sample())
    recorder.recording_path.unlink()
    text, result, info, _ = export(tmp_path, "csv")
    assert "no recording file" in result.warnings[0]
    assert result.rows == len(text.splitlines()) - 1 == pytest.approx(info.duration_s * 10, abs=3)
    with SessionStore.open(tmp_path) as store, pytest.raises(ValueError, match="no recording"):
        export_session(store, store.resolve("last"), "sto", io.StringIO(), data_dir=tmp_path)


def test_a_tilt_series_garbled_half_way_is_one_error_line_and_no_file(tmp_path):
    recorder, _ = record(tmp_path / "data", sample())
    recorder.recording_path.unlink()
    with SessionStore.open(tmp_path / "data") as store:  # a damaged database: text where a number belongs
        store.conn.execute("UPDATE tilt SET tilt_deg = 'x' WHERE t_s = (SELECT MAX(t_s) FROM tilt)")
    out = tmp_path / "s.csv"
    result = CliRunner().invoke(main, ["export", "last", "--data-dir", str(tmp_path / "data"), "-o", str(out)])
    assert result.exit_code == 1 and "move it aside" in result.output and "Traceback" not in result.output
    assert not out.exists()  # the rows before it were written as they were read, then taken back


def test_the_samples_csv_imports_back_to_the_same_holds(session, tmp_path):
    text, _, _, holds = export(session, "csv", "opensim")
    exported = tmp_path / "session.csv"
    exported.write_text(text)
    assert imuhold_export.sniff(text[:1000])
    imported = imuhold_export.load(exported)
    assert imported.samples == len(text.splitlines()) - 1
    assert imported.rate_hz == pytest.approx(50.0, abs=0.5)  # from the time stamps: the chip samples 0.5 % slow
    write_recording(imported, tmp_path / "back.imuhold")
    analysis, _ = analyze_recording(tmp_path / "back.imuhold")
    again = [h for s in analysis.squats for h in s.holds]
    assert [h.start_s for h in again] == pytest.approx([h.start_s for h in holds], abs=0.03)
    assert [h.end_s for h in again] == pytest.approx([h.end_s for h in holds], abs=0.03)
    assert [h.tilt_mean_deg for h in again] == pytest.approx([h.tilt_mean_deg for h in holds], abs=0.1)


@pytest.mark.skipif("imuhold-csv" not in IMPORTERS, reason="imuhold-csv is not registered in imuhold.formats yet")
def test_imuhold_import_reads_our_own_csv(session, tmp_path):
    exported = tmp_path / "session.csv"
    exported.write_text(export(session, "csv")[0])
    result = CliRunner().invoke(main, ["import", "auto", str(exported), str(tmp_path / "back.imuhold")])
    assert result.exit_code == 0, result.output
    assert "from imuhold-csv" in result.output


def test_export_command_writes_owner_only_files_and_never_overwrites(session, tmp_path):
    out = tmp_path / "s.sto"
    args = ["export", "last", "--format", "sto", "--data-dir", str(session), "-o", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    calibration = tmp_path / "s_calibration.sto"
    assert out.read_text().startswith("DataRate=") and len(calibration.read_text().splitlines()) == 7
    if sys.platform != "win32":
        assert stat.S_IMODE(out.stat().st_mode) == stat.S_IMODE(calibration.stat().st_mode) == 0o600
    again = CliRunner().invoke(main, args)
    assert again.exit_code != 0 and "--force" in again.output
    assert CliRunner().invoke(main, [*args, "--force"]).exit_code == 0


def test_export_to_stdout_and_a_missing_session(session):
    result = CliRunner().invoke(main, ["export", "1", "--format", "json", "--convention", "isb",
                                       "--data-dir", str(session)])  # fmt: skip
    assert result.exit_code == 0 and json.loads(result.output)["convention"]["name"] == "isb"
    missing = CliRunner().invoke(main, ["export", "42", "--data-dir", str(session)])
    assert missing.exit_code == 1 and "No such session" in missing.output
