"""An in-process radio: bumble controllers on one LocalLink, so emulated sensors and a central meet without hardware."""

from __future__ import annotations

import asyncio

from bumble.controller import Controller
from bumble.core import PhysicalTransport
from bumble.device import Device
from bumble.hci import Address
from bumble.host import Host
from bumble.link import LocalLink
from bumble.transport.common import AsyncPipeSink

from imuhold.sim.emulate.base import EmulatedSensor
from imuhold.sim.emulate.central import BumbleConnector


class ConnectionAddressedLink(LocalLink):
    """bumble's LocalLink, sending LE data from the address the connection was made with.

    bumble sends it from the sender's *current* random address, which the peer does not know when the connection
    was made from another address. Linux makes exactly that happen: it connects from the adapter's public address
    and sets a fresh non-resolvable random address for every active scan, so through /dev/vhci no data got through.
    """

    def send_acl_data(
        self, sender_controller: Controller, destination_address: Address, transport: PhysicalTransport, data: bytes
    ) -> None:
        connection = sender_controller.le_connections.get(destination_address)
        receiver = self.find_le_controller(destination_address)
        if transport != PhysicalTransport.LE or connection is None or receiver is None:
            super().send_acl_data(sender_controller, destination_address, transport, data)
            return
        source = connection.self_address
        asyncio.get_running_loop().call_soon(receiver.on_link_acl_data, source, transport, data)


class RadioWorld:
    """Devices on one in-process link; addresses are made up (``F0:00:00:00:00:01`` …). Needs a running loop."""

    def __init__(self) -> None:
        self.link = ConnectionAddressedLink()
        self._count = 0

    def device(self, name: str, address: str | None = None) -> Device:
        self._count += 1
        address = address or f"F0:00:00:00:{self._count >> 8:02X}:{self._count & 0xFF:02X}"
        controller = Controller(name, link=self.link, public_address=address)
        return Device(name=name, address=Address(address), host=Host(controller, AsyncPipeSink(controller)))

    async def add_sensor(self, sensor: EmulatedSensor, address: str | None = None) -> str:
        """Start ``sensor`` on a new device (at ``address``, or a made-up one); returns its address."""
        device = self.device(sensor.name, address)
        await sensor.start(device)
        return str(device.public_address).removesuffix("/P")

    async def central(self) -> BumbleConnector:
        device = self.device("imuhold-central")
        await device.power_on()
        return BumbleConnector(device)
