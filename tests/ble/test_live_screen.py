"""``imuhold live`` on the training screen: the sensor is found and connected inside the app, failures shown."""

from __future__ import annotations

import asyncio

import pytest
from click.testing import CliRunner

from imuhold.ble.deferred import SEARCHING, DeferredLink
from imuhold.ble.errors import NoAdapterError
from imuhold.cli import main, radio
from imuhold.config import PairedSensor, load_config, save_config, with_sensor
from imuhold.model import MotionState
from imuhold.sim import Hold, Scenario, Squat, Stand, simulate
from imuhold.sim.emulate import EMULATORS, MotionTrack
from imuhold.sim.emulate.world import RadioWorld
from imuhold.tui import make_app
from imuhold.tui.logfile import close_log_file
from imuhold.tui.messages import LinkChanged, SourceEnded, StateChanged
from imuhold.tui.widgets import LinkBar

from .fakes import FakeConnector

FIRST = "F0:00:00:00:00:01"


class Heard:
    """Every message the app handled, by type."""

    def __init__(self) -> None:
        self.messages: list[object] = []

    def __call__(self, message) -> None:
        self.messages.append(message)

    def of(self, kind) -> list:
        return [m for m in self.messages if isinstance(m, kind)]


async def settle(pilot, condition, timeout_s: float = 20.0) -> None:
    async def wait():
        while not condition():
            await pilot.pause()

    await asyncio.wait_for(wait(), timeout_s)
    await pilot.pause()


def link_bar_text(app) -> str:
    return str(app.screen.query_one(LinkBar).render())


@pytest.mark.slow
async def test_an_emulated_sensor_found_inside_the_app_reaches_holding() -> None:
    scenario = Scenario("tui-hold", (Stand(6.0), Squat(bottom=(Hold(8.0),)), Stand(4.0)), heading_deg=0.0)
    track = MotionTrack.from_simulation(simulate(scenario, 2))

    async def open_connector():  # awaited by the stream, so the bumble world lives in the app's loop
        world = RadioWorld()
        await world.add_sensor(EMULATORS["imuhold-v1"](track, speed=10.0))
        return await world.central()

    source = DeferredLink(open_connector, FIRST, "imuhold-v1", scan_s=0.3)
    heard = Heard()
    app = make_app(source, stall_after_s=None)
    async with app.run_test(size=(80, 24), message_hook=heard) as pilot:
        await settle(pilot, lambda: any(m.state is MotionState.HOLDING for m in heard.of(StateChanged)), 30.0)
        statuses = [m.status for m in heard.of(LinkChanged)]
        assert statuses[0].note == SEARCHING and not statuses[0].connected
        assert statuses[1].connected and statuses[1].sensor == f"imuhold-v1 {FIRST}"
        assert statuses[1].battery_pct == 87
        await settle(pilot, lambda: "battery 87 %" in link_bar_text(app))
        await source.stop()
        await settle(pilot, lambda: heard.of(SourceEnded))
    assert app.session.pipeline.decoder.stats.packets > 500


async def no_adapter():
    raise NoAdapterError("no Bluetooth service on this computer (BlueZ over D-Bus is not running)")


async def adapter_gone_at_connect():
    return FakeConnector(script=[NoAdapterError("Bluetooth is not available (powered off)")])


@pytest.mark.parametrize(
    ("open_connector", "detail"),
    [(no_adapter, "BlueZ over D-Bus is not running"), (adapter_gone_at_connect, "powered off")],
)
async def test_a_missing_adapter_is_shown_in_the_link_bar_and_the_app_stays_up(open_connector, detail) -> None:
    heard = Heard()
    app = make_app(DeferredLink(open_connector, FIRST, "imuhold-v1"), stall_after_s=None)
    async with app.run_test(size=(120, 24), message_hook=heard) as pilot:
        await settle(pilot, lambda: heard.of(SourceEnded))
        reason = heard.of(SourceEnded)[0].reason
        assert reason.startswith("No Bluetooth adapter: ") and detail in reason
        await settle(pilot, lambda: "No Bluetooth adapter" in link_bar_text(app))
        await pilot.press("m")  # still answering keys
        assert len(app.session.marks) == 1
        assert app.is_running


async def test_no_sensor_nearby_ends_the_stream_with_a_note() -> None:
    async def empty():
        return FakeConnector()

    source = DeferredLink(empty, None, "imuhold-v1", scan_s=0.1)
    items = [item async for item in source.stream()]
    assert [(i.connected, i.note) for i in items] == [
        (False, SEARCHING),
        (False, "Sensor not found: no supported sensor found nearby (is it on and advertising?)"),
    ]


def test_an_impossible_rate_is_refused_before_any_radio() -> None:
    async def never():
        raise AssertionError("opened the radio")

    with pytest.raises(ValueError):
        DeferredLink(never, FIRST, "imuhold-v1", rate_hz=12345.0)


@pytest.fixture
def opened(monkeypatch):
    """Replaces the app factory: records what ``imuhold live`` would open instead of opening it."""
    calls = []

    class FakeApp:
        session = None

        def run(self):
            calls[-1]["ran"] = True

    def fake_make_app(source, config=None, params=None, **kwargs):
        calls.append({"source": source, "config": config, "params": params, "ran": False, **kwargs})
        return FakeApp()

    monkeypatch.setattr("imuhold.tui.make_app", fake_make_app)
    monkeypatch.setattr(radio, "open_connector", no_adapter)
    yield calls
    close_log_file()


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_live_opens_the_training_screen_on_the_paired_sensor_and_stores_the_session(opened) -> None:
    save_config(with_sensor(load_config(), PairedSensor(FIRST, "imuhold", "imuhold-v1")))
    result = invoke("live")
    assert result.exit_code == 0, result.output
    (call,) = opened
    source = call["source"]
    assert call["ran"] and isinstance(source, DeferredLink)
    assert (source.address, source.profile, source.rate_hz) == (FIRST, "imuhold-v1", 100.0)
    assert source.open_connector is no_adapter  # the radio is opened by the app, not before it
    assert call["recorder"] is not None and call["recorder"].closed
    assert "saved as session 1" in result.output
    assert "not built yet" not in result.output


def test_live_no_save_stores_nothing(opened) -> None:
    save_config(with_sensor(load_config(), PairedSensor(FIRST, "imuhold", "imuhold-v1")))
    result = invoke("live", "--no-save")
    assert result.exit_code == 0, result.output
    assert opened[0]["recorder"] is None and "saved as session" not in result.output


def test_live_with_an_unknown_protocol_fails_before_the_screen(opened) -> None:
    result = CliRunner().invoke(main, ["live", "--sensor", FIRST])
    assert result.exit_code == 2 and "pass --profile" in result.output
    assert opened == []


def test_live_with_an_impossible_rate_fails_before_the_screen(opened) -> None:
    result = CliRunner().invoke(main, ["live", "--sensor", FIRST, "--profile", "imuhold-v1", "--rate", "12345"])
    assert result.exit_code == 2 and "--rate" in result.output
    assert opened == []


def test_live_record_needs_headless(opened) -> None:
    result = CliRunner().invoke(main, ["live", "--sensor", FIRST, "--profile", "imuhold-v1", "--seconds", "3"])
    assert result.exit_code == 2 and "--headless" in result.output
    assert opened == []
