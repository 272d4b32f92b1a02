"""Sensor profiles (pure, stdlib only): UUIDs, frame decoders and encoders, and a registry by name."""

from __future__ import annotations

from imuhold.errors import UnknownProfileError
from imuhold.protocol import imuhold_v1
from imuhold.protocol.base import Decoder, DecodeStats, Profile

PROFILES: dict[str, Profile] = {imuhold_v1.NAME: imuhold_v1.PROFILE}


def get_profile(name: str) -> Profile:
    """The profile registered under ``name``; raises UnknownProfileError naming the known ones."""
    try:
        return PROFILES[name]
    except KeyError:
        known = ", ".join(sorted(PROFILES))
        raise UnknownProfileError(f"unknown sensor profile {name!r} (known: {known})") from None


__all__ = ["PROFILES", "DecodeStats", "Decoder", "Profile", "get_profile"]
