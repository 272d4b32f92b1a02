"""The next target hold, suggested from the holds of the last sessions: raise it gently, cap it near a minute."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

RECENT_SESSIONS = 3
"""How many of the latest sessions (with holds) the suggestion looks at."""
HOLDS_TO_RAISE = 3
"""Holds at or above the target needed, across the recent sessions, to raise it…"""
SESSIONS_TO_RAISE = 2
"""…spread over at least this many different sessions (one lucky day is not progress)."""
LOWER_BELOW_FRACTION = 0.6
"""Lower the target when no hold in the recent sessions reached this fraction of it."""
MIN_TARGET_S = 5.0
MAX_TARGET_S = 60.0
MIN_STEP_S = 2.0
MAX_STEP_S = 5.0
STEP_FRACTION = 0.15


@dataclass(frozen=True, slots=True)
class TargetSuggestion:
    """The suggested target hold (s), the current one it was derived from, and why, in one sentence."""

    target_s: float
    current_s: float
    reason: str

    @property
    def change_s(self) -> float:
        return self.target_s - self.current_s


def step_s(target_s: float) -> float:
    """How far one change moves the target: 15 % of it, at least 2 s and at most 5 s, in whole seconds."""
    return float(min(MAX_STEP_S, max(MIN_STEP_S, round(target_s * STEP_FRACTION))))


def suggest_target(recent: Sequence[tuple[float | None, Sequence[float]]], default_s: float) -> TargetSuggestion:
    """The next target from ``recent`` sessions, oldest first, each ``(its target or None, its hold durations)``.

    The current target is the last session's (else ``default_s``). It rises by one step when at least
    ``HOLDS_TO_RAISE`` holds in the last ``RECENT_SESSIONS`` sessions with holds reached it, in at least
    ``SESSIONS_TO_RAISE`` of them; it falls by one step when none reached ``LOWER_BELOW_FRACTION`` of it.
    It never goes above ``MAX_TARGET_S`` nor below ``MIN_TARGET_S``.
    """
    current = next((t for t, _ in reversed(recent) if t is not None and math.isfinite(t) and t > 0), default_s)
    trained = [holds for _, holds in recent if holds][-RECENT_SESSIONS:]
    if not trained:
        return TargetSuggestion(current, current, "no holds yet: keep the target")
    reached = [sum(1 for d in holds if d >= current) for holds in trained]
    best = max(max(holds) for holds in trained)
    if current >= MAX_TARGET_S and sum(reached) >= HOLDS_TO_RAISE:
        return TargetSuggestion(current, current, f"target of {current:.0f} s reached: that is the goal, keep it")
    if sum(reached) >= HOLDS_TO_RAISE and sum(1 for n in reached if n) >= SESSIONS_TO_RAISE:
        target = min(MAX_TARGET_S, current + step_s(current))
        return TargetSuggestion(
            target, current, f"{sum(reached)} holds of {current:.0f} s or more in the last {len(trained)} sessions"
        )
    if len(trained) >= RECENT_SESSIONS and best < LOWER_BELOW_FRACTION * current:
        target = max(MIN_TARGET_S, current - step_s(current))
        return TargetSuggestion(target, current, f"longest recent hold {best:.0f} s, well short of {current:.0f} s")
    return TargetSuggestion(current, current, f"{sum(reached)} of {HOLDS_TO_RAISE} holds at the target so far")


LOOKBACK_SESSIONS = 12
"""Sessions read to find the last ``RECENT_SESSIONS`` that have holds."""


def suggest_from_store(store, default_s: float) -> TargetSuggestion:  # store: imuhold.store.SessionStore
    """The suggestion for the next session from the sessions in ``store``."""
    history = store.hold_history(LOOKBACK_SESSIONS)
    return suggest_target([(info.target_hold_s, holds) for info, holds in history], default_s)
