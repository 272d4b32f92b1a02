"""Run one function over many files, in worker processes when asked; results come back in input order."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from typing import Any, TypeVar

T = TypeVar("T")


def map_files(func: Callable[..., T], items: Sequence[Any], jobs: int = 1, **kwargs: Any) -> list[T]:
    """``[func(item, **kwargs) for item in items]``, spread over ``jobs`` processes when ``jobs`` > 1."""
    if jobs <= 1 or len(items) < 2:
        return [func(item, **kwargs) for item in items]
    with ProcessPoolExecutor(max_workers=min(jobs, len(items))) as pool:
        return list(pool.map(partial(func, **kwargs), items, chunksize=max(1, len(items) // (4 * jobs))))
