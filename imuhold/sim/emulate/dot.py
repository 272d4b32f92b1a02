"""An emulated Movella DOT: device control (output rate), measurement start/stop, timestamped payloads."""

from __future__ import annotations

from dataclasses import replace

from bumble import gatt
from bumble.core import AdvertisingData

from imuhold.protocol import movella_dot as dot
from imuhold.protocol import movella_dot_control as ctl
from imuhold.sim.emulate.base import EmulatedSensor, Props


class DotSensor(EmulatedSensor):
    """The rate can change only while not measuring (as the spec says); a disconnect stops the measurement."""

    profile = dot.NAME
    default_name = "Movella DOT"
    rate_hz = dot.DEFAULT_RATE_HZ

    def __init__(self, motion, *, t_us_start: int = 0, **kwargs):
        super().__init__(motion, **kwargs)
        self.t_us_start = t_us_start
        self.mode: dot.PayloadMode | None = None
        self.control = ctl.DeviceControl(0, 0, 2, 10, 0, 30, 0, "emulated", int(self.rate_hz), 0)

    def services(self) -> list[gatt.Service]:
        device_control = self.characteristic(
            dot.DEVICE_CONTROL_CHAR_UUID,
            Props.READ | Props.WRITE,
            read=lambda: self.control.encode(),
            write=self._on_device,
        )
        control = self.characteristic(
            dot.CONTROL_CHAR_UUID, Props.READ | Props.WRITE, read=self._control_value, write=self._on_control
        )
        payloads = [
            self.characteristic(uuid, Props.NOTIFY)
            for uuid in (dot.LONG_PAYLOAD_CHAR_UUID, dot.MEDIUM_PAYLOAD_CHAR_UUID, dot.SHORT_PAYLOAD_CHAR_UUID)
        ]
        battery = self.characteristic(dot.BATTERY_CHAR_UUID, Props.READ | Props.NOTIFY, read=self._battery)
        return [
            gatt.Service(dot.CONFIG_SERVICE_UUID, [device_control]),
            gatt.Service(dot.MEASUREMENT_SERVICE_UUID, [control, *payloads]),
            gatt.Service(dot.BATTERY_SERVICE_UUID, [battery]),
        ]

    def advertising_data(self):
        company = dot.COMPANY_ID.to_bytes(2, "little")
        adv = AdvertisingData(
            [(AdvertisingData.FLAGS, bytes([0x06])), (AdvertisingData.MANUFACTURER_SPECIFIC_DATA, company + b"\x00")]
        )
        return adv, AdvertisingData([self._name_field()])

    def _battery(self) -> bytes:
        return bytes((self.battery_pct, 0))

    def _control_value(self) -> bytes:
        return ctl.start_command(self.mode) if self.mode else ctl.stop_command()

    def _on_device(self, data: bytes) -> None:
        try:
            new = ctl.DeviceControl.parse(data)
        except ValueError:
            return
        rate_ok = float(new.output_rate_hz) in ctl.STREAMING_RATES_HZ
        if new.visit_index & ctl.VISIT_OUTPUT_RATE and self.mode is None and rate_ok:
            self.control = replace(self.control, output_rate_hz=new.output_rate_hz)
            self.rate_hz = float(new.output_rate_hz)

    def _on_control(self, data: bytes) -> None:
        try:
            command = ctl.parse_control(data)
            mode = dot.PayloadMode(command.mode)
        except ValueError:
            return
        self.mode = mode if command.start else None

    def on_disconnect(self) -> None:
        self.mode = None

    async def tick(self, t_s: float) -> None:
        if self.mode is None:
            return
        quat, acc, _ = self.motion.at(t_s)
        t_us = self.t_us_start + round(t_s * 1e6)
        payload = dot.encode_payload(t_us, quat, acc, self.mode)
        await self.notify(dot.PAYLOAD_CHAR[self.mode], payload, truth=[(t_s, quat, acc)])
