"""An in-process radio: bumble controllers on one LocalLink, so emulated sensors and a central meet without hardware."""

from __future__ import annotations

from bumble.controller import Controller
from bumble.device import Device
from bumble.hci import Address
from bumble.host import Host
from bumble.link import LocalLink
from bumble.transport.common import AsyncPipeSink

from imuhold.sim.emulate.base import EmulatedSensor
from imuhold.sim.emulate.central import BumbleConnector


class RadioWorld:
    """Devices on one in-process link; addresses are made up (``F0:00:00:00:00:01`` …). Needs a running loop."""

    def __init__(self) -> None:
        self.link = LocalLink()
        self._count = 0

    def device(self, name: str) -> Device:
        self._count += 1
        address = f"F0:00:00:00:{self._count >> 8:02X}:{self._count & 0xFF:02X}"
        controller = Controller(name, link=self.link, public_address=address)
        return Device(name=name, address=Address(address), host=Host(controller, AsyncPipeSink(controller)))

    async def add_sensor(self, sensor: EmulatedSensor) -> str:
        """Start ``sensor`` on a new device; returns its address."""
        device = self.device(sensor.name)
        await sensor.start(device)
        return str(device.public_address).removesuffix("/P")

    async def central(self) -> BumbleConnector:
        device = self.device("imuhold-central")
        await device.power_on()
        return BumbleConnector(device)
