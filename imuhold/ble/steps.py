"""Executes a profile's link steps (subscribe, write, read-check, read-modify-write, wait) on a GATT client."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable

from imuhold.ble.client import GattClient, NotifyCallback
from imuhold.ble.errors import UnsupportedSensorError
from imuhold.protocol.gatt import Read, ReadModifyWrite, Step, Subscribe, Unsubscribe, Wait, Write

Sleep = Callable[[float], Awaitable[None]]


def characteristics_of(steps: Iterable[Step]) -> set[str]:
    return {step.characteristic for step in steps if not isinstance(step, Wait)}


async def run_steps(
    client: GattClient, steps: Iterable[Step], on_notify: NotifyCallback, profile: str, sleep: Sleep = asyncio.sleep
) -> None:
    """Run ``steps`` in order. UnsupportedSensorError when the device lacks a characteristic or a value check fails;
    transport errors from the client pass through (the link treats them as a lost connection).
    """
    steps = tuple(steps)
    missing = characteristics_of(steps) - set(client.characteristics())
    if missing:
        raise UnsupportedSensorError(
            f"{client.address} does not look like a {profile} sensor: it has no characteristic {min(missing)}"
        )
    for step in steps:
        if isinstance(step, Subscribe):
            await client.start_notify(step.characteristic, on_notify)
        elif isinstance(step, Unsubscribe):
            await client.stop_notify(step.characteristic)
        elif isinstance(step, Write):
            await client.write(step.characteristic, step.data, step.response)
        elif isinstance(step, Read):
            _checked(step.check, await client.read(step.characteristic), client.address, profile)
        elif isinstance(step, ReadModifyWrite):
            value = _checked(step.modify, await client.read(step.characteristic), client.address, profile)
            await client.write(step.characteristic, value, True)
        else:
            await sleep(step.seconds)


def _checked(function: Callable[[bytes], object], value: bytes, address: str, profile: str):
    try:
        return function(value)
    except ValueError as exc:
        raise UnsupportedSensorError(f"{address} does not speak {profile} as imuhold knows it: {exc}") from exc
