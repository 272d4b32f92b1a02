"""The ``imuhold`` command line: one module per command group; heavy modules are imported inside the commands."""

from __future__ import annotations

import click

from imuhold import __version__
from imuhold.cli import ble, data, review, session


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="imuhold")
def main() -> None:
    """Hands-free coach and logger for the deep squat hold, from a Bluetooth IMU at the pelvis."""


for _group in (session, review, data, ble):
    for _command in _group.COMMANDS:
        main.add_command(_command)
