"""An emulated Thingy:52: motion config in "flash", quaternion and raw data while their notifications are on."""

from __future__ import annotations

from bumble import gatt
from bumble.core import UUID, AdvertisingData

from imuhold.protocol import thingy52 as thingy
from imuhold.protocol import thingy52_control as ctl
from imuhold.sim.emulate.base import EmulatedSensor, Props


class ThingySensor(EmulatedSensor):
    """Streams at the configured motion processing frequency (factory default 10 Hz)."""

    profile = thingy.NAME
    default_name = "Thingy"

    def __init__(self, motion, **kwargs):
        super().__init__(motion, **kwargs)
        self.config = ctl.MotionConfig()
        self.rate_hz = float(self.config.motion_freq_hz)

    def services(self) -> list[gatt.Service]:
        config = self.characteristic(
            thingy.MOTION_CONFIG_CHAR_UUID,
            Props.READ | Props.WRITE,
            read=lambda: self.config.encode(),
            write=self._on_config,
        )
        quaternion = self.characteristic(thingy.QUATERNION_CHAR_UUID, Props.NOTIFY)
        raw = self.characteristic(thingy.RAW_CHAR_UUID, Props.NOTIFY)
        return [gatt.Service(thingy.MOTION_SERVICE_UUID, [config, quaternion, raw])]

    def advertising_data(self):
        adv = AdvertisingData(
            [
                (AdvertisingData.FLAGS, bytes([0x06])),
                (
                    AdvertisingData.INCOMPLETE_LIST_OF_128_BIT_SERVICE_CLASS_UUIDS,
                    UUID(thingy.CONFIG_SERVICE_UUID).to_bytes(),
                ),
            ]
        )
        return adv, AdvertisingData([self._name_field()])

    def _on_config(self, data: bytes) -> None:
        try:
            config = ctl.MotionConfig.parse(data)
            ctl.check_rate(config.motion_freq_hz)
        except ValueError:
            return
        self.config = config
        self.rate_hz = float(config.motion_freq_hz)

    async def tick(self, t_s: float) -> None:
        quat, acc, gyr = self.motion.at(t_s)
        if thingy.RAW_CHAR_UUID in self.subscribed:
            await self.notify(thingy.RAW_CHAR_UUID, thingy.encode_raw(acc, gyr), frames=0)
        if thingy.QUATERNION_CHAR_UUID in self.subscribed:
            await self.notify(thingy.QUATERNION_CHAR_UUID, thingy.encode_quaternion(quat), truth=[(t_s, quat, acc)])
