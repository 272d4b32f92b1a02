"""The user's config, the sessions store (interrupted sessions recovered) and new sessions' recorders, for commands.

Problems are printed on stderr as one line each; a failure to open is click's one-line error.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from imuhold.cli.common import click_error
from imuhold.errors import ImuholdError

EXPECTED_SESSION_S = 3600.0
"""How long a session is taken to last, for the free-space warning, when nothing says."""

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


def _notice(message: str) -> None:
    click.echo(f"imuhold: {message}", err=True)


def open_store(data_dir: Path | None, *, writing: bool = False) -> tuple[SessionStore, Path]:
    """The sessions database in the chosen data dir, with interrupted sessions recovered (reported on stderr).

    For reading (``writing`` False) a data dir that may not be written is opened read-only, with a notice, and
    nothing is recovered. The data dir is made owner-only if it was not, with a notice. A store that cannot be
    opened (damaged, newer, not there) is click's one-line error, which says the way out.
    """
    from imuhold.config import data_dir as default_data_dir
    from imuhold.config import private_dir
    from imuhold.recovery import recover
    from imuhold.store import SessionStore, StoreError

    folder = default_data_dir(data_dir)
    params = user_config().detector_params()  # recovery replays recordings with the user's detector settings
    try:
        private_dir(folder, _notice)
    except OSError as exc:
        if writing or not folder.is_dir():
            raise click.ClickException(f"{StoreError.OPENING}: {folder}: {exc.strerror or exc}") from None
    try:
        store = SessionStore.open(folder) if writing else SessionStore.open_for_reading(folder)
    except StoreError as exc:
        raise click_error(exc) from None
    if store.read_only:
        _notice(f"{folder} cannot be written: its sessions are shown as they are, nothing is recovered or saved")
        return store, folder
    try:
        messages = recover(store, folder, params)
    except StoreError as exc:
        messages = [f"could not recover interrupted sessions: {exc}"]
    for message in messages:
        _notice(message)
    return store, folder


def start_recorder(
    data_dir: Path | None,
    profile: str,
    rate_hz: float,
    sensor: str,
    counterweight_kg: float | None,
    expected_s: float | None = None,
) -> SessionRecorder:
    """A recorder for a new session (target from progression); problems are printed on stderr as they happen.

    Before it starts, a warning when the disk has less room than a session of ``expected_s`` (default an hour).
    """
    from imuhold.store import SessionRecorder, SessionSetup, suggest_from_store
    from imuhold.store.space import low_space_warning

    configured_s = user_config().target_hold_s
    _check_room(data_dir)
    store, folder = open_store(data_dir, writing=True)
    try:
        target = suggest_from_store(store, configured_s)
        warning = low_space_warning(folder, rate_hz, expected_s or EXPECTED_SESSION_S)
        if warning is not None:
            click.echo(f"imuhold: warning: {warning}", err=True)
        setup = SessionSetup(profile, rate_hz, sensor, counterweight_kg, target.target_s)
        return SessionRecorder.start(
            folder, setup, store=store, on_problem=lambda p: click.echo(f"imuhold: {p.title}: {p}", err=True)
        )
    except ImuholdError as exc:
        store.close()
        raise click_error(exc) from None


def _check_room(data_dir: Path | None) -> None:
    """Exit with one line when the data dir's disk has no room for even the reserve a session sets aside."""
    import shutil

    from imuhold.config import data_dir as default_data_dir
    from imuhold.store.space import RESERVE_BYTES

    folder = default_data_dir(data_dir)
    existing = next((p for p in (folder, *folder.parents) if p.exists()), None)
    try:
        free = shutil.disk_usage(existing).free if existing is not None else None
    except OSError:
        return
    if free is not None and free < 2 * RESERVE_BYTES:
        raise click.ClickException(
            f"Disk full: {folder}: only {free / 1e6:.1f} MB free on its disk; free some space to record a session"
        )


def finish_recorder(recorder: SessionRecorder | None) -> None:
    """After a run: exit with status 1 unless everything taken was stored (the last line said what was kept)."""
    if recorder is not None and not recorder.saved:
        sys.exit(1)
