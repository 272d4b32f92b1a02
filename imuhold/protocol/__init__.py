"""Sensor profiles (pure, stdlib only): UUIDs, frame decoders and encoders, command sequences, and registries."""

from __future__ import annotations

from imuhold.errors import UnknownProfileError
from imuhold.protocol import (
    imuhold_v1,
    imuhold_v1_link,
    metawear,
    metawear_control,
    movella_dot,
    movella_dot_control,
    thingy52,
    thingy52_control,
    witmotion,
    witmotion_control,
)
from imuhold.protocol.base import Decoder, DecodeStats, Profile
from imuhold.protocol.gatt import LinkSpec

PROFILES: dict[str, Profile] = {
    imuhold_v1.NAME: imuhold_v1.PROFILE,
    witmotion.NAME: witmotion.PROFILE,
    metawear.NAME: metawear.PROFILE,
    movella_dot.NAME: movella_dot.PROFILE,
    thingy52.NAME: thingy52.PROFILE,
}

LINKS: dict[str, LinkSpec] = {
    spec.profile: spec
    for spec in (
        imuhold_v1_link.LINK,
        witmotion_control.LINK,
        metawear_control.LINK,
        movella_dot_control.LINK,
        thingy52_control.LINK,
    )
}
"""How to recognise, start and stop each profile's devices, by profile name (same keys as PROFILES)."""

GRAVITY_TILT_LATER = "Polar PMD (Verity Sense, H10) streams acceleration only; a gravity-tilt profile may follow."


def get_profile(name: str) -> Profile:
    """The profile registered under ``name``; raises UnknownProfileError naming the known ones."""
    try:
        return PROFILES[name]
    except KeyError:
        known = ", ".join(sorted(PROFILES))
        raise UnknownProfileError(f"unknown sensor profile {name!r} (known: {known})") from None


def get_link(name: str) -> LinkSpec:
    """The link spec of profile ``name``; raises UnknownProfileError naming the known ones."""
    get_profile(name)
    return LINKS[name]


def recognise(
    name: str | None, service_uuids: frozenset[str] = frozenset(), manufacturer_ids: frozenset[int] = frozenset()
) -> str | None:
    """The profile whose devices advertise like this (service UUID first, then company ID, then name), or None."""
    for spec in LINKS.values():
        if spec.advertised.service_uuids & {u.lower() for u in service_uuids}:
            return spec.profile if spec.advertised.matches(name, service_uuids, manufacturer_ids) else None
    for spec in LINKS.values():
        if spec.advertised.matches(name, frozenset(), manufacturer_ids):
            return spec.profile
    return None


__all__ = ["LINKS", "PROFILES", "DecodeStats", "Decoder", "LinkSpec", "Profile", "get_link", "get_profile", "recognise"]
