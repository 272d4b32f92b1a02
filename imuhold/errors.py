"""Typed errors, each with a short title a user can read."""

from __future__ import annotations


class ImuholdError(Exception):
    """Base of every error imuhold raises on purpose; ``title`` is shown to the user."""

    title = "imuhold error"


class RecordingError(ImuholdError):
    """A recording file could not be read; names the file and, where known, the line."""

    title = "Cannot read recording"

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {message}")


class ProtocolError(ImuholdError):
    """Bytes that do not follow a sensor profile."""

    title = "Unexpected sensor data"


class UnknownProfileError(ImuholdError):
    """A profile name or characteristic that imuhold does not know."""

    title = "Unknown sensor profile"


class ConfigError(ImuholdError):
    """A parameter or configuration value is out of range."""

    title = "Invalid configuration"


class DiskFull(ImuholdError):
    """The disk filled up while a session was being recorded: recording stopped, and what was written is kept.

    Raised by the sessions store's recorder; here, so that every loop feeding one (live, TUI, demo) can catch it.
    """

    title = "Disk full"

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        super().__init__(f"{path}: {message}")
