"""The bleak backend: scanning through bleak's ``backend=`` seam with a scripted scanner, error mapping, and the
client adapter over a stand-in for BleakClient. (Real BlueZ comes with the hardware-in-the-loop tests.)
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from bleak.backends.scanner import AdvertisementData, BaseBleakScanner
from bleak.exc import BleakBluetoothNotAvailableError, BleakBluetoothNotAvailableReason, BleakError

from imuhold.ble.bleak_backend import BleakConnector, BleakGattClient, adapter_error
from imuhold.ble.errors import LinkLostError, NoAdapterError
from imuhold.protocol import imuhold_v1 as v1
from imuhold.protocol import movella_dot as dot
from imuhold.protocol import witmotion as wit

ADVERTISEMENTS = [
    ("C0:00:00:00:00:01", "WT901BLE68", [], {}, -60),
    ("C0:00:00:00:00:02", "WTVB01-BT50", [wit.SERVICE_UUID], {}, -40),
    ("C0:00:00:00:00:03", None, [v1.SERVICE_UUID.upper()], {}, -70),
    ("C0:00:00:00:00:04", "Movella DOT", [], {dot.COMPANY_ID: b"\x01"}, -80),
    ("C0:00:00:00:00:05", "headphones", [], {0x004C: b""}, -30),
]


class ScriptedScanner(BaseBleakScanner):
    """Reports ADVERTISEMENTS as soon as scanning starts."""

    def __init__(self, detection_callback, service_uuids, scanning_mode="active", **kwargs):
        super().__init__(detection_callback, service_uuids)

    async def start(self) -> None:
        for address, name, uuids, manufacturer, rssi in ADVERTISEMENTS:
            adv = AdvertisementData(name, manufacturer, {}, uuids, None, rssi, ())
            device = self.create_or_update_device(address, address, name, None, adv)
            self.call_detection_callbacks(device, adv)

    async def stop(self) -> None:
        pass


async def test_scan_recognises_supported_sensors_through_the_backend_seam() -> None:
    found = await BleakConnector(scanner_backend=ScriptedScanner).scan(0.01)
    by_address = {d.address: d for d in found}
    assert by_address["C0:00:00:00:00:01"].profile == wit.NAME
    assert by_address["C0:00:00:00:00:02"].profile is None  # a vibration sensor, not an IMU
    assert by_address["C0:00:00:00:00:03"].profile == v1.NAME
    assert by_address["C0:00:00:00:00:04"].profile == dot.NAME
    assert by_address["C0:00:00:00:00:05"].profile is None
    assert [d.profile is not None for d in found] == [True, True, True, False, False]  # recognised first
    assert found[0].rssi == -60


async def test_connect_to_an_absent_sensor_through_the_backend_seam() -> None:
    from imuhold.ble.errors import SensorNotFoundError

    with pytest.raises(SensorNotFoundError, match="C0:00:00:00:00:99"):
        await BleakConnector(scanner_backend=ScriptedScanner).connect("C0:00:00:00:00:99", lambda: None, 0.05)


@pytest.mark.parametrize(
    "exc",
    [
        FileNotFoundError(2, "No such file or directory"),
        ConnectionRefusedError(),
        BleakBluetoothNotAvailableError("off", BleakBluetoothNotAvailableReason.POWERED_OFF),
        BleakError("org.bluez.Error.NotReady: Resource Not Ready"),
    ],
)
def test_adapter_problems_become_no_adapter_errors(exc: BaseException) -> None:
    error = adapter_error(exc)
    assert isinstance(error, NoAdapterError)
    assert error.title == "No Bluetooth adapter"


def test_other_errors_are_not_adapter_errors() -> None:
    assert adapter_error(BleakError("Characteristic not found")) is None
    assert adapter_error(TimeoutError()) is None


class StandInClient:
    """Duck-types the parts of BleakClient that BleakGattClient uses."""

    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.is_connected = True
        self.mtu_size = 23
        self.writes: list[tuple[str, bytes, bool]] = []
        cccd = SimpleNamespace(uuid="00002902-0000-1000-8000-00805f9b34fb")
        char = SimpleNamespace(uuid=v1.MOTION_CHAR_UUID.upper(), properties=["notify"], descriptors=[cccd])
        self.services = [SimpleNamespace(uuid=v1.SERVICE_UUID.upper(), characteristics=[char])]

    async def write_gatt_char(self, uuid, data, response):
        if self.fail:
            raise BleakError("Not connected")
        self.writes.append((uuid, data, response))

    async def start_notify(self, uuid, callback):
        callback(None, bytearray(b"\x01\x02"))


async def test_gatt_client_adapter() -> None:
    inner = StandInClient()
    client = BleakGattClient("AA", inner)  # type: ignore[arg-type]
    (info,) = client.characteristics().values()
    assert info.uuid == v1.MOTION_CHAR_UUID and info.properties == {"notify"} and info.has_cccd
    await client.write(v1.CONTROL_CHAR_UUID, b"\x01", True)
    assert inner.writes == [(v1.CONTROL_CHAR_UUID, b"\x01", True)]
    got = []
    await client.start_notify(v1.MOTION_CHAR_UUID, lambda uuid, data: got.append((uuid, bytes(data))))
    assert got == [(v1.MOTION_CHAR_UUID, b"\x01\x02")]
    with pytest.raises(LinkLostError, match="writing"):
        await BleakGattClient("AA", StandInClient(fail=True)).write("x", b"", False)  # type: ignore[arg-type]
