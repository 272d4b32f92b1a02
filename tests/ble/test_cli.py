"""The Bluetooth commands against emulated sensors on bumble's in-process link (and without any adapter)."""

from __future__ import annotations

import asyncio
import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from imuhold.ble.errors import NoAdapterError
from imuhold.cli import main, radio
from imuhold.cli.headless import EXIT_SENSOR_GONE
from imuhold.config import load_config
from imuhold.recording import read_recording
from imuhold.sim import Hold, Scenario, Squat, Stand, simulate
from imuhold.sim.emulate import EMULATORS, MotionTrack
from imuhold.sim.emulate.world import RadioWorld

from .fakes import FakeConnector, not_found

FIRST = "F0:00:00:00:00:01"


def use_world(monkeypatch, *sensors) -> None:
    """``imuhold`` commands see these emulated sensors (given as (profile, kwargs)) instead of a radio."""

    async def open_connector():
        world = RadioWorld()
        for profile, kwargs in sensors:
            await world.add_sensor(EMULATORS[profile](kwargs.pop("motion", MotionTrack.standing_still()), **kwargs))
        return await world.central()

    monkeypatch.setattr(radio, "open_connector", open_connector)
    monkeypatch.setattr(radio, "SCAN_S", 0.3)


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_scan_without_an_adapter_says_so_and_fails(monkeypatch) -> None:
    async def no_adapter():
        raise NoAdapterError("no Bluetooth service on this computer")

    monkeypatch.setattr(radio, "open_connector", no_adapter)
    result = invoke("scan", "--timeout", "0.5")
    assert result.exit_code == 1
    assert "No Bluetooth adapter" in result.output


@pytest.mark.skipif(
    os.path.exists("/run/dbus/system_bus_socket") or os.path.exists("/var/run/dbus/system_bus_socket"),
    reason="this machine runs D-Bus, so it may have a real Bluetooth stack",
)
def test_scan_on_this_machine_reports_the_missing_bluetooth_stack() -> None:
    result = invoke("scan", "--timeout", "0.5")
    assert result.exit_code == 1
    assert "imuhold: No Bluetooth adapter:" in result.output


def test_scan_lists_recognised_sensors(monkeypatch) -> None:
    use_world(monkeypatch, ("witmotion-ble5", {}), ("movella-dot", {}))
    result = invoke("scan", "--timeout", "0.5")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["name", "address", "profile", "RSSI"]
    assert any("WT901BLE68" in line and "witmotion-ble5" in line and FIRST in line for line in lines)
    assert any("Movella DOT" in line and "movella-dot" in line for line in lines)


def test_scan_with_nothing_nearby(monkeypatch) -> None:
    use_world(monkeypatch)
    result = invoke("scan", "--timeout", "0.5")
    assert result.exit_code == 1 and "No supported sensor found" in result.output


def test_pair_the_only_sensor_nearby_saves_it(monkeypatch) -> None:
    use_world(monkeypatch, ("metamotion", {}))
    result = invoke("pair")
    assert result.exit_code == 0, result.output
    assert "profile metamotion" in result.output and "battery 87 %" in result.output
    sensor = load_config().sensor
    assert sensor is not None and (sensor.address, sensor.name, sensor.profile) == (FIRST, "MetaWear", "metamotion")


def test_pair_an_absent_address_fails_clearly(monkeypatch) -> None:
    use_world(monkeypatch, ("metamotion", {}))
    result = invoke("pair", "F0:00:00:00:00:99")
    assert result.exit_code == 1 and "Sensor not found" in result.output
    assert load_config().sensor is None


def test_pair_with_two_sensors_asks_for_an_address(monkeypatch) -> None:
    use_world(monkeypatch, ("metamotion", {}), ("thingy52", {}))
    result = invoke("pair")
    assert result.exit_code == 1 and "several sensors found" in result.output


def test_pair_refuses_a_device_of_another_protocol(monkeypatch) -> None:
    use_world(monkeypatch, ("metamotion", {}))
    result = invoke("pair", FIRST, "--profile", "thingy52")
    assert result.exit_code == 1 and "Unknown sensor protocol" in result.output


def test_live_without_a_paired_sensor_says_what_to_do() -> None:
    result = invoke("live", "--headless")
    assert result.exit_code == 1 and "imuhold pair" in result.output


@pytest.mark.slow
def test_live_headless_times_a_hold_and_records_it(monkeypatch, tmp_path: Path) -> None:
    scenario = Scenario("cli-hold", (Stand(6.0), Squat(bottom=(Hold(8.0),)), Stand(4.0)), heading_deg=0.0)
    track = MotionTrack.from_simulation(simulate(scenario, 2))
    use_world(monkeypatch, ("imuhold-v1", {"motion": track, "speed": 10.0}))
    out = tmp_path / "live.imuhold"
    result = invoke(
        "live", "--sensor", FIRST, "--headless", "--seconds", str(track.duration_s / 10 - 0.3), "--record", str(out)
    )
    assert result.exit_code == 0, result.output
    text = result.output
    assert "link: connected imuhold-v1 F0:00:00:00:00:01, battery 87 %" in text
    assert "hold start" in text and "hold end" in text
    assert "loss 0.0 %" in text
    recording = read_recording(out)
    assert recording.header.profile == "imuhold-v1" and len(recording.packets) > 1000


def test_live_headless_gives_up_on_a_sensor_gone_for_good_and_saves_the_session(monkeypatch) -> None:
    class GoneAfterOneConnection(FakeConnector):
        """Connects once, drops the connection soon after, and never finds the sensor again."""

        async def connect(self, address, on_disconnect, timeout_s):
            if self.clients:
                self.attempts += 1
                raise not_found(address)
            client = await super().connect(address, on_disconnect, timeout_s)
            asyncio.get_running_loop().call_later(0.2, client.drop)
            return client

    async def open_connector():
        return GoneAfterOneConnection()

    monkeypatch.setattr(radio, "open_connector", open_connector)
    live = ("live", "--headless", "--sensor", "AA:BB", "--profile", "imuhold-v1", "--seconds", "30")  # 30 s: a bound
    result = invoke(*live, "--give-up-after", "1")
    assert result.exit_code == EXIT_SENSOR_GONE == 3, result.output
    assert re.search(r"imuhold: Sensor gone: imuhold-v1 AA:BB: no connection for \d+ s, gave up", result.stderr)
    assert "link: 0 packets received, 0 frames lost, 1 drops, 0 stalls, 0 duplicates, reconnect s: -" in result.stdout
    assert "saved as session 1" in result.stdout
    shown = json.loads(invoke("show", "last", "--json").stdout)
    assert shown["session"]["end_reason"] == "link_lost"


def test_live_headless_with_no_save_stores_nothing(monkeypatch) -> None:
    async def open_connector():
        return FakeConnector(script=[not_found()] * 5)

    monkeypatch.setattr(radio, "open_connector", open_connector)
    result = invoke(
        "live", "--headless", "--sensor", "AA:BB", "--profile", "imuhold-v1", "--seconds", "0.5", "--no-save"
    )
    assert result.exit_code == 0, result.output
    assert "saved as session" not in result.stdout
    assert "no sessions yet" in invoke("history", "--text").stdout


@pytest.mark.slow
def test_live_headless_on_a_disk_that_fills_stops_and_says_what_was_kept(monkeypatch, tmp_path: Path) -> None:
    from tests.disks import small_disk

    activities = (*(a for _ in range(12) for a in (Stand(6.0), Squat(bottom=(Hold(8.0),)))), Stand(6.0))
    track = MotionTrack.from_simulation(simulate(Scenario("cli-long", activities, heading_deg=0.0), 2))
    use_world(monkeypatch, ("imuhold-v1", {"motion": track, "speed": 40.0}))
    with small_disk(tmp_path / "disk", 2300 << 10) as disk:
        data = str(disk / "data")
        result = invoke("live", "--sensor", FIRST, "--headless", "--seconds", "60", "--data-dir", data)
        assert result.exit_code == 1, result.output
        assert "recording stopped at" in result.stderr and "saved as" not in result.stdout
        kept = re.search(r"disk full: ([\d.]+) s kept in session 1", result.stdout)
        assert kept is not None, result.output
        shown = json.loads(invoke("show", "1", "--json", "--data-dir", data).stdout)
        assert shown["session"]["end_reason"] == "disk_full"
        assert abs(shown["session"]["duration_s"] - float(kept[1])) <= 0.05 + 1e-9  # printed to 0.1 s
