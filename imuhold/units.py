"""The one place that knows unit conversions: raw sensor units and degrees to SI and back."""

from __future__ import annotations

import math

STANDARD_GRAVITY_M_S2 = 9.80665
DEG_PER_RAD = 180.0 / math.pi
RAD_PER_DEG = math.pi / 180.0
NS_PER_S = 1_000_000_000
US_PER_S = 1_000_000


def mg_to_m_s2(milli_g: float) -> float:
    return milli_g * (STANDARD_GRAVITY_M_S2 / 1000.0)


def m_s2_to_mg(acc_m_s2: float) -> float:
    return acc_m_s2 * (1000.0 / STANDARD_GRAVITY_M_S2)


def g_to_m_s2(g: float) -> float:
    return g * STANDARD_GRAVITY_M_S2


def deg_to_rad(deg: float) -> float:
    return deg * RAD_PER_DEG


def rad_to_deg(rad: float) -> float:
    return rad * DEG_PER_RAD
