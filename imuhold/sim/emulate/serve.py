"""Runs one emulated sensor (``imuhold emulate``) until stopped: on a bumble transport, or on a virtual adapter
this computer's kernel drives through /dev/vhci, optionally with scripted outages and a send log.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from pathlib import Path

from bumble.device import Device
from bumble.hci import Address
from bumble.transport import open_transport

from imuhold.sim.emulate import EMULATORS
from imuhold.sim.emulate.base import EmulatedSensor
from imuhold.sim.emulate.motion import routine_track
from imuhold.sim.emulate.outages import NO_OUTAGES, Outages, play_outages
from imuhold.sim.emulate.sendlog import SendLog
from imuhold.sim.emulate.vhci import is_vhci, virtual_adapter


async def serve(
    profile: str,
    transport: str,
    *,
    address: str,
    name: str | None = None,
    seed: int = 1,
    seconds: float | None = None,
    still_s: float = 0.0,
    outages: Outages = NO_OUTAGES,
    send_log: Path | None = None,
    decoy_address: str | None = None,
    say: Callable[[str], None] = print,
) -> None:
    """Advertise and stream the demo routine (after ``still_s`` of standing, looping) in ``profile``'s bytes.

    ``decoy_address`` (vhci only): a second sensor of the same profile and name in range, at that address.
    OSError when the transport cannot be opened.
    """
    track = routine_track(seed).after_standing(still_s)
    sensor = EMULATORS[profile](track, name=name)
    decoy = EMULATORS[profile](track, name=name) if decoy_address is not None else None
    log = SendLog(send_log) if send_log is not None else None
    sensor.on_sent = log
    try:
        async with _started(sensor, transport, address, say, decoy, decoy_address):
            say(f"emulating {profile} as {sensor.name!r} at {address} on {transport}; Ctrl-C stops")
            outage_task = asyncio.create_task(play_outages(sensor, outages, say)) if outages else None
            try:
                while seconds is None:
                    await asyncio.sleep(3600)
                await asyncio.sleep(seconds)
            finally:
                if outage_task is not None:
                    outage_task.cancel()
                await sensor.stop()
                stats = sensor.stats
                say(
                    f"sent {stats.notifications} notifications ({stats.frames} frames) over {stats.connections}"
                    f" connections" + (f" ({stats.refused} refused)" if stats.refused else "")
                )
                if decoy is not None:
                    await decoy.stop()
                    say(f"decoy at {decoy_address}: {decoy.stats.connections} connections")
    finally:
        if log is not None:
            log.close()


@contextlib.asynccontextmanager
async def _started(
    sensor: EmulatedSensor,
    transport: str,
    address: str,
    say: Callable[[str], None],
    decoy: EmulatedSensor | None = None,
    decoy_address: str | None = None,
) -> AsyncIterator[None]:
    """``sensor`` (and ``decoy``) started on ``transport``: in range of a virtual kernel adapter for vhci, else as the
    host of that transport's controller (no decoy there)."""
    if decoy is not None and not is_vhci(transport):
        raise OSError("a decoy sensor needs the vhci transport")
    async with contextlib.AsyncExitStack() as stack:
        try:
            if is_vhci(transport):
                world = await stack.enter_async_context(virtual_adapter(transport))
            else:
                hci = await stack.enter_async_context(await open_transport(transport))
        except Exception as exc:  # bumble raises its own spec errors and OS errors
            raise OSError(str(exc) or type(exc).__name__) from exc
        if is_vhci(transport):
            say("a virtual Bluetooth adapter is up on this computer (vhci), with the sensor in range")
            await world.add_sensor(sensor, address)
            if decoy is not None:
                await world.add_sensor(decoy, decoy_address)
                say(f"a decoy {sensor.profile} sensor {decoy.name!r} is in range too, at {decoy_address}")
        else:
            say(f"waiting for the controller on {transport} …")
            await sensor.start(Device.with_hci(sensor.name, Address(address), hci.source, hci.sink))
        yield
