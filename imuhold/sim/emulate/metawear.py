"""An emulated MetaMotion: sensor fusion at 100 Hz once the host has configured, subscribed and started it."""

from __future__ import annotations

from bumble import gatt
from bumble.core import UUID, AdvertisingData

from imuhold.protocol import metawear as mw
from imuhold.protocol import rotation
from imuhold.protocol.metawear import MODULE_FUSION, FusionRegister
from imuhold.sim.emulate.base import EmulatedSensor, Props

ACC_REGISTERS = (FusionRegister.CORRECTED_ACC, FusionRegister.LINEAR_ACC)


class MetaWearSensor(EmulatedSensor):
    """Streams each fusion output only when it is both subscribed (``19 rr 01``) and output-enabled."""

    profile = mw.NAME
    default_name = "MetaWear"
    rate_hz = mw.FUSION_RATE_HZ

    def __init__(self, motion, **kwargs):
        super().__init__(motion, **kwargs)
        self.fusion_on = False
        self.outputs = 0
        self.module_subscriptions: set[int] = set()

    def services(self) -> list[gatt.Service]:
        command = self.characteristic(
            mw.COMMAND_CHAR_UUID, Props.WRITE | Props.WRITE_WITHOUT_RESPONSE, write=self._on_command
        )
        notify = self.characteristic(mw.NOTIFY_CHAR_UUID, Props.NOTIFY)
        return [gatt.Service(mw.SERVICE_UUID, [command, notify])]

    def advertising_data(self):
        adv = AdvertisingData(
            [
                (AdvertisingData.FLAGS, bytes([0x06])),
                (AdvertisingData.COMPLETE_LIST_OF_128_BIT_SERVICE_CLASS_UUIDS, UUID(mw.SERVICE_UUID).to_bytes()),
            ]
        )
        return adv, AdvertisingData([self._name_field()])

    def _on_command(self, data: bytes) -> None:
        if len(data) < 3 or data[0] != MODULE_FUSION:
            return
        register = data[1]
        if register == FusionRegister.ENABLE:
            self.fusion_on = data[2] == 1
        elif register == FusionRegister.OUTPUT_ENABLE and len(data) == 4:
            self.outputs = (self.outputs | data[2]) & ~data[3]
        elif register in (FusionRegister.QUATERNION, *ACC_REGISTERS):
            (self.module_subscriptions.add if data[2] else self.module_subscriptions.discard)(register)

    def _streams(self, register: int) -> bool:
        mask = 1 << (register - FusionRegister.CORRECTED_ACC)
        return bool(self.outputs & mask) and register in self.module_subscriptions

    def on_disconnect(self) -> None:
        self.fusion_on = False
        self.outputs = 0
        self.module_subscriptions.clear()

    async def tick(self, t_s: float) -> None:
        if not self.fusion_on:
            return
        quat, acc, _ = self.motion.at(t_s)
        if self._streams(FusionRegister.CORRECTED_ACC):
            await self.notify(mw.NOTIFY_CHAR_UUID, mw.encode_corrected_acc(acc), frames=0)
        if self._streams(FusionRegister.LINEAR_ACC):
            linear = rotation.specific_force_to_linear(quat, acc)
            await self.notify(mw.NOTIFY_CHAR_UUID, mw.encode_linear_acc(linear), frames=0)
        if self._streams(FusionRegister.QUATERNION):
            await self.notify(mw.NOTIFY_CHAR_UUID, mw.encode_quaternion(quat), truth=[(t_s, quat, acc)])
