"""The user's config, the sessions store (interrupted sessions recovered) and new sessions' recorders, for commands.

Problems are printed on stderr as one line each; a failure to open is click's one-line error.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from imuhold.cli.common import click_error
from imuhold.errors import ImuholdError

if TYPE_CHECKING:
    from imuhold.config import Config
    from imuhold.store import SessionRecorder, SessionStore


def user_config() -> Config:
    """The user's configuration; an unreadable one is click's one-line error."""
    from imuhold.config import load_config

    try:
        return load_config()
    except ImuholdError as exc:
        raise click_error(exc) from None


def open_store(data_dir: Path | None) -> tuple[SessionStore, Path]:
    """The sessions database in the chosen data dir, with interrupted sessions recovered (reported on stderr)."""
    from imuhold.config import data_dir as default_data_dir
    from imuhold.config import private_dir
    from imuhold.recovery import recover
    from imuhold.store import SessionStore, StoreError

    folder = default_data_dir(data_dir)
    params = user_config().detector_params()  # recovery replays recordings with the user's detector settings
    try:
        store = SessionStore.open(private_dir(folder))
    except (StoreError, OSError) as exc:
        raise click.ClickException(f"Cannot open sessions: {exc}") from None
    try:
        messages = recover(store, folder, params)
    except StoreError as exc:
        messages = [f"could not recover interrupted sessions: {exc}"]
    for message in messages:
        click.echo(f"imuhold: {message}", err=True)
    return store, folder


def start_recorder(
    data_dir: Path | None, profile: str, rate_hz: float, sensor: str, counterweight_kg: float | None
) -> SessionRecorder:
    """A recorder for a new session (target from progression); problems are printed on stderr as they happen."""
    from imuhold.store import SessionRecorder, SessionSetup, suggest_from_store

    configured_s = user_config().target_hold_s
    store, folder = open_store(data_dir)
    try:
        target = suggest_from_store(store, configured_s)
        setup = SessionSetup(profile, rate_hz, sensor, counterweight_kg, target.target_s)
        return SessionRecorder.start(
            folder, setup, store=store, on_problem=lambda p: click.echo(f"imuhold: {p.title}: {p}", err=True)
        )
    except ImuholdError as exc:
        store.close()
        raise click_error(exc) from None
