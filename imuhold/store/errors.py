"""Typed errors of the sessions store, each with a user-facing title."""

from __future__ import annotations

from imuhold.errors import ImuholdError


class StoreError(ImuholdError):
    """The sessions database could not be opened, read or written; names the file and says why."""

    title = "Cannot save sessions"

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        super().__init__(f"{path}: {message}")


class SessionNotFound(ImuholdError):
    """A session id (or ``last``) that the database does not hold."""

    title = "No such session"
