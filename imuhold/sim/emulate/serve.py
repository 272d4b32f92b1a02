"""Runs one emulated sensor on a real bumble transport (``imuhold emulate``) until stopped."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from bumble.device import Device
from bumble.hci import Address
from bumble.transport import open_transport

from imuhold.sim.emulate import EMULATORS
from imuhold.sim.emulate.motion import routine_track


async def serve(
    profile: str,
    transport: str,
    *,
    address: str,
    name: str | None = None,
    seed: int = 1,
    seconds: float | None = None,
    say: Callable[[str], None] = print,
) -> None:
    """Advertise and stream the demo routine (looping) in ``profile``'s bytes; OSError when the transport fails."""
    sensor = EMULATORS[profile](routine_track(seed), name=name)
    try:
        hci_transport = await open_transport(transport)
    except Exception as exc:  # bumble raises its own spec errors and OS errors
        raise OSError(str(exc) or type(exc).__name__) from exc
    async with hci_transport as hci:
        device = Device.with_hci(sensor.name, Address(address), hci.source, hci.sink)
        say(f"waiting for the controller on {transport} …")
        await sensor.start(device)
        say(f"emulating {profile} as {sensor.name!r} at {address} on {transport}; Ctrl-C stops")
        try:
            while seconds is None:
                await asyncio.sleep(3600)
            await asyncio.sleep(seconds)
        finally:
            await sensor.stop()
            stats = sensor.stats
            say(
                f"sent {stats.notifications} notifications ({stats.frames} frames) over {stats.connections} connections"
            )
