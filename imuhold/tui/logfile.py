"""The TUI logs to a file, never to the terminal it draws on."""

from __future__ import annotations

import logging
from pathlib import Path

LOG_FILE = "imuhold.log"
_handler: logging.Handler | None = None


def log_to_file(directory: Path, level: int = logging.INFO) -> Path:
    """Send every log record (imuhold's from ``level``, other libraries' warnings) to ``directory/imuhold.log``,
    created owner-only, instead of stderr; calling it again moves the log. Returns the path."""
    global _handler
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = directory / LOG_FILE
    path.touch(mode=0o600)
    close_log_file()
    root = logging.getLogger()
    _handler = logging.FileHandler(path, encoding="utf-8")
    _handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(_handler)
    if root.level > logging.WARNING or root.level == logging.NOTSET:
        root.setLevel(logging.WARNING)
    logging.getLogger("imuhold").setLevel(level)
    return path


def close_log_file() -> None:
    """Stop logging to the file (for tests, and a clean exit)."""
    global _handler
    if _handler is not None:
        logging.getLogger().removeHandler(_handler)
        _handler.close()
        _handler = None
