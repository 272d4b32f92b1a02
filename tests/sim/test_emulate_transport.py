"""``imuhold emulate`` on a real bumble transport: the emulated sensor's host talks HCI over loopback TCP to a
controller on the same in-process radio as a test central, which finds it, connects and decodes its stream.
"""

from __future__ import annotations

import asyncio
import socket

from bumble.controller import Controller
from bumble.transport import open_transport

from imuhold.ble.link import SensorLink
from imuhold.protocol import get_profile
from imuhold.sim.emulate.serve import serve
from imuhold.sim.emulate.world import RadioWorld
from imuhold.source import LinkStatus

ADDRESS = "F1:22:33:44:55:66"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_emulate_serves_a_sensor_over_a_tcp_hci_transport() -> None:
    world = RadioWorld()
    port = _free_port()
    lines: list[str] = []
    async with await open_transport(f"tcp-server:127.0.0.1:{port}") as hci:
        Controller("emulated-sensor-controller", host_source=hci.source, host_sink=hci.sink, link=world.link)
        task = asyncio.create_task(
            serve("movella-dot", f"tcp-client:127.0.0.1:{port}", address=ADDRESS, seconds=2.0, say=lines.append)
        )
        try:
            central = await world.central()
            async with asyncio.timeout(10):
                while not any(d.address == ADDRESS for d in await central.scan(0.2)):
                    pass
            link = SensorLink(ADDRESS, "movella-dot", central)
            decoder = get_profile("movella-dot").decoder()
            samples = []
            async with asyncio.timeout(10):
                async for item in link.stream():
                    if not isinstance(item, LinkStatus):
                        samples += decoder.feed(item)
                    if len(samples) >= 30:
                        break
        finally:
            await asyncio.wait_for(task, 10)
            hci.server.close()  # bumble's tcp-server transport leaves its listening socket open
            await hci.server.wait_closed()
            await asyncio.sleep(0.05)
    assert decoder.stats.bad_frames == 0
    assert samples[-1].t_s - samples[0].t_s > 0.4  # 60 Hz device time
    assert any("emulating movella-dot" in line for line in lines)
