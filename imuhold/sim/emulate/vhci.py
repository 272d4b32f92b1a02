"""A virtual Bluetooth adapter for this computer's kernel (/dev/vhci), on an in-process radio with emulated sensors.

The kernel drives a bumble Controller through /dev/vhci and sees it as a new adapter (hciN) that BlueZ, and so
bleak and ``imuhold``, use like a real one. That controller shares bumble's in-process link with the controllers of
emulated sensors, so the whole real host stack (bleak → D-Bus → BlueZ → kernel HCI) talks to them.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from bumble.controller import Controller
from bumble.hci import LeFeatureMask
from bumble.link import LocalLink
from bumble.transport import open_transport

from imuhold.sim.emulate.world import RadioWorld

ADAPTER_NAME = "imuhold-vhci"
ADAPTER_ADDRESS = "F0:00:00:00:00:AD"
HIDDEN_LE_FEATURES = LeFeatureMask.LL_PRIVACY | LeFeatureMask.LE_EXTENDED_ADVERTISING
"""bumble always answers LE Create Connection with the legacy Connection Complete event. A kernel told of these
features waits for the enhanced one, cancels the connection after about 4 s and then never completes the disconnect
(bumble issue #841; bleak's CI hides them the same way)."""


def is_vhci(transport: str) -> bool:
    """True for the transports ``vhci`` and ``vhci:PATH``."""
    return transport == "vhci" or transport.startswith("vhci:")


def kernel_side_controller(hci, link: LocalLink) -> Controller:
    """The controller the kernel drives through ``hci`` (an opened vhci transport), on ``link``."""
    controller = Controller(
        ADAPTER_NAME, host_source=hci.source, host_sink=hci.sink, link=link, public_address=ADAPTER_ADDRESS
    )
    controller.le_features &= ~HIDDEN_LE_FEATURES
    return controller


@contextlib.asynccontextmanager
async def virtual_adapter(transport: str = "vhci") -> AsyncIterator[RadioWorld]:
    """A radio world with a new kernel adapter in it; add sensors with ``world.add_sensor``. Needs root (or access
    to /dev/vhci) and the hci_vhci kernel module; the adapter goes away when the context ends.
    """
    async with await open_transport(transport) as hci:
        world = RadioWorld()
        kernel_side_controller(hci, world.link)
        yield world
