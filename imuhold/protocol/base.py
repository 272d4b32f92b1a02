"""What every sensor profile provides: a name, its UUIDs and a stateful stream decoder."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from imuhold.model import Packet, Sample


@dataclass(slots=True)
class DecodeStats:
    """Running counts a decoder keeps instead of raising on bad input."""

    packets: int = 0
    frames: int = 0
    bad_frames: int = 0
    lost_frames: int = 0
    ignored_packets: int = 0
    unknown_frames: int = 0
    last_error: str | None = field(default=None)

    def count_bad(self, reason: str) -> None:
        """One frame that could not be used, and why (kept as ``last_error``)."""
        self.bad_frames += 1
        self.last_error = reason

    @property
    def loss_fraction(self) -> float:
        expected = self.frames + self.lost_frames
        return self.lost_frames / expected if expected else 0.0


class Decoder(Protocol):
    """Turns notifications into samples; keeps state (wrap-around, sequence numbers, split frames)."""

    stats: DecodeStats

    def feed(self, packet: Packet) -> list[Sample]: ...


class Profile(Protocol):
    """A sensor profile: how to recognise it and how to decode its notifications."""

    name: str
    service_uuid: str
    data_characteristics: frozenset[str]
    nominal_rate_hz: float

    def decoder(self, rate_hz: float | None = None) -> Decoder:
        """A fresh stream decoder; ``rate_hz`` is the configured rate where timing or loss counting needs it."""
        ...
