"""How long to wait before the next reconnection attempt: a pure function of the attempt number."""

from __future__ import annotations

FIRST_S = 0.25
FACTOR = 2.0
MAX_S = 8.0


def backoff_s(attempt: int) -> float:
    """Seconds to wait before attempt ``attempt`` (1 = the first retry): 0.25, 0.5, 1, 2, 4, 8, 8 … s.

    The first retry is quick because most drops are brief (a person walking out of range and back).
    """
    if attempt < 1:
        return 0.0
    return min(MAX_S, FIRST_S * FACTOR ** (attempt - 1))
