"""The review commands: ``history`` and ``show`` of stored sessions (heavy imports stay inside them)."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

import click

from imuhold.cli.common import CONVENTIONS, click_error, data_dir_option, session_argument
from imuhold.cli.storage import open_store, user_config
from imuhold.errors import ImuholdError


@click.command()
@click.option("--text", is_flag=True, help="Print sessions, trend and next target instead of opening the screen.")
@data_dir_option
def history(text: bool, data_dir: Path | None) -> None:
    """Review past sessions: sessions table, per-session tilt plot and holds, trend, next target.

    Opens the history screen; with --text (or when the output is not a terminal) prints the same as text.
    """
    from imuhold.review.text import SESSION_COLUMNS, TREND_COLUMNS, session_cells, table, target_line, trend_cells
    from imuhold.store import daily_trend, suggest_from_store

    default_s = user_config().target_hold_s
    store, _ = open_store(data_dir)
    with store:
        try:
            sessions = store.sessions()  # read first: a damaged store is one line here, not inside the screen
            target = suggest_from_store(store, default_s)
            if not text and sys.stdout.isatty():
                from imuhold.tui.history import make_history_app

                make_history_app(store, default_s).run()
                return
            trend = daily_trend(sessions)
        except ImuholdError as exc:
            raise click_error(exc) from None
        click.echo(target_line(target))
        click.echo("")
        for line in table(SESSION_COLUMNS, [session_cells(s) for s in sessions]) if sessions else ["no sessions yet"]:
            click.echo(line)
        if sessions:
            click.echo("")
            for line in table(TREND_COLUMNS, [trend_cells(d) for d in trend]):
                click.echo(line)


@click.command()
@session_argument
@click.option("--json", "as_json", is_flag=True, help="Print the session as one JSON object (as export --format json).")
@click.option("--convention", type=click.Choice(CONVENTIONS), default=None,
              help="Angle signs for --json (default: the config's convention).")  # fmt: skip
@data_dir_option
def show(session: str, as_json: bool, convention: str | None, data_dir: Path | None) -> None:
    """Print one session (an id, or `last`): summary, tilt plot with holds marked, holds table, link marks."""
    from imuhold.review.text import show_lines

    store, _ = open_store(data_dir)
    with store:
        try:
            info = store.resolve(session)
            if as_json:
                from imuhold.export import get_convention
                from imuhold.export.summary import summary_dict

                conv = get_convention(convention or user_config().convention)
                summary = summary_dict(info, store.squats(info.id), store.events(info.id), conv)
                summary["link_marks"] = [asdict(m) for m in store.link_marks(info.id)]
                click.echo(json.dumps(summary))
                return
            for line in show_lines(info, store.holds(info.id), store.tilt(info.id), store.link_marks(info.id)):
                click.echo(line)
        except ImuholdError as exc:
            raise click_error(exc) from None


COMMANDS = (history, show)
