"""The session commands — ``history``, ``show``, ``export`` — and the demo's recorder; heavy imports stay inside."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

import click

from imuhold.errors import ImuholdError

if TYPE_CHECKING:
    from imuhold.store import SessionRecorder, SessionStore

EXPORT_FORMATS = ("csv", "json", "sto")
CONVENTIONS = ("clinical", "isb", "opensim")

data_dir_option = click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where sessions and recordings live (default: $IMUHOLD_DATA_DIR, else the user data dir).",
)
session_argument = click.argument("session", default="last", metavar="SESSION")


def _fail(exc: ImuholdError) -> click.ClickException:
    return click.ClickException(f"{exc.title}: {exc}")


def _config():
    from imuhold.config import load_config

    try:
        return load_config()
    except ImuholdError as exc:
        raise _fail(exc) from None


def open_store(data_dir: Path | None) -> tuple[SessionStore, Path]:
    """The sessions database in the chosen data dir, with interrupted sessions recovered (reported on stderr)."""
    from imuhold.config import data_dir as default_data_dir
    from imuhold.config import private_dir
    from imuhold.recovery import recover
    from imuhold.store import SessionStore, StoreError

    folder = default_data_dir(data_dir)
    params = _config().detector_params()  # recovery replays recordings with the user's detector settings
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

    configured_s = _config().target_hold_s
    store, folder = open_store(data_dir)
    try:
        target = suggest_from_store(store, configured_s)
        setup = SessionSetup(profile, rate_hz, sensor, counterweight_kg, target.target_s)
        return SessionRecorder.start(
            folder, setup, store=store, on_problem=lambda p: click.echo(f"imuhold: {p.title}: {p}", err=True)
        )
    except ImuholdError as exc:
        store.close()
        raise _fail(exc) from None


@click.command()
@click.option("--text", is_flag=True, help="Print sessions, trend and next target instead of opening the screen.")
@data_dir_option
def history(text: bool, data_dir: Path | None) -> None:
    """Review past sessions: sessions table, per-session tilt plot and holds, trend, next target.

    Opens the history screen; with --text (or when the output is not a terminal) prints the same as text.
    """
    from imuhold.review.text import SESSION_COLUMNS, TREND_COLUMNS, session_cells, table, target_line, trend_cells
    from imuhold.store import daily_trend, suggest_from_store

    store, _ = open_store(data_dir)
    with store:
        default_s = _config().target_hold_s
        if not text and sys.stdout.isatty():
            from imuhold.tui.history import make_history_app

            make_history_app(store, default_s).run()
            return
        sessions = store.sessions()
        click.echo(target_line(suggest_from_store(store, default_s)))
        click.echo("")
        for line in table(SESSION_COLUMNS, [session_cells(s) for s in sessions]) if sessions else ["no sessions yet"]:
            click.echo(line)
        if sessions:
            click.echo("")
            for line in table(TREND_COLUMNS, [trend_cells(d) for d in daily_trend(sessions)]):
                click.echo(line)


@click.command()
@session_argument
@click.option("--json", "as_json", is_flag=True, help="Print the session as one JSON object (as export --format json).")
@click.option("--convention", type=click.Choice(CONVENTIONS), default=None,
              help="Angle signs for --json (default: the config's convention).")  # fmt: skip
@data_dir_option
def show(session: str, as_json: bool, convention: str | None, data_dir: Path | None) -> None:
    """Print one session (an id, or `last`): summary, tilt plot with holds marked, holds table."""
    from imuhold.review.text import show_lines

    store, _ = open_store(data_dir)
    with store:
        try:
            info = store.resolve(session)
            if as_json:
                from imuhold.export import get_convention
                from imuhold.export.summary import summary_dict

                conv = get_convention(convention or _config().convention)
                summary = summary_dict(info, store.squats(info.id), store.events(info.id), conv)
                summary["link_marks"] = [asdict(m) for m in store.link_marks(info.id)]
                click.echo(json.dumps(summary))
                return
            for line in show_lines(info, store.holds(info.id), store.tilt(info.id), store.link_marks(info.id)):
                click.echo(line)
        except ImuholdError as exc:
            raise _fail(exc) from None


def _open_output(path: Path, force: bool):
    """``path`` opened for text, created owner-only; refuses to overwrite unless ``force``."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if force else os.O_EXCL)
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:
        raise click.ClickException(f"{path} exists; pass --force to overwrite it") from None
    except OSError as exc:
        raise click.ClickException(f"cannot write {path}: {exc.strerror or exc}") from None
    return os.fdopen(fd, "w", encoding="utf-8", newline="")


@click.command()
@session_argument
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="csv", show_default=True)
@click.option("--convention", type=click.Choice(CONVENTIONS), default=None,
              help="Angle signs: clinical (anterior tilt +), isb or opensim (default: the config's).")  # fmt: skip
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file (owner-only) instead of standard output.")  # fmt: skip
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
@data_dir_option
def export(
    session: str, fmt: str, convention: str | None, output: Path | None, force: bool, data_dir: Path | None
) -> None:
    """Export a session (an id, or `last`): samples CSV, JSON summary, or OpenSim .sto orientations.

    The CSV columns are documented in docs/export.md. With -o FILE.sto the standing calibration pose is also
    written to FILE_calibration.sto, for OpenSense's IMU placer.
    """
    from imuhold.export import export_session, write_sto

    store, folder = open_store(data_dir)
    with store:
        try:
            info = store.resolve(session)
            conv = convention or _config().convention
            out = sys.stdout if output is None else _open_output(output, force)
            try:
                result = export_session(
                    store, info, fmt, out, data_dir=folder, convention=conv, params=_config().detector_params()
                )
            finally:
                if out is not sys.stdout:
                    out.close()
        except ImuholdError as exc:
            raise _fail(exc) from None
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None
    for warning in result.warnings:
        click.echo(f"imuhold: warning: {warning}", err=True)
    if output is not None and fmt == "sto" and result.calibration_quat is not None:
        calibration = output.with_name(f"{output.stem}_calibration.sto")
        with _open_output(calibration, force) as out:
            write_sto([(0.0, result.calibration_quat)], info.rate_hz or 100.0, out)
    if output is not None:
        click.echo(f"wrote {output}: session {info.id}, {result.rows} rows ({fmt}, {conv})", err=True)


COMMANDS = (history, show, export)
