"""A fault-injecting packet source for tests: drops, duplicates, reorders, corrupts, truncates and disconnects.

Wraps any PacketSource and draws every fault from one seeded generator, so a failing run can be repeated.
"""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, fields

from imuhold.model import Packet
from imuhold.source import LinkStatus, PacketSource


@dataclass(frozen=True, slots=True)
class Faults:
    """Per-packet probabilities, and disconnects as (first packet index, packets lost while disconnected)."""

    drop_p: float = 0.0
    duplicate_p: float = 0.0
    reorder_p: float = 0.0
    corrupt_p: float = 0.0
    truncate_p: float = 0.0
    disconnects: tuple[tuple[int, int], ...] = ()

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name.endswith("_p") and not 0.0 <= value <= 1.0:
                raise ValueError(f"{f.name} must be within 0..1, got {value}")


@dataclass(slots=True)
class FaultStats:
    """What was done to the stream."""

    passed: int = 0
    dropped: int = 0
    duplicated: int = 0
    reordered: int = 0
    corrupted: int = 0
    truncated: int = 0
    disconnected: int = 0
    lost_in_disconnects: int = 0
    log: list[str] = field(default_factory=list)


class FaultySource:
    """``source`` with ``faults`` applied; ``stats`` says what happened. Link statuses pass through unchanged."""

    def __init__(self, source: PacketSource, faults: Faults, seed: int = 0) -> None:
        self.source = source
        self.faults = faults
        self.seed = seed
        self.profile = source.profile
        self.rate_hz = source.rate_hz
        self.description = f"{source.description} with faults (seed {seed})"
        self.stats = FaultStats()

    async def stream(self) -> AsyncIterator[Packet | LinkStatus]:
        rng = random.Random(self.seed)
        f, stats = self.faults, self.stats
        disconnects = dict(f.disconnects)
        held: Packet | None = None
        swallow = 0
        index = -1
        async for item in self.source.stream():
            if isinstance(item, LinkStatus):
                yield item
                continue
            index += 1
            if index in disconnects:
                swallow = disconnects[index]
                stats.disconnected += 1
                yield LinkStatus(False, self.description, note="injected disconnect")
            if swallow:
                swallow -= 1
                stats.lost_in_disconnects += 1
                if not swallow:
                    yield LinkStatus(True, self.description, note="reconnected after injected disconnect")
                continue
            if rng.random() < f.drop_p:
                stats.dropped += 1
                continue
            packet = self._damage(item, rng)
            if held is not None:
                yield packet
                yield held
                held = None
                continue
            if rng.random() < f.reorder_p:
                stats.reordered += 1
                held = packet
                continue
            stats.passed += 1
            yield packet
            if rng.random() < f.duplicate_p:
                stats.duplicated += 1
                yield packet
        if held is not None:
            yield held

    def _damage(self, packet: Packet, rng: random.Random) -> Packet:
        payload = packet.payload
        if payload and rng.random() < self.faults.corrupt_p:
            self.stats.corrupted += 1
            at = rng.randrange(len(payload))
            payload = payload[:at] + bytes([payload[at] ^ (1 << rng.randrange(8))]) + payload[at + 1 :]
        if payload and rng.random() < self.faults.truncate_p:
            self.stats.truncated += 1
            payload = payload[: rng.randrange(len(payload))]
        return packet if payload is packet.payload else Packet(packet.t_host_ns, packet.characteristic, payload)
