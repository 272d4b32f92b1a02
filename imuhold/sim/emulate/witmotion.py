"""An emulated WitMotion BLE 5.0 sensor: streams 0x61 frames while notifications are on, coalescing at high rates."""

from __future__ import annotations

from bumble import gatt

from imuhold.protocol import witmotion as wit
from imuhold.protocol import witmotion_control as ctl
from imuhold.sim.emulate.base import EmulatedSensor, Props
from imuhold.sim.emulate.motion import MotionTrack

UNLOCK_S = 10.0


def frames_per_notification(rate_hz: float) -> int:
    """Like the capture: 2 frames per notification at 50 Hz, 4 at 100 Hz and up, 1 below."""
    return 4 if rate_hz >= 100 else 2 if rate_hz >= 50 else 1


class WitMotionSensor(EmulatedSensor):
    """Rate commands need an unlock within the last 10 s; register reads answer with 0x71 frames.

    ``split`` sends each notification in two parts cut mid-frame (as the official SDKs are written to expect).
    """

    profile = wit.NAME
    default_name = "WT901BLE68"

    def __init__(self, motion: MotionTrack, *, rate_hz: float = 10.0, split: bool = False, **kwargs):
        super().__init__(motion, **kwargs)
        self.rate_hz = rate_hz  # factory default 10 Hz until the host sets a rate
        self.split = split
        self._unlocked_at: float | None = None
        self._pending: list[bytes] = []
        self._truth: list[tuple[float, tuple, tuple]] = []

    def services(self) -> list[gatt.Service]:
        data = self.characteristic(wit.DATA_CHAR_UUID, Props.NOTIFY)
        command = self.characteristic(
            wit.COMMAND_CHAR_UUID, Props.WRITE | Props.WRITE_WITHOUT_RESPONSE, write=self._on_command
        )
        return [gatt.Service(wit.SERVICE_UUID, [data, command])]

    async def _on_command(self, data: bytes) -> None:
        try:
            command = ctl.parse_command(data)
        except ValueError:
            return
        now = self.sensor_time_s() / self.speed
        if command.register == ctl.REG_UNLOCK and (command.low, command.high) == ctl.UNLOCK_KEY:
            self._unlocked_at = now
        elif command.register == ctl.REG_READ:
            await self.notify(wit.DATA_CHAR_UUID, self._registers(command.low), frames=0)
        elif command.register == ctl.REG_RATE and self._unlocked(now):
            rate = ctl.rate_from_code(command.low)
            if rate is not None:
                self.rate_hz = rate
                self._pending.clear()
                self._truth.clear()

    def _unlocked(self, now: float) -> bool:
        return self._unlocked_at is not None and now - self._unlocked_at <= UNLOCK_S

    def _registers(self, register: int) -> bytes:
        if register == ctl.REG_QUATERNION:
            quat, _, _ = self.motion.at(self.sensor_time_s())
            return wit.encode_register_reply(register, tuple(round(c * 32767) for c in quat))
        if register == ctl.REG_BATTERY:
            return wit.encode_register_reply(register, (390,))
        if register == ctl.REG_RATE:
            return wit.encode_register_reply(register, (ctl.RATE_CODES.get(self.rate_hz, 0),))
        return wit.encode_register_reply(register, ())

    def on_subscription(self, uuid: str, enabled: bool) -> None:
        self._pending.clear()
        self._truth.clear()

    async def tick(self, t_s: float) -> None:
        if wit.DATA_CHAR_UUID not in self.subscribed:
            return
        quat, acc, gyr = self.motion.at(t_s)
        self._pending.append(wit.encode_imu_frame(quat, acc, gyr))
        self._truth.append((t_s, quat, acc))
        if len(self._pending) < frames_per_notification(self.rate_hz):
            return
        payload, frames, truth = b"".join(self._pending), len(self._pending), list(self._truth)
        self._pending.clear()
        self._truth.clear()
        if self.split:
            cut = len(payload) // 2 + 7
            await self.notify(wit.DATA_CHAR_UUID, payload[:cut], frames=0)
            await self.notify(wit.DATA_CHAR_UUID, payload[cut:], frames=frames, truth=truth)
        else:
            await self.notify(wit.DATA_CHAR_UUID, payload, frames=frames, truth=truth)
