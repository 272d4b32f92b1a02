"""A corpus of hostile inputs: damaged, truncated, absurd and misleading files of every kind imuhold reads, bad
configs, damaged sessions databases. Each case is built from good data and then broken in one way."""

from __future__ import annotations

import gzip
import json
import random
import sqlite3
from collections.abc import Callable
from pathlib import Path

import numpy as np

from imuhold.protocol import imuhold_v1
from tests.formats.builders import session, sisfall_counts, write_cmu, write_dot, write_metabase, write_sisfall

SAMPLES = Path(__file__).resolve().parents[2] / "sample_recordings"
GOOD = SAMPLES / "beginner-short-holds.imuhold.gz"
M = imuhold_v1.MOTION_CHAR_UUID
EXTREME = (0, 0, 0, 0, -32768, -32768, -32768)
"""A frame whose quaternion is zero and whose acceleration is at the end of its range."""


def _header(**changes: object) -> str:
    header = {"format": "imuhold-recording", "version": 1, "profile": "imuhold-v1", "rate_hz": 100.0,
              "characteristics": {"m": M}}  # fmt: skip
    header.update(changes)
    return json.dumps(header)


def _good_lines() -> list[str]:
    return gzip.decompress(GOOD.read_bytes()).decode().splitlines()


def _frame(i: int, t_us: int, values: tuple[int, ...] = (16384, 0, 0, 0, 0, 0, 1000)) -> str:
    quat, acc = values[:4], values[4:]
    frame = imuhold_v1.encode_quat_acc(i % 256, t_us, tuple(v / 16384 for v in quat), tuple(a / 102 for a in acc))
    return frame.hex()


def _data(line: Callable[[int], str], n: int = 300) -> str:
    """A header and ``n`` data lines made by ``line(i)``."""
    return _header() + "\n" + "\n".join(line(i) for i in range(n))


def _first_cells(lines: list[bytes], start: int, cells: bytes) -> list[bytes]:
    """``lines`` with the first two cells of every line from ``start`` on replaced by ``cells``."""
    return [*lines[:start], *(cells + b"," + b",".join(line.split(b",")[2:]) for line in lines[start:])]


def _write(path: Path, data: bytes | str) -> Path:
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


# -- recordings (imuhold's own format) ------------------------------------------------------------------------
def recordings(folder: Path) -> dict[str, Path]:
    lines = _good_lines()
    good = "\n".join(lines) + "\n"
    rng = random.Random(16)
    cases: dict[str, bytes | str] = {
        "empty.imuhold": b"",
        "binary.imuhold": rng.randbytes(5000),
        "nul-bytes.imuhold": b"\0" * 10000,
        "utf16.imuhold": good[:2000].encode("utf-16"),
        "cut-gzip.imuhold.gz": gzip.compress(good.encode())[:3000],
        "gzip-magic-garbage.imuhold.gz": b"\x1f\x8b" + rng.randbytes(3000),
        "gzip-bomb.imuhold.gz": gzip.compress(b"\n" * (50 << 20)),
        "header-only.imuhold": _header() + "\n",
        "rate-1e9.imuhold": _header(rate_hz=1e9) + "\n" + "\n".join(lines[1:200]),
        "rate-zero.imuhold": _header(rate_hz=0) + "\n" + "\n".join(lines[1:200]),
        "rate-text.imuhold": _header(rate_hz="fast") + "\n",
        "profile-unknown.imuhold": _header(profile="nonesuch") + "\n" + "\n".join(lines[1:200]),
        "profile-number.imuhold": _header(profile=7) + "\n",
        "characteristics-list.imuhold": _header(characteristics=[1, 2]) + "\n",
        "header-array.imuhold": "[1, 2, 3]\n",
        "header-deep.imuhold": "[" * 100_000 + "\n",
        "long-line.imuhold": _header() + "\n" + "0 m " + "ab" * (4 << 20) + "\n",
        "no-newline.imuhold": "x" * (3 << 20),
        "bad-hex.imuhold": _header() + "\n" + "\n".join(f"{i * 10_000_000} m zz{i}" for i in range(300)),
        "odd-hex.imuhold": _header() + "\n" + "\n".join(f"{i * 10_000_000} m abc" for i in range(300)),
        "negative-time.imuhold": _header() + "\n" + "\n".join(f"-{i} m {_frame(i, i)}" for i in range(300)),
        "huge-time.imuhold": _header() + "\n" + "\n".join(f"{10**30 + i} m {_frame(i, i)}" for i in range(300)),
        "time-backwards.imuhold": _header() + "\n"
        + "\n".join(f"{(300 - i) * 10_000_000} m {_frame(i, i * 10_000)}" for i in range(300)),
        "time-jump.imuhold": _header() + "\n"
        + "\n".join(f"{i * 10_000_000 + (i > 150) * 10**14} m {_frame(i, i * 10_000)}" for i in range(300)),
        "unknown-alias.imuhold": _data(lambda i: f"{i * 10_000_000} q {_frame(i, i)}"),
        "extreme-values.imuhold": _data(lambda i: f"{i * 10_000_000} m {_frame(i, i * 10_000, EXTREME)}"),
        "short-frames.imuhold": _header() + "\n" + "\n".join(f"{i * 10_000_000} m 0102" for i in range(300)),
        "bad-marks.imuhold": "\n".join(lines[:100]) + '\n#mark {"kind": 5}\n#mark [\n#alias {"m": "nope"}\n'
        + "\n".join(lines[100:300]),
        "truncated-mid-line.imuhold": good[: len(good) // 2],
    }
    return {name: _write(folder / name, data) for name, data in cases.items()}


# -- foreign files --------------------------------------------------------------------------------------------
def _damaged(path: Path, edit: Callable[[list[bytes]], list[bytes]]) -> Path:
    lines = path.read_bytes().split(b"\n")
    return _write(path, b"\n".join(edit(lines)))


def foreign(folder: Path) -> dict[str, Path]:
    sim = session()
    out: dict[str, Path] = {}

    def sisfall(name: str, edit: Callable[[list[bytes]], list[bytes]]) -> None:
        out[name] = _damaged(write_sisfall(folder / name, sisfall_counts(session(200.0))), edit)

    sisfall("D01_SA01_R01-overflow.txt", lambda ls: [*ls[:50], b"99999999999999999999999,1,1,1,1,1,1,1,1;\r", *ls[51:]])
    sisfall("D01_SA01_R02-all-bad.txt", lambda ls: [ls[0], ls[1], *(b"1,2,x;" for _ in ls[2:])])
    sisfall("D01_SA01_R03-two-lines.txt", lambda ls: ls[:2])
    sisfall("D01_SA01_R04-huge-line.txt", lambda ls: [*ls[:5], b"1," * 5_000_000, *ls[5:]])

    def cmu(name: str, edit: Callable[[list[bytes]], list[bytes]]) -> None:
        out[name] = _damaged(write_cmu(folder / name, sim), edit)

    cmu("SqDL_01_rep1-bare-cr.csv", lambda ls: [*ls[:40], ls[40][:30] + b"\r" + ls[40][30:], *ls[41:]])
    cmu("SqDL_01_rep2-header-only.csv", lambda ls: ls[:3])
    cmu("SqDL_01_rep3-no-pelvis.csv", lambda ls: [line.replace(b"Pelvis", b"Pelvic") for line in ls])
    cmu("SqDL_01_rep4-quote.csv", lambda ls: [*ls[:40], b'"' + ls[40], *ls[41:]])
    cmu("SqDL_01_rep5-inf.csv", lambda ls: [*ls[:3], *(line.replace(b"0.0", b"inf", 1) for line in ls[3:])])
    cmu("SqDL_01_rep6-nan-time.csv", lambda ls: _first_cells(ls, 3, b"1,nan"))
    cmu("SqDL_01_rep7-1e308.csv", lambda ls: [*ls[:3], *(line.replace(b"0.", b"1e308", 3) for line in ls[3:])])

    def dot(name: str, edit: Callable[[list[bytes]], list[bytes]], mode: str = "quat") -> None:
        out[name] = _damaged(write_dot(folder / name, sim, mode), edit)

    dot("dot-no-rows.csv", lambda ls: ls[:12])
    dot("dot-nan.csv", lambda ls: [*ls[:12], *(line.replace(b"0.", b"nan", 1) for line in ls[12:])])
    dot("dot-time-text.csv", lambda ls: _first_cells(ls, 12, b"1,abc"))
    dot("dot-same-time.csv", lambda ls: _first_cells(ls, 12, b"1,5"))
    dot("dot-huge-counter.csv", lambda ls: _first_cells(ls, 12, b"1,99999999999999999999999"))
    dot("dot-rate-inf.csv", lambda ls: [*ls[:12], *(line.replace(b",", b",1e308,", 1) for line in ls[12:])], "rate")

    acc, gyr = write_metabase(folder, sim, "MetaWear_alone")
    gyr.unlink()
    out["metabase-no-gyro.csv"] = acc
    acc, gyr = write_metabase(folder, sim, "MetaWear_backwards")
    out["metabase-backwards.csv"] = _damaged(acc, lambda ls: [ls[0], *reversed(ls[1:])])
    acc, gyr = write_metabase(folder, sim, "MetaWear_one_gyro_row")
    _damaged(gyr, lambda ls: ls[:2])
    out["metabase-one-gyro-row.csv"] = acc

    header = "t_s,host_t_s,seq,quat_w,quat_x,quat_y,quat_z,acc_x_m_s2,acc_y_m_s2,acc_z_m_s2,gyr_x_rad_s,gyr_y_rad_s,"
    header += "gyr_z_rad_s"
    out["export-header-only.csv"] = _write(folder / "export-header-only.csv", header + "\n")
    out["export-nan.csv"] = _write(folder / "export-nan.csv", header + "\n" + "nan,0,0,1,0,0,0,0,0,9.8,0,0,0\n" * 10)
    out["export-one-row.csv"] = _write(folder / "export-one-row.csv", header + "\n0,0,0,1,0,0,0,0,0,9.8,,,\n")
    out["export-inf.csv"] = _write(
        folder / "export-inf.csv",
        header + "\n" + "".join(f"{i / 100},0,{i},1,0,0,0,inf,0,9.8,0,0,0\n" for i in range(300)),
    )
    return out


# -- dataset folders for evaluate -----------------------------------------------------------------------------
def damaged_broad_trial(path: Path) -> Path:
    np.savez(path, imu_acc=np.zeros((0, 3)), imu_gyr=np.zeros((5, 3)), opt_quat=np.zeros((5, 4)),
             movement=np.ones(5), sampling_rate=np.array("x"))  # fmt: skip
    return path


def evaluation_folder(folder: Path) -> Path:
    """A folder with one good labelled recording and damaged files of every kind evaluate recognises."""
    folder.mkdir(parents=True)
    for suffix in (".imuhold.gz", ".labels.json"):
        (folder / f"long-hold{suffix}").write_bytes((SAMPLES / f"long-hold{suffix}").read_bytes())
    (folder / "bad-labels.imuhold.gz").write_bytes(GOOD.read_bytes())
    _write(folder / "bad-labels.labels.json", '{"version": 1, "events": [')
    _write(folder / "cut.imuhold.gz", GOOD.read_bytes()[:2000])
    _write(folder / "cut.labels.json", (SAMPLES / "beginner-short-holds.labels.json").read_text())
    damaged_broad_trial(folder / "trial_1.npz")
    _write(folder / "trial_2.npz", b"PK\x03\x04" + random.Random(1).randbytes(500))
    (folder / "foreign").mkdir()
    foreign(folder / "foreign")
    return folder


# -- configs --------------------------------------------------------------------------------------------------
CONFIGS: dict[str, bytes] = {
    "wrong-type": b"detector = { min_hold_s = 'x' }\n",
    "inf-param": b"detector = { min_hold_s = inf }\n",
    "huge-param": b"detector = { quiet_speed_dps = 1e308 }\n",
    "not-utf8": b"cues = '\xff\xfe'\n",
    "not-toml": b"target_hold_s = \n",
    "target-text": b"target_hold_s = 'long'\n",
    "target-inf": b"target_hold_s = inf\n",
    "sensor-string": b"sensor = 'AA:BB'\n",
    "detector-list": b"detector = [1, 2]\n",
    "binary": bytes(range(256)),
}


# -- sessions databases ---------------------------------------------------------------------------------------
def damage_database(db: Path, how: str, seed: int = 0) -> None:
    """Break the sessions database ``db`` in one of ``DATABASE_DAMAGE``'s ways."""
    if how == "pages":
        rng = random.Random(seed)
        data = bytearray(db.read_bytes())
        for page in range(1, len(data) // 4096):
            if rng.random() < 0.5:
                at = page * 4096 + rng.randrange(0, 3500)
                data[at : at + 500] = rng.randbytes(500)
        db.write_bytes(bytes(data))
    elif how == "header":
        db.write_bytes(b"\0" * 100 + db.read_bytes()[100:])
    elif how == "empty":
        db.write_bytes(b"")
    elif how == "garbage":
        db.write_bytes(random.Random(seed).randbytes(8192))
    elif how == "newer-schema":
        with sqlite3.connect(db) as conn:
            conn.execute("PRAGMA user_version = 99")
    else:
        with sqlite3.connect(db) as conn:
            conn.executescript(ROW_DAMAGE[how])


ROW_DAMAGE = {
    "started-text": "UPDATE sessions SET started_utc = 'yesterday';",
    "duration-text": "UPDATE sessions SET duration_s = 'long';",
    "calibration-json": "UPDATE sessions SET calibration = '{';",
    "event-kind": "UPDATE events SET kind = 'jump';",
    "hold-text": "UPDATE holds SET end_s = 'x';",
    "tilt-blob": "UPDATE tilt SET state = x'00';",
    "no-tables": "DROP TABLE tilt; DROP TABLE holds;",
}
DATABASE_DAMAGE = ("pages", "header", "empty", "garbage", "newer-schema", *ROW_DAMAGE)
