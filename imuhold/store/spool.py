"""Session rows spooled to a temporary file a batch at a time and read back in order, so that a long session's rows
never sit in memory all at once (recovery replays a whole recording before it decides to write it)."""

from __future__ import annotations

import os
import pickle
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

from imuhold.store.rows import SessionBatch


class BatchSpool:
    """Batches ``put`` in order and read back in that order, one at a time, by iterating (as often as needed).

    The file is anonymous (gone when closed, or when the process dies) and lives in ``folder`` (a recording's
    folder: on the data dir's disk, not in a RAM-backed /tmp), or in the system's temporary folder when ``folder``
    cannot be written. ``duration_s`` is the last one put: what writing every batch in order leaves stored.
    """

    def __init__(self, folder: Path | None = None) -> None:
        try:
            self._file = tempfile.TemporaryFile(dir=folder)  # noqa: SIM115 (closed by close)
        except OSError:  # a folder that may not be written: the system's temporary folder
            self._file = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close)
        self.batches = 0
        self.duration_s: float | None = None

    def put(self, batch: SessionBatch) -> None:
        if not batch:
            return
        self._file.seek(0, os.SEEK_END)
        pickle.dump(batch, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self.batches += 1
        if batch.duration_s is not None:
            self.duration_s = batch.duration_s

    def __iter__(self) -> Iterator[SessionBatch]:
        file = self._file
        file.flush()
        file.seek(0)
        for _ in range(self.batches):
            yield pickle.load(file)  # this process's own anonymous file: nothing foreign is unpickled

    def merged(self) -> SessionBatch:
        """Every batch as one (all of it in memory: for short sessions and tests)."""
        whole = SessionBatch()
        for batch in self:
            whole.events.extend(batch.events)
            whole.squats.extend(batch.squats)
            whole.tilt.extend(batch.tilt)
            whole.marks.extend(batch.marks)
            if batch.duration_s is not None:
                whole.duration_s, whole.samples = batch.duration_s, batch.samples
            if batch.calibration is not None:
                whole.calibration = batch.calibration
            if batch.counterweight_changed:
                whole.counterweight_kg, whole.counterweight_changed = batch.counterweight_kg, True
        return whole

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> BatchSpool:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
