"""Configuration: defaults, round trip, validation errors that name the file, owner-only files."""

import os
import stat

import pytest

from imuhold.config import Config, PairedSensor, data_dir, load_config, save_config
from imuhold.errors import ConfigError


def test_defaults_when_no_file(tmp_path):
    assert load_config(tmp_path / "none.toml") == Config()


def test_round_trip_and_owner_only(tmp_path):
    path = tmp_path / "cfg" / "config.toml"
    config = Config(sensor=PairedSensor("AA:BB:CC:DD:EE:FF", "imuhold-1", "imuhold-v1"), target_hold_s=45,
                    cues="speech", detector={"min_hold_s": 3.0})
    save_config(config, path)
    assert load_config(path) == config
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_config(path).detector_params().min_hold_s == 3.0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("cues = 'loud'", "cues must be one of"),
        ("colour = 'red'", "unknown setting"),
        ("detector = { min_hold = 2 }", "unknown detector parameter"),
        ("target_hold_s = ", "not valid TOML"),
    ],
)
def test_bad_file_names_itself(tmp_path, text, message):
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message) as caught:
        load_config(path)
    assert str(path) in str(caught.value)


def test_data_dir_override_order(monkeypatch, tmp_path):
    monkeypatch.setenv("IMUHOLD_DATA_DIR", str(tmp_path / "env"))
    assert data_dir() == tmp_path / "env"
    assert data_dir(tmp_path / "flag") == tmp_path / "flag"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("detector = { min_hold_s = 'x' }", "detector parameter min_hold_s must be a number, not 'x'"),
        ("detector = { min_hold_s = true }", "detector parameter min_hold_s must be a number"),
        ("detector = { min_hold_s = inf }", "min_hold_s must be between 0.2 and 600 s, not inf"),
        ("detector = { min_hold_s = nan }", "min_hold_s must be between 0.2 and 600 s, not nan"),
        ("detector = { quiet_speed_dps = 1e308 }", "quiet_speed_dps must be between 0.5 and 60 °/s"),
        ("detector = 3", "detector must be a table"),
        ("target_hold_s = 'x'", "target_hold_s must be a number of seconds between 1 and 600, not 'x'"),
        ("cue_every_s = 0", "cue_every_s must be a number of seconds between 1 and 600, not 0"),
        ("cue_every_s = inf", "between 1 and 600, not inf"),
        ("sensor = 'AA:BB'", "sensor must be a table"),
        ("sensor = { address = 5 }", "must be strings"),
        ("sensor = { adress = 'AA:BB' }", "invalid setting"),
    ],
)
def test_a_value_of_the_wrong_type_or_out_of_range_gives_the_allowed_range(tmp_path, text, message):
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message) as caught:
        load_config(path)
    assert str(path) in str(caught.value)


def test_a_config_file_that_is_not_utf8_is_named(tmp_path):
    path = tmp_path / "config.toml"
    path.write_bytes(b"cues = '\xff\xfe'\n")
    with pytest.raises(ConfigError, match="not UTF-8 text"):
        load_config(path)


@pytest.mark.skipif(os.name == "nt", reason="Windows has no owner/group/other modes")
def test_a_data_dir_open_to_others_is_tightened_with_one_notice(tmp_path):
    from imuhold.config import private_dir

    folder = tmp_path / "data"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    notices: list[str] = []
    assert private_dir(folder, notices.append) == folder
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert notices == [f"{folder} was open to other users (mode 0755); it is owner-only (0700) now"]
    private_dir(folder, notices.append)
    assert len(notices) == 1  # nothing to say the second time
    created = private_dir(tmp_path / "new" / "data", notices.append)
    assert stat.S_IMODE(created.stat().st_mode) == 0o700 and len(notices) == 1
