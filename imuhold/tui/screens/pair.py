"""The pair screen: a live scan list to choose the sensor from, its connection and battery, saved to the config."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from imuhold.ble.client import Connector, Discovered
from imuhold.ble.device_info import DeviceInfo
from imuhold.ble.pairing import check_and_read
from imuhold.config import PairedSensor, load_config, save_config, with_sensor
from imuhold.errors import ImuholdError

SCAN_WINDOW_S = 1.0
"""One scan round: the list's RSSI values update this often."""
COLUMNS = (("name", "name"), ("address", "address"), ("profile", "profile"), ("RSSI", "rssi"))


def _described(exc: Exception) -> str:
    return f"{exc.title}: {exc}" if isinstance(exc, ImuholdError) else f"{type(exc).__name__}: {exc}"


@dataclass(frozen=True, slots=True)
class Paired:
    """The sensor saved to the config, what it said about itself, and the config file."""

    sensor: PairedSensor
    info: DeviceInfo
    path: Path


class PairScreen(Screen[None]):
    """Scans round after round; Enter on a row connects to that sensor, shows its details and saves it."""

    DEFAULT_CSS = """
    PairScreen #help { padding: 0 1; }
    PairScreen DataTable { height: 1fr; }
    PairScreen #status { padding: 0 1; height: 3; background: $panel; }
    """
    BINDINGS: ClassVar = [Binding("r", "rescan", "Scan again")]

    def __init__(
        self,
        open_connector: Callable[[], Awaitable[Connector]],
        profile: str | None = None,
        window_s: float = SCAN_WINDOW_S,
    ) -> None:
        super().__init__()
        self.open_connector = open_connector
        self.profile = profile
        self.window_s = window_s
        self.found: dict[str, Discovered] = {}
        self.chosen: Discovered | None = None
        self.paired: Paired | None = None
        self.busy = False
        self.problem = ""
        """Why the last chosen sensor was not paired, shown above the scan count until another is chosen."""
        self._connector: Connector | None = None

    def compose(self) -> ComposeResult:
        yield Static("Switch the sensor on. Choose it with ↑ ↓ and Enter.", id="help")
        yield DataTable(id="sensors", cursor_type="row", zebra_stripes=True)
        yield Static("scanning…", id="status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, key in COLUMNS:
            table.add_column(label, key=key)
        table.focus()
        self._start()

    # -- the radio, in one worker: scan rounds until a sensor is chosen, then connect to it ---------------------
    def _start(self) -> None:
        self.busy = True
        self.run_worker(self._radio(), name="radio", group="radio", exclusive=True)

    async def _radio(self) -> None:
        try:
            if self._connector is None:
                self._connector = await self.open_connector()
            connector = self._connector
            while self.paired is None:
                while self.chosen is None:
                    self._show_found(await connector.scan(self.window_s))
                chosen, self.chosen = self.chosen, None
                profile = self.profile or chosen.profile or ""
                label = chosen.name or chosen.address
                self.status(f"connecting to {label} ({chosen.address})…")
                try:
                    info = await check_and_read(connector, chosen.address, profile)
                except Exception as exc:  # whatever the radio says, the screen stays up and says it
                    self.problem = f"{label}: {_described(exc)}. Choose again."
                    self.status(self.problem)
                    continue
                sensor = PairedSensor(chosen.address, chosen.name or "", profile)
                path = save_config(with_sensor(load_config(), sensor))
                self.paired = Paired(sensor, info, path)
                done = f"paired {label} ({chosen.address}), {profile}: {info.summary()}"
                self.status(f"{done}\nsaved to {path}  (q quits)")
        except Exception as exc:  # no adapter, a bad config file, a failing radio: said, and r tries again
            self.status(f"{_described(exc)}  (r scans again)")
        finally:
            self.busy = False

    def _show_found(self, found: list[Discovered]) -> None:
        table = self.query_one(DataTable)
        for device in found:
            if device.profile is None and self.profile is None:
                continue
            cells = {
                "name": device.name or "?",
                "address": device.address,
                "profile": self.profile or device.profile or "-",
                "rssi": "" if device.rssi is None else str(device.rssi),
            }
            if device.address not in self.found:
                table.add_row(*cells.values(), key=device.address)
            else:
                for key, value in cells.items():
                    table.update_cell(device.address, key, value)
            self.found[device.address] = device
        if self.chosen is None and self.paired is None:
            count = len(self.found)
            scanning = f"scanning… {count} sensor{'s' if count != 1 else ''} found" if count else "scanning…"
            self.status(f"{self.problem}\n{scanning}" if self.problem else scanning)

    # -- keys ----------------------------------------------------------------------------------------------------
    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        address = event.row_key.value
        if self.paired is not None or self.chosen is not None or address not in self.found:
            return
        self.chosen = self.found[address]
        self.problem = ""
        self.status(f"connecting to {self.chosen.name or address} ({address})…")
        if not self.busy:
            self._start()

    def action_rescan(self) -> None:
        if not self.busy and self.paired is None:
            self.status("scanning…")
            self._start()

    def status(self, text: str) -> None:
        self.query_one("#status", Static).update(text)
