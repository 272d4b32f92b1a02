"""A PacketSource for a sensor identified when its stream starts, so every BLE object lives in the consumer's loop."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from imuhold.ble.client import Connector
from imuhold.ble.errors import BleError, SensorNotFoundError, UnsupportedSensorError
from imuhold.ble.link import SensorLink
from imuhold.model import Packet
from imuhold.protocol import PROFILES, get_link, get_profile
from imuhold.source import LinkStatus

SEARCHING = "searching for sensor …"


async def identify(
    connector: Connector, address: str | None, profile: str | None, timeout_s: float
) -> tuple[str, str, str]:
    """(address, name, profile) of the sensor to use: scanned for when the address or profile is not given."""
    if address is not None and profile is not None:
        return address, "", profile
    found = await connector.scan(timeout_s)
    if address is None:
        candidates = [d for d in found if d.profile]
        if not candidates:
            raise SensorNotFoundError("nearby", "no supported sensor found nearby (is it on and advertising?)")
        if len(candidates) > 1:
            listed = ", ".join(f"{d.name or '?'} {d.address}" for d in candidates)
            raise SensorNotFoundError("nearby", f"several sensors found ({listed}): name one by its address")
        chosen = candidates[0]
    else:
        chosen = next((d for d in found if d.address.upper() == address.upper()), None)
        if chosen is None:
            raise SensorNotFoundError(address)
    if chosen.profile is None and profile is None:
        raise UnsupportedSensorError(
            f"{chosen.name or chosen.address} speaks no protocol imuhold knows (known: {', '.join(sorted(PROFILES))})"
        )
    return chosen.address, chosen.name or "", profile or chosen.profile  # type: ignore[return-value]


class DeferredLink:
    """Opens the radio, identifies the sensor at ``address`` (``profile`` known beforehand), then streams its link.

    Nothing touches the radio before ``stream()``. Identification failures and fatal link errors (no adapter, wrong
    protocol) end the stream with a disconnected LinkStatus whose note says what went wrong; ``link_options`` go to
    the SensorLink. ValueError at construction for a rate the sensor cannot do.
    """

    def __init__(
        self,
        open_connector: Callable[[], Awaitable[Connector]],
        address: str | None,
        profile: str,
        *,
        rate_hz: float | None = None,
        scan_s: float = 5.0,
        **link_options: Any,
    ) -> None:
        self.open_connector = open_connector
        self.address = address
        self.profile = profile
        self.requested_rate_hz = rate_hz
        get_link(profile).start(rate_hz)  # ValueError now, before any screen opens
        self.rate_hz = rate_hz or get_profile(profile).nominal_rate_hz
        self.scan_s = scan_s
        self.link_options = link_options
        self.description = f"{profile} {address or 'sensor'}"
        self.link: SensorLink | None = None

    async def stream(self) -> AsyncIterator[Packet | LinkStatus]:
        yield LinkStatus(False, self.description, note=SEARCHING)
        try:
            connector = await self.open_connector()
            address, _, profile = await identify(connector, self.address, self.profile, self.scan_s)
            self.link = SensorLink(address, profile, connector, rate_hz=self.requested_rate_hz, **self.link_options)
            self.description = self.link.description
            async for item in self.link.stream():
                yield item
        except BleError as exc:
            yield LinkStatus(False, self.description, note=f"{exc.title}: {exc}")

    async def stop(self) -> None:
        """Ask a running link to end (nothing to do while identifying)."""
        if self.link is not None:
            await self.link.stop()
