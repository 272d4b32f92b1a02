"""Options, value parsers and error reporting shared by the command groups (light: click and names only)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

from imuhold.errors import ImuholdError

EXPORT_FORMATS = ("csv", "json", "sto")
CONVENTIONS = ("clinical", "isb", "opensim")
"""Names only (imuhold.export and imuhold.config hold the same), so ``--help`` imports neither."""


def click_error(exc: ImuholdError) -> click.ClickException:
    """``exc`` as click's one-line error: its title, then its message."""
    return click.ClickException(f"{exc.title}: {exc}")


def exit_with(exc: ImuholdError) -> NoReturn:
    """Print ``exc`` as one line on stderr and exit with status 1."""
    click.echo(f"imuhold: {exc.title}: {exc}", err=True)
    sys.exit(1)


def parse_params(overrides: tuple[str, ...]):
    """Default DetectorParams with ``--param NAME=VALUE`` overrides applied; a bad one is a usage error."""
    from imuhold.detect.params import DetectorParams

    values: dict[str, str] = {}
    for item in overrides:
        name, sep, value = item.partition("=")
        if not sep:
            raise click.BadParameter(f"expected NAME=VALUE, got {item!r}", param_hint="--param")
        values[name.strip()] = value.strip()
    try:
        return DetectorParams().with_overrides(values)  # converts, and checks each against its allowed range
    except ImuholdError as exc:
        raise click.BadParameter(str(exc), param_hint="--param") from exc


def known_profiles() -> list[str]:
    """The sensor profile names, for ``--profile`` choices (protocol is stdlib only: cheap at start-up)."""
    from imuhold.protocol import PROFILES

    return sorted(PROFILES)


param_option = click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Override a detector parameter (repeatable), e.g. --param min_hold_s=3.",
)

data_dir_option = click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where sessions and recordings live (default: $IMUHOLD_DATA_DIR, else the user data dir).",
)

session_argument = click.argument("session", default="last", metavar="SESSION")


def import_options(func):
    """``--sensor`` and ``--orientation``, for importing foreign data files."""
    func = click.option(
        "--orientation",
        type=click.Choice(("auto", "quat", "imu")),
        default="auto",
        show_default=True,
        help="Foreign files: the sensor's own quaternion (auto: when it has one) or imuhold's fusion of acc + gyro.",
    )(func)
    return click.option(
        "--sensor",
        metavar="NAME",
        default=None,
        help="Foreign files with several sensors: which one (CMU-MBL: Pelvis by default; DOT server: an address; "
        "SisFall: MMA8451Q by default, or ADXL345).",
    )(func)
