"""The pair screen: a live scan list with updating RSSI, chosen with the keyboard, saved to the config."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from click.testing import CliRunner
from textual.widgets import DataTable, Static

from imuhold.ble.client import Discovered
from imuhold.ble.errors import NoAdapterError
from imuhold.cli import ble as ble_commands
from imuhold.cli import main, radio
from imuhold.config import load_config
from imuhold.tui.logfile import close_log_file
from imuhold.tui.pair import make_pair_app
from imuhold.tui.screens.pair import Paired, PairScreen

from .fakes import FakeConnector

SENSOR = "AA:00:00:00:00:01"
OTHER = "AA:00:00:00:00:02"
STRANGER = "AA:00:00:00:00:03"


def seen(address: str, name: str, rssi: int, profile: str | None) -> Discovered:
    return Discovered(address, name, rssi, profile=profile)


@dataclass
class ScriptedScanner(FakeConnector):
    """Each scan round returns the next list of ``rounds`` (the last one again and again).

    While ``gated``, every round after the first waits for the test to ``step()``.
    """

    rounds: list[list[Discovered]] = field(default_factory=list)
    scans: int = 0
    gated: bool = False
    go: asyncio.Event = field(default_factory=asyncio.Event)

    def step(self, *, ungate: bool = False) -> None:
        self.gated = not ungate
        self.go.set()

    async def scan(self, timeout_s: float) -> list[Discovered]:
        await asyncio.sleep(timeout_s)
        if self.gated and self.scans > 0:
            await self.go.wait()
            self.go.clear()
        found = self.rounds[min(self.scans, len(self.rounds) - 1)]
        self.scans += 1
        return found


ROUNDS = [
    [seen(SENSOR, "imuhold", -80, "imuhold-v1"), seen(STRANGER, "Headphones", -40, None)],
    [seen(SENSOR, "imuhold", -71, "imuhold-v1"), seen(OTHER, "Thingy", -90, "thingy52")],
    [seen(SENSOR, "imuhold", -62, "imuhold-v1"), seen(OTHER, "Thingy", -88, "thingy52")],
]


async def settle(pilot, condition, timeout_s: float = 10.0) -> None:
    async def wait():
        while not condition():
            await pilot.pause()

    await asyncio.wait_for(wait(), timeout_s)
    await pilot.pause()


def rssi_of(table: DataTable, address: str) -> str:
    return str(table.get_cell(address, "rssi"))


def status_of(app) -> str:
    return str(app.screen.query_one("#status", Static).render())


async def test_the_list_updates_and_choosing_a_sensor_connects_and_saves_it() -> None:
    scanner = ScriptedScanner(rounds=ROUNDS, gated=True)

    async def open_connector():
        return scanner

    app = make_pair_app(open_connector, window_s=0.05)
    async with app.run_test(size=(100, 24)) as pilot:
        table = app.screen.query_one(DataTable)
        await settle(pilot, lambda: table.row_count == 1)  # the unrecognised headphones are not offered
        assert [str(c) for c in table.get_row(SENSOR)] == ["imuhold", SENSOR, "imuhold-v1", "-80"]
        scanner.step()
        await settle(pilot, lambda: table.row_count == 2)
        assert rssi_of(table, SENSOR) == "-71" and rssi_of(table, OTHER) == "-90"
        scanner.step()
        await settle(pilot, lambda: rssi_of(table, SENSOR) == "-62")  # the same rows, their RSSI updated
        assert rssi_of(table, OTHER) == "-88" and table.row_count == 2
        assert [str(c) for c in table.get_row(OTHER)] == ["Thingy", OTHER, "thingy52", "-88"]
        assert "2 sensors found" in status_of(app)
        assert load_config().sensor is None
        await pilot.press("enter")  # the cursor starts on the first row: the imuhold sensor
        assert "connecting to imuhold" in status_of(app)
        scanner.step(ungate=True)
        await settle(pilot, lambda: app.screen.paired is not None)
        assert "battery 64 %" in status_of(app) and "saved to" in status_of(app)
        sensor = load_config().sensor
        assert sensor is not None and (sensor.address, sensor.name, sensor.profile) == (SENSOR, "imuhold", "imuhold-v1")
        assert scanner.attempts == 1 and scanner.clients[0].log[-1][0] == "disconnect"
        await pilot.press("q")
    assert isinstance(app.return_value, Paired) and app.return_value.sensor == sensor


async def test_choosing_with_the_arrow_keys_picks_that_row() -> None:
    scanner = ScriptedScanner(rounds=ROUNDS[1:])

    async def open_connector():
        return scanner

    app = make_pair_app(open_connector, window_s=0.05)
    async with app.run_test(size=(100, 24)) as pilot:
        table = app.screen.query_one(DataTable)
        await settle(pilot, lambda: table.row_count == 2)
        await pilot.press("down", "enter")
        await settle(pilot, lambda: scanner.attempts == 1)
        # The fake answers with imuhold-v1 characteristics: not a thingy52, so nothing is saved, and it says why.
        await settle(pilot, lambda: "Unknown sensor protocol" in status_of(app))
        assert load_config().sensor is None and app.screen.paired is None
        await settle(pilot, lambda: scanner.scans >= 3)  # back to scanning
        await pilot.press("q")
    assert app.return_value is None


async def test_no_adapter_is_said_on_the_screen_which_stays_up() -> None:
    async def no_adapter():
        raise NoAdapterError("no Bluetooth service on this computer")

    app = make_pair_app(no_adapter, window_s=0.05)
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot, lambda: "No Bluetooth adapter" in status_of(app))
        assert isinstance(app.screen, PairScreen) and app.is_running
        await pilot.press("r")  # scans again, and says so again
        await settle(pilot, lambda: "No Bluetooth adapter" in status_of(app))
        await pilot.press("q")
    assert app.return_value is None


def test_pair_without_an_address_on_a_terminal_opens_the_pair_screen(monkeypatch) -> None:
    opened = []

    class FakePairApp:
        def run(self):
            return None

    def fake_make_pair_app(open_connector, profile=None):
        opened.append((open_connector, profile))
        return FakePairApp()

    monkeypatch.setattr("imuhold.tui.pair.make_pair_app", fake_make_pair_app)
    monkeypatch.setattr(ble_commands, "_on_terminal", lambda: True)
    try:
        result = CliRunner().invoke(main, ["pair", "--profile", "metamotion"], catch_exceptions=False)
    finally:
        close_log_file()
    assert opened == [(radio.open_connector, "metamotion")]
    assert result.exit_code == 1 and "nothing paired" in result.output
