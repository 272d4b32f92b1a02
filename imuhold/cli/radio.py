"""The Bluetooth radio the commands use (bleak), how long they scan, and running a BLE coroutine from a command.

Tests replace ``open_connector`` with a bumble world; commands look it up here when they run, so they see it.
"""

from __future__ import annotations

import click

from imuhold.cli.common import exit_with
from imuhold.errors import ImuholdError

SCAN_S = 5.0


async def open_connector():
    """The real radio (bleak)."""
    from imuhold.ble.bleak_backend import BleakConnector

    return BleakConnector()


def run(coro) -> object:
    """Run ``coro``; an imuhold error exits with its one line, Ctrl-C prints ``stopped`` and returns None."""
    import asyncio

    try:
        return asyncio.run(coro)
    except ImuholdError as exc:
        exit_with(exc)
    except KeyboardInterrupt:
        click.echo("stopped", err=True)
    return None
