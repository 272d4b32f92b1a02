"""The pairing step shared by ``imuhold pair`` and the pair screen: connect, check the protocol, read the details."""

from __future__ import annotations

from imuhold.ble.client import Connector
from imuhold.ble.device_info import DeviceInfo, read_device_info
from imuhold.ble.errors import UnsupportedSensorError
from imuhold.ble.steps import characteristics_of
from imuhold.protocol import get_link

CONNECT_TIMEOUT_S = 10.0


async def check_and_read(connector: Connector, address: str, profile: str) -> DeviceInfo:
    """Connect to ``address``, check it has the characteristics of ``profile``, read its details, disconnect."""
    client = await connector.connect(address, lambda: None, CONNECT_TIMEOUT_S)
    try:
        missing = characteristics_of(get_link(profile).start(None)) - set(client.characteristics())
        if missing:
            raise UnsupportedSensorError(f"{address} lacks {min(missing)}: not a {profile} sensor")
        return await read_device_info(client)
    finally:
        await client.disconnect()
