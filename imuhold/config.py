"""User configuration (TOML in the platform's config dir) and where imuhold keeps its files.

Every command honours ``--data-dir``/``IMUHOLD_DATA_DIR`` and ``IMUHOLD_CONFIG_DIR``; otherwise the platform's
user dirs are used (platformdirs). Files imuhold creates are readable only by their owner.
"""

from __future__ import annotations

import os
import stat
import tomllib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import platformdirs
import tomli_w

from imuhold.detect.params import DetectorParams
from imuhold.errors import ConfigError

APP = "imuhold"
CONFIG_FILE = "config.toml"
PRIVATE_DIR_MODE = 0o700
CUE_MODES = ("off", "bell", "speech")
CONVENTIONS = ("clinical", "isb", "opensim")
RANGES_S = {"target_hold_s": (1.0, 600.0), "cue_every_s": (1.0, 600.0)}
"""Allowed range of each setting in seconds."""


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """Where sessions and recordings live: ``override``, else IMUHOLD_DATA_DIR, else the user data dir."""
    chosen = override or os.environ.get("IMUHOLD_DATA_DIR") or platformdirs.user_data_dir(APP)
    return Path(chosen).expanduser()


def config_dir() -> Path:
    chosen = os.environ.get("IMUHOLD_CONFIG_DIR") or platformdirs.user_config_dir(APP)
    return Path(chosen).expanduser()


def private_dir(path: Path, notify: Callable[[str], None] | None = None) -> Path:
    """Create ``path`` (and parents) readable only by the owner; returns it.

    A folder that already exists open to other users is tightened to 0700, and ``notify`` hears one line about it.
    """
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    mode = stat.S_IMODE(path.stat().st_mode)
    if os.name == "nt" or not mode & 0o077:
        return path
    try:
        path.chmod(PRIVATE_DIR_MODE)
    except OSError as exc:
        message = f"{path} is open to other users (mode {mode:04o}) and cannot be made owner-only ({exc.strerror})"
    else:
        message = f"{path} was open to other users (mode {mode:04o}); it is owner-only ({PRIVATE_DIR_MODE:04o}) now"
    if notify is not None:
        notify(message)
    return path


@dataclass(frozen=True, slots=True)
class PairedSensor:
    """The one sensor imuhold connects to."""

    address: str
    name: str = ""
    profile: str = ""


@dataclass(frozen=True, slots=True)
class Config:
    """Everything a user may set; unknown keys in the file are an error naming them."""

    sensor: PairedSensor | None = None
    target_hold_s: float = 30.0
    cues: str = "bell"
    cue_every_s: float = 10.0
    convention: str = "clinical"
    detector: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.cues not in CUE_MODES:
            raise ConfigError(f"cues must be one of {', '.join(CUE_MODES)}, not {self.cues!r}")
        if self.convention not in CONVENTIONS:
            raise ConfigError(f"convention must be one of {', '.join(CONVENTIONS)}, not {self.convention!r}")
        for name, (low, high) in RANGES_S.items():
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
                raise ConfigError(f"{name} must be a number of seconds between {low:g} and {high:g}, not {value!r}")
        if not isinstance(self.detector, dict):
            raise ConfigError(f"detector must be a table of parameters, not {self.detector!r}")
        if self.sensor is not None and not all(isinstance(v, str) for v in asdict(self.sensor).values()):
            raise ConfigError(f"sensor address, name and profile must be strings, not {self.sensor}")
        self.detector_params()  # validates the overrides

    def detector_params(self) -> DetectorParams:
        return DetectorParams().with_overrides(self.detector)

    def to_toml_dict(self) -> dict[str, Any]:
        data = {k: v for k, v in asdict(self).items() if v is not None and k != "sensor"}
        if self.sensor is not None:
            data["sensor"] = asdict(self.sensor)
        return data

    @classmethod
    def from_toml_dict(cls, data: dict[str, Any]) -> Config:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(f"unknown setting(s): {', '.join(unknown)}")
        values = dict(data)
        sensor = values.pop("sensor", None)
        if sensor is not None and not isinstance(sensor, dict):
            raise ConfigError(f"sensor must be a table (address, name, profile), not {sensor!r}")
        try:
            return cls(sensor=PairedSensor(**sensor) if sensor else None, **values)
        except TypeError as exc:
            raise ConfigError(f"invalid setting: {exc}") from exc


def config_path() -> Path:
    return config_dir() / CONFIG_FILE


def load_config(path: Path | None = None) -> Config:
    """The saved configuration, or the defaults when there is none; ConfigError names the file when it is bad."""
    path = path or config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Config()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text (byte {exc.start}); TOML files are UTF-8") from exc
    try:
        return Config.from_toml_dict(tomllib.loads(text))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from exc
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from exc


def save_config(config: Config, path: Path | None = None) -> Path:
    """Write ``config`` atomically, owner-only; returns the path."""
    path = path or config_path()
    private_dir(path.parent)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        tomli_w.dump(config.to_toml_dict(), out)
    os.replace(tmp, path)
    return path


def with_sensor(config: Config, sensor: PairedSensor) -> Config:
    return replace(config, sensor=sensor)
