"""Run one function over many files, in worker processes when asked: results in input order, each file's failure
kept as a ``Failed`` (one unreadable file never stops the others), and a callback as each file is done."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from imuhold.errors import ImuholdError

T = TypeVar("T")

UNREADABLE = (ImuholdError, OSError, EOFError, ValueError, ArithmeticError, IndexError, KeyError, zipfile.BadZipFile)
"""What a damaged or unexpected file can raise while it is read and run (``np.load`` and the importers)."""


@dataclass(frozen=True, slots=True)
class Failed:
    """A file that could not be evaluated, and why (the message names the file)."""

    path: Path
    reason: str

    def __str__(self) -> str:
        return self.reason if self.reason.startswith(str(self.path)) else f"{self.path}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Guarded(Generic[T]):
    """``func(path, **kwargs)``, or a ``Failed`` saying what made the file unreadable (picklable for workers)."""

    func: Callable[..., T]
    kwargs: dict[str, Any]

    def __call__(self, path: Path) -> T | Failed:
        try:
            return self.func(path, **self.kwargs)
        except UNREADABLE as exc:
            return Failed(path, str(exc) or type(exc).__name__)


def map_files(
    func: Callable[..., T],
    paths: Sequence[Path],
    jobs: int = 1,
    on_done: Callable[[Path, T | Failed], None] | None = None,
    **kwargs: Any,
) -> list[T | Failed]:
    """``[func(path, **kwargs) for path in paths]`` (a ``Failed`` for an unreadable file), spread over ``jobs``
    processes when ``jobs`` > 1; ``on_done(path, result)`` is called as each result comes, in input order."""
    guarded = Guarded(func, kwargs)
    results: list[T | Failed] = []
    if jobs <= 1 or len(paths) < 2:
        outcomes: Any = map(guarded, paths)
        return _collect(paths, outcomes, on_done)
    with ProcessPoolExecutor(max_workers=min(jobs, len(paths))) as pool:
        outcomes = pool.map(guarded, paths, chunksize=max(1, len(paths) // (16 * jobs)))
        results = _collect(paths, outcomes, on_done)
    return results


def _collect(paths: Sequence[Path], outcomes: Any, on_done: Callable[[Path, Any], None] | None) -> list[Any]:
    results = []
    for path, outcome in zip(paths, outcomes, strict=True):
        results.append(outcome)
        if on_done is not None:
            on_done(path, outcome)
    return results


def split(results: list[T | Failed]) -> tuple[list[T], list[str]]:
    """The good results, and the failures as messages."""
    return [r for r in results if not isinstance(r, Failed)], [str(r) for r in results if isinstance(r, Failed)]
