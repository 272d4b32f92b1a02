"""Recording format v1 value types: the header, marks, and the rules for aliases and UUIDs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from imuhold import __version__

RECORDING_FORMAT = "imuhold-recording"
RECORDING_VERSION = 1
SUFFIX = ".imuhold"
GZIP_SUFFIX = ".imuhold.gz"
GZIP_MAGIC = b"\x1f\x8b"
RATE_RANGE_HZ = (0.5, 2000.0)
"""Nominal sample rates a recording may declare: BLE motion sensors stream from a few Hz to about 1 kHz."""

# Keys of the header line that are fields of RecordingHeader; every other key lands in ``extra``.
HEADER_KEYS = frozenset({"format", "version", "profile", "rate_hz", "app_version", "created_utc", "characteristics"})
MARK_KEYS = frozenset({"t_host_ns", "kind"})

_HEX = frozenset("0123456789abcdefABCDEF")
_UUID_LENGTH = 36
_UUID_DASHES = (8, 13, 18, 23)


def is_uuid(text: str) -> bool:
    """True for a full 128-bit UUID in its 8-4-4-4-12 hex form (either case)."""
    if len(text) != _UUID_LENGTH:
        return False
    if any(text[i] != "-" for i in _UUID_DASHES):
        return False
    return all(c in _HEX for c in text.replace("-", ""))


def check_alias(alias: object) -> str:
    """The alias if it can stand for a characteristic on a data line; ValueError saying why not."""
    if not isinstance(alias, str) or not alias:
        raise ValueError(f"alias {alias!r} must be a non-empty string")
    if alias.startswith("#") or any(c.isspace() for c in alias) or alias == "-":
        raise ValueError(f"alias {alias!r} may not contain spaces, start with '#' or be '-'")
    if is_uuid(alias):
        raise ValueError(f"alias {alias!r} may not itself be a UUID")
    return alias


def check_uuid(uuid: object) -> str:
    """The UUID in lower case; ValueError when it is not a full 128-bit UUID string."""
    if not isinstance(uuid, str) or not is_uuid(uuid):
        raise ValueError(f"{uuid!r} is not a full characteristic UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)")
    return uuid.lower()


def check_characteristics(mapping: object) -> dict[str, str]:
    """A validated copy of an alias → UUID mapping, UUIDs in lower case."""
    if not isinstance(mapping, dict):
        raise ValueError("'characteristics' must be an object mapping aliases to UUIDs")
    return {check_alias(alias): check_uuid(uuid) for alias, uuid in mapping.items()}


def check_rate_hz(rate_hz: object) -> None:
    """ValueError giving the allowed range unless ``rate_hz`` is a sample rate a sensor can have."""
    low, high = RATE_RANGE_HZ
    if isinstance(rate_hz, bool) or not isinstance(rate_hz, int | float) or not low <= rate_hz <= high:
        raise ValueError(f"rate_hz must be a number between {low:g} and {high:g} Hz, not {rate_hz!r}")


def utc_now_iso() -> str:
    """The current UTC time as ``2026-11-24T10:00:00Z`` (for ``created_utc``)."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class RecordingHeader:
    """The first line of a recording: sensor profile, nominal rate, provenance and characteristic aliases.

    ``characteristics`` maps the short aliases used on data lines to full lower-case UUIDs. ``extra`` holds
    every other header key (sensor info, calibration, source, notes) and is written back unchanged.
    """

    profile: str
    rate_hz: float
    app_version: str = __version__
    created_utc: str = field(default_factory=utc_now_iso)
    characteristics: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.profile, str) or not self.profile:
            raise ValueError(f"profile must be a non-empty string, not {self.profile!r}")
        check_rate_hz(self.rate_hz)
        if not isinstance(self.app_version, str) or not isinstance(self.created_utc, str):
            raise ValueError("app_version and created_utc must be strings")
        if not isinstance(self.extra, dict):
            raise ValueError("extra must be a dict")
        clash = HEADER_KEYS & set(self.extra)
        if clash:
            raise ValueError(f"extra may not use the header's own keys: {', '.join(sorted(clash))}")
        # Copies, so a caller's later edits to its dicts cannot change a frozen header.
        object.__setattr__(self, "rate_hz", float(self.rate_hz))
        object.__setattr__(self, "characteristics", check_characteristics(self.characteristics))
        object.__setattr__(self, "extra", dict(self.extra))

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "format": RECORDING_FORMAT,
            "version": RECORDING_VERSION,
            "profile": self.profile,
            "rate_hz": self.rate_hz,
            "app_version": self.app_version,
            "created_utc": self.created_utc,
            "characteristics": dict(self.characteristics),
            **self.extra,
        }

    @classmethod
    def from_json_dict(cls, data: object) -> RecordingHeader:
        """Build from the header line's JSON; ValueError with a readable reason when it is not a v1 header."""
        if not isinstance(data, dict):
            raise ValueError("the first line is not a recording header (expected a JSON object)")
        if data.get("format") != RECORDING_FORMAT:
            raise ValueError(f"not an imuhold recording (header format is {data.get('format')!r})")
        version = data.get("version")
        if isinstance(version, int) and not isinstance(version, bool) and version > RECORDING_VERSION:
            raise ValueError(
                f"recording format version {version} is newer than this imuhold reads "
                f"(version {RECORDING_VERSION}); please upgrade imuhold"
            )
        if version != RECORDING_VERSION or isinstance(version, bool):
            raise ValueError(f"unsupported recording format version {version!r}")
        for key in ("profile", "rate_hz"):
            if key not in data:
                raise ValueError(f"the header has no {key!r}")
        return cls(
            profile=data["profile"],
            rate_hz=data["rate_hz"],
            app_version=data.get("app_version", ""),
            created_utc=data.get("created_utc", ""),
            characteristics=data.get("characteristics", {}),
            extra={k: v for k, v in data.items() if k not in HEADER_KEYS},
        )


@dataclass(frozen=True)
class Mark:
    """A timed annotation inside a recording: a link gap, a user mark… ``data`` holds its other JSON keys."""

    t_host_ns: int
    kind: str
    data: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        t = self.t_host_ns
        if isinstance(t, bool) or not isinstance(t, int) or t < 0:
            raise ValueError(f"mark t_host_ns must be a non-negative integer, not {t!r}")
        if not isinstance(self.kind, str) or not self.kind:
            raise ValueError(f"mark kind must be a non-empty string, not {self.kind!r}")
        if not isinstance(self.data, dict):
            raise ValueError("mark data must be a dict")
        clash = MARK_KEYS & set(self.data)
        if clash:
            raise ValueError(f"mark data may not use the keys {', '.join(sorted(clash))}")
        object.__setattr__(self, "data", dict(self.data))

    def to_json_dict(self) -> dict[str, Any]:
        return {"t_host_ns": self.t_host_ns, "kind": self.kind, **self.data}

    @classmethod
    def from_json_dict(cls, data: object) -> Mark:
        """Build from a ``#mark`` line's JSON; ValueError when it is not a mark."""
        if not isinstance(data, dict):
            raise ValueError("a mark must be a JSON object")
        if "t_host_ns" not in data or "kind" not in data:
            raise ValueError("a mark needs 't_host_ns' and 'kind'")
        return cls(data["t_host_ns"], data["kind"], {k: v for k, v in data.items() if k not in MARK_KEYS})
