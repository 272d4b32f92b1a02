"""The emulator's send log: one line per notification, so a host on the same machine can align what it received."""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from imuhold.model import Packet


@dataclass(frozen=True, slots=True)
class SentNotification:
    """One notification: ``time.monotonic_ns()`` as it left the sensor, the sensor time of its first motion frame
    (None for command answers), how many motion frames it carries, the characteristic and the bytes.
    """

    t_send_ns: int
    sensor_t_s: float | None
    frames: int
    uuid: str
    value: bytes

    def line(self) -> str:
        sensor_t = "-" if self.sensor_t_s is None else f"{self.sensor_t_s:.6f}"
        return f"{self.t_send_ns} {sensor_t} {self.frames} {self.uuid} {self.value.hex()}\n"

    @classmethod
    def parse(cls, line: str) -> SentNotification:
        t_send, sensor_t, frames, uuid, value = line.split()
        return cls(int(t_send), None if sensor_t == "-" else float(sensor_t), int(frames), uuid, bytes.fromhex(value))


class SendLog:
    """Appends sent notifications to ``path`` (line-buffered text, so a reader sees whole lines)."""

    def __init__(self, path: Path) -> None:
        self._file: TextIO = path.open("w", encoding="ascii", buffering=1)

    def __call__(self, sent: SentNotification) -> None:
        self._file.write(sent.line())

    def close(self) -> None:
        self._file.close()


def read_send_log(path: Path) -> list[SentNotification]:
    with path.open(encoding="ascii") as file:
        return [SentNotification.parse(line) for line in file if line.strip()]


def matched(sent: Iterable[SentNotification], received: Iterable[Packet]) -> Iterator[tuple[SentNotification, Packet]]:
    """Pairs each received packet with the notification that carried it: the oldest unmatched one with the same
    characteristic and bytes (BLE delivers in order and without duplicates). Packets never sent are left out.
    """
    pending: dict[tuple[str, bytes], deque[SentNotification]] = defaultdict(deque)
    for notification in sent:
        pending[notification.uuid, notification.value].append(notification)
    for packet in received:
        queue = pending.get((packet.characteristic, packet.payload))
        if queue:
            yield queue.popleft(), packet
