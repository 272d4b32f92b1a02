"""An emulated imuhold-v1 sensor: motion frames, control point with responses, info; idle after a disconnect."""

from __future__ import annotations

from bumble.core import UUID, AdvertisingData

from imuhold.protocol import imuhold_v1 as v1
from imuhold.protocol.imuhold_v1_control import (
    Command,
    CommandRejected,
    ControlResponse,
    Info,
    Opcode,
    Status,
    parse_command,
)
from imuhold.sim.emulate.base import EmulatedSensor, Props
from imuhold.sim.emulate.motion import MotionTrack

FRAME_TYPES_MASK = (1 << v1.FRAME_QUAT_ACC) | (1 << v1.FRAME_GYR_ACC)


class ImuholdV1Sensor(EmulatedSensor):
    """Follows firmware_specs/imuhold-profile.md; ``quirks`` break it on purpose for the conformance checker.

    Quirks: "no-response" (commands get no response), "skip-seq" (seq advances by 2), "stream-after-reconnect"
    (does not return to idle on disconnect), "wrong-gravity" (acceleration sign flipped).
    """

    profile = v1.NAME
    default_name = "imuhold-EMU1"

    def __init__(
        self,
        motion: MotionTrack,
        *,
        min_rate_hz: int = 25,
        max_rate_hz: int = 200,
        rate_hz: int = 100,
        t_us_start: int = 0,
        quirks: frozenset[str] = frozenset(),
        **kwargs,
    ):
        super().__init__(motion, **kwargs)
        self.min_rate_hz, self.max_rate_hz = min_rate_hz, max_rate_hz
        self.rate_hz = float(rate_hz)
        self.t_us_start = t_us_start
        self.quirks = quirks
        self.active = v1.FRAME_INVALID
        self.seq = 0

    def services(self):
        from bumble import gatt

        motion = self.characteristic(v1.MOTION_CHAR_UUID, Props.NOTIFY)
        control = self.characteristic(v1.CONTROL_CHAR_UUID, Props.WRITE | Props.NOTIFY, write=self._on_control)
        info = self.characteristic(v1.INFO_CHAR_UUID, Props.READ, read=self.info)
        return [gatt.Service(v1.SERVICE_UUID, [motion, control, info])]

    def advertising_data(self):
        adv = AdvertisingData(
            [
                (AdvertisingData.FLAGS, bytes([0x06])),
                (AdvertisingData.COMPLETE_LIST_OF_128_BIT_SERVICE_CLASS_UUIDS, UUID(v1.SERVICE_UUID).to_bytes()),
            ]
        )
        return adv, AdvertisingData([self._name_field()])

    def info(self) -> bytes:
        return Info(FRAME_TYPES_MASK, self.min_rate_hz, self.max_rate_hz, int(self.rate_hz), self.active).encode()

    async def _on_control(self, data: bytes) -> None:
        if not data:
            return
        try:
            command = parse_command(data)
            response = self._execute(command)
        except CommandRejected as exc:
            response = ControlResponse(exc.opcode, exc.status)
        if "no-response" not in self.quirks:
            await self.notify(v1.CONTROL_CHAR_UUID, response.encode(), frames=0)

    def _execute(self, command: Command) -> ControlResponse:
        if command.opcode == Opcode.START:
            frame_type = v1.FRAME_QUAT_ACC if command.frame_type is None else command.frame_type
            if not FRAME_TYPES_MASK >> frame_type & 1:
                return ControlResponse(Opcode.START, Status.INVALID_PARAMETER)
            self.active = frame_type
            return ControlResponse(Opcode.START, Status.SUCCESS)
        if command.opcode == Opcode.STOP:
            self.active = v1.FRAME_INVALID
            return ControlResponse(Opcode.STOP, Status.SUCCESS)
        assert command.rate_hz is not None
        if not self.min_rate_hz <= command.rate_hz <= self.max_rate_hz:
            return ControlResponse(Opcode.SET_RATE, Status.INVALID_PARAMETER)
        self.rate_hz = float(command.rate_hz)
        return ControlResponse(Opcode.SET_RATE, Status.SUCCESS, command.rate_hz)

    def on_disconnect(self) -> None:
        if "stream-after-reconnect" not in self.quirks:
            self.active = v1.FRAME_INVALID

    async def tick(self, t_s: float) -> None:
        if self.active == v1.FRAME_INVALID:
            return
        quat, acc, gyr = self.motion.at(t_s)
        if "wrong-gravity" in self.quirks:
            acc = (-acc[0], -acc[1], -acc[2])
        t_us = self.t_us_start + round(t_s * 1e6)
        if self.active == v1.FRAME_QUAT_ACC:
            frame = v1.encode_quat_acc(self.seq, t_us, quat, acc)
        else:
            frame = v1.encode_gyr_acc(self.seq, t_us, gyr, acc)
        self.seq = (self.seq + (2 if "skip-seq" in self.quirks else 1)) % v1.SEQ_WRAP
        await self.notify(v1.MOTION_CHAR_UUID, frame, truth=[(t_s, quat, acc)])
