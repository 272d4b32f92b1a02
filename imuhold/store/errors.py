"""Typed errors of the sessions store, each with a user-facing title."""

from __future__ import annotations

from imuhold.errors import DiskFull, ImuholdError

__all__ = ["DiskFull", "SessionNotFound", "StoreError"]


class StoreError(ImuholdError):
    """The sessions database could not be opened, read or written; names the file and says why.

    ``title`` says which: the class's for a write, ``READING`` or ``OPENING`` when given.
    """

    title = "Cannot save sessions"
    READING = "Cannot read sessions"
    OPENING = "Cannot open sessions"

    def __init__(self, path: str, message: str, title: str | None = None) -> None:
        self.path = path
        if title is not None:
            self.title = title
        super().__init__(f"{path}: {message}")


class SessionNotFound(ImuholdError):
    """A session id (or ``last``) that the database does not hold."""

    title = "No such session"
