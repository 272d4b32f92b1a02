"""Record one training session: raw packets to a recording file, events, holds and tilt to the sessions database."""

from __future__ import annotations

import contextlib
import logging
import secrets
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from imuhold import __version__
from imuhold.errors import ImuholdError
from imuhold.model import Event, Packet
from imuhold.recording import GZIP_SUFFIX, Mark, RecordingHeader, RecordingWriter
from imuhold.store.db import RECORDINGS_DIR, describe
from imuhold.store.errors import DiskFull, StoreError
from imuhold.store.lock import RecordingLock
from imuhold.store.log import PipelineView, SessionLog
from imuhold.store.rows import LinkMark, mark_detail
from imuhold.store.sessions import SessionStore
from imuhold.store.space import Reserve, is_disk_full

log = logging.getLogger(__name__)

COMMIT_INTERVAL_S = 1.0
"""The longest stretch, in wall time or in packet time, between two commits while recording."""
HEARTBEAT_S = 5.0
DISK_FULL = "disk_full"
"""The end reason of a session whose recording stopped because the disk filled up."""
RESERVE_SUFFIX = ".reserve"
"""The reserve of disk space lies beside the recording, named after it."""
"""While nothing new arrives, the session's ``updated_utc`` is still refreshed this often (liveness without locks)."""


@dataclass(frozen=True, slots=True)
class SessionSetup:
    """What is known when a session starts; also written into the recording's header (key ``session``)."""

    profile: str
    rate_hz: float
    sensor: str = ""
    counterweight_kg: float | None = None
    target_hold_s: float | None = None
    notes: str = ""
    characteristics: dict[str, str] | None = None

    def header_dict(self, started_utc: str) -> dict[str, Any]:
        return {
            "started_utc": started_utc,
            "sensor": self.sensor,
            "counterweight_kg": self.counterweight_kg,
            "target_hold_s": self.target_hold_s,
            "notes": self.notes,
        }


def new_recording_path(data_dir: Path, started: datetime) -> Path:
    """A fresh name under ``data_dir/recordings``: start time (UTC) and a random suffix, gzip-compressed."""
    stamp = started.strftime("%Y%m%d-%H%M%S")
    return data_dir / RECORDINGS_DIR / f"{stamp}-{secrets.token_hex(3)}{GZIP_SUFFIX}"


class SessionRecorder:
    """Records one session, crash-safely; the live, demo and replay loops all drive it the same way::

        recorder = SessionRecorder.start(data_dir, SessionSetup(profile, rate_hz, sensor="…", target_hold_s=30))
        for packet in source:
            recorder.on_packet(packet)                            # raw bytes to the recording file, first
            recorder.on_events(pipeline.feed(packet), pipeline)   # events, exited squats, tilt at 10 Hz
        # a 1 Hz timer calls recorder.tick(), so a silent link (no packets) still commits and flushes
        recorder.set_counterweight(8.0)                           # whenever the user changes it
        recorder.on_events(pipeline.finish(), pipeline)           # close the running hold and squat
        recorder.close("completed")                               # or "stopped", "link_lost"

    ``on_events`` may be called per packet or per sample (with ``pipeline.step``'s events); call it too with the
    events of ``pipeline.recalibrate()`` and of pausing. Rows are committed at least once a second of wall or
    packet time (``tick`` and the packet calls check), so a kill -9 loses at most the last second.

    A database failure (read-only, damaged…) never stops the session: it is reported once through
    ``on_problem`` (and kept in ``problems``), database writes stop, and the recording file carries on — the
    session is rebuilt from it when the store is next opened with recovery. Without a recording file
    (it could not be created) the database alone is kept. Both failing at the start raises StoreError.

    A full disk stops the recording at once: a reserve of disk space set aside at the start is given back, the
    recording file is ended where it was last written whole, the database gets everything up to then, and
    ``stopped`` (a DiskFull, also reported through ``on_problem``) says what was kept. The next ``on_packet``
    raises it, so the loop ends; ``on_events`` and ``close`` still work and end the session as ``disk_full``.
    """

    def __init__(
        self,
        store: SessionStore | None,
        session_id: int | None,
        writer: RecordingWriter | None,
        *,
        on_problem: Callable[[ImuholdError], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
        commit_interval_s: float = COMMIT_INTERVAL_S,
    ) -> None:
        self.store = store
        self.session_id = session_id
        self.writer = writer
        self.recording_path = None if writer is None else writer.path
        self.problems: list[ImuholdError] = []
        self.database_problem: ImuholdError | None = None
        """Why the database stopped taking the session (it is then rebuilt from the recording next time)."""
        self.recording_problem: ImuholdError | None = None
        """Why the recording file stopped (or could not be created)."""
        self.stopped: DiskFull | None = None
        """Set when the disk filled up and recording stopped."""
        self.reserve: Reserve | None = None
        self.target_hold_s: float | None = None
        """The session's target hold (from progression), for the live screen."""
        self.log = SessionLog()
        self.closed = False
        self._on_problem = on_problem
        self._clock = clock
        self._interval_s = commit_interval_s
        self._interval_ns = round(commit_interval_s * 1e9)
        self._last_commit = self._last_heartbeat = clock()
        self._last_commit_packet_ns: int | None = None
        self._lock: RecordingLock | None = None
        self._connected = False
        self._lost = False
        self._restored: Mark | None = None
        if writer is not None:
            try:
                self._lock = RecordingLock(writer.path)
            except OSError as exc:  # the lock only helps recovery tell live from dead; recording goes on
                log.warning("cannot lock %s: %s", writer.path, exc)

    @classmethod
    def start(
        cls,
        data_dir: Path,
        setup: SessionSetup,
        *,
        on_problem: Callable[[ImuholdError], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
        commit_interval_s: float = COMMIT_INTERVAL_S,
        store: SessionStore | None = None,
    ) -> SessionRecorder:
        """Create the recording file and the session row. ``store`` (optional) is used and closed by ``close``."""
        started = datetime.now(UTC)
        started_utc = started.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        problems: list[ImuholdError] = []
        path = new_recording_path(data_dir, started)
        header = RecordingHeader(
            profile=setup.profile,
            rate_hz=setup.rate_hz,
            characteristics=dict(setup.characteristics or {}),
            extra={"session": setup.header_dict(started_utc)},
        )
        writer: RecordingWriter | None = None
        reserve: Reserve | None = None
        try:
            data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)  # the mode applies to the last level only
            path.parent.mkdir(exist_ok=True, mode=0o700)
            reserve = Reserve(path.with_name(path.name + RESERVE_SUFFIX))
            writer = RecordingWriter(path, header)
        except OSError as exc:
            if reserve is not None:
                reserve.release()
            if is_disk_full(exc):
                raise DiskFull(str(data_dir), "the disk is full: free some space to record a session") from exc
            problems.append(StoreError(str(path), f"cannot write the recording file ({exc.strerror or exc})"))
        session_id = None
        try:
            store = store or SessionStore.open(data_dir)
            session_id = store.create_session(
                started_utc=started_utc,
                sensor=setup.sensor,
                profile=setup.profile,
                rate_hz=setup.rate_hz,
                counterweight_kg=setup.counterweight_kg,
                target_hold_s=setup.target_hold_s,
                notes=setup.notes,
                recording=None if writer is None else path.relative_to(data_dir).as_posix(),
                app_version=__version__,
            )
        except StoreError as exc:
            if store is not None:
                store.close()
            store = None
            problems.append(_continuing(exc, writer))
        if writer is None and store is None:
            raise problems[-1]
        recorder = cls(
            store, session_id, writer, on_problem=on_problem, clock=clock, commit_interval_s=commit_interval_s
        )
        recorder.target_hold_s = setup.target_hold_s
        recorder.reserve = reserve if writer is not None else None
        if writer is None:
            recorder.recording_problem = problems[0]
        elif store is None:
            recorder.database_problem = problems[0]
        for problem in problems:
            recorder._report(problem)
        return recorder

    # -- the stream --------------------------------------------------------------------------------------------
    def on_packet(self, packet: Packet) -> None:
        """Append one notification to the recording file (before decoding, so nothing the sensor sent is lost).

        DiskFull once the disk has filled up: the loop must end (and still close the recorder).
        """
        if self.stopped is not None:
            raise self.stopped
        writer = self.writer
        if writer is not None:
            try:
                writer.write(packet)
            except OSError as exc:
                self._writer_failed(exc)
        last = self._last_commit_packet_ns
        if last is None:
            self._last_commit_packet_ns = packet.t_host_ns
        elif packet.t_host_ns - last >= self._interval_ns:
            self.tick()

    def on_events(self, events: list[Event], pipeline: PipelineView) -> None:
        """Take the events of one packet (or sample) and the pipeline's live state after it."""
        self.log.on_events(events, pipeline)
        if self._restored is not None and pipeline.samples:
            self.on_mark(self._restored, pipeline.live.t_s, write=False)
            self._restored = None
        if self._clock() - self._last_commit >= self._interval_s:
            self.tick()

    def tick(self) -> None:
        """Commit what is pending and flush the recording file; call at least once a second."""
        self._last_commit = self._clock()
        self._last_commit_packet_ns = None
        if self.writer is not None:
            try:
                self.writer.flush()
            except OSError as exc:
                self._writer_failed(exc)
        self._commit()

    def on_link(self, connected: bool, note: str, t_host_ns: int, t_s: float) -> None:
        """The link to the sensor changed: a drop is marked ``link-lost`` at ``t_s`` (the last sample before it); a
        reconnection ``link-restored``, stored at the first sample after the gap (by ``on_events``)."""
        if self._connected and not connected:
            self.on_mark(Mark(t_host_ns, "link-lost", {"note": note}), t_s)
            self._lost = True
        elif self._lost and connected:  # not the first connection after searching
            self._restored = Mark(t_host_ns, "link-restored", {"note": note})
            self.on_mark(self._restored, t_s, store=False)
            self._lost = False
        self._connected = connected

    def on_mark(self, mark: Mark, t_s: float, *, write: bool = True, store: bool = True) -> None:
        """A link mark (``link-lost``, ``link-restored``, ``gap``) at session time ``t_s``: into the recording file
        (``write``) and the session (``store``); a mark whose session time is known only later is written now and
        stored then."""
        if write and self.writer is not None:
            try:
                self.writer.mark(mark)
            except OSError as exc:
                self._writer_failed(exc)
        if store:
            self.log.on_mark(LinkMark(round(t_s, 3), mark.kind, mark_detail(mark.data)))

    # -- user actions ------------------------------------------------------------------------------------------
    def set_counterweight(self, kg: float | None, t_host_ns: int | None = None) -> None:
        """The weight held for balance changed (None: none); logged with the session and marked in the file."""
        self.log.set_counterweight(kg)
        if self.writer is not None and t_host_ns is not None:
            try:
                self.writer.mark(Mark(t_host_ns, "counterweight", {"kg": kg}))
            except OSError as exc:
                self._writer_failed(exc)

    def set_notes(self, notes: str) -> None:
        self._db(lambda store, sid: store.update_session(sid, notes=notes))

    # -- the end -----------------------------------------------------------------------------------------------
    def close(self, reason: str = "completed") -> None:
        """Commit the rest, end the session with ``reason`` (``disk_full`` after a full disk), close the file and
        the database. Safe twice."""
        if self.closed:
            return
        self.closed = True
        if self.writer is not None:
            try:
                self.writer.close()
            except OSError as exc:
                self._writer_failed(exc)
        self._commit()
        self._db(lambda store, sid: store.end_session(sid, DISK_FULL if self.stopped is not None else reason))
        if self._lock is not None:
            self._lock.release()
        if self.reserve is not None:
            self.reserve.release()
        if self.store is not None:
            self.store.close()
            self.store = None

    @property
    def kept_s(self) -> float:
        """Sample time of the session taken so far (all of it stored, unless ``problems`` say otherwise)."""
        return self.log.t_s

    @property
    def saved(self) -> bool:
        """Was everything taken stored, in the database and the recording file?"""
        return self.stopped is None and self.database_problem is None and self.recording_problem is None

    # -- internals ---------------------------------------------------------------------------------------------
    def _commit(self) -> None:
        batch = self.log.take()
        now = self._clock()
        if batch or now - self._last_heartbeat >= HEARTBEAT_S:  # a silent link still beats now and then
            self._last_heartbeat = now
            if not self._db(lambda store, sid: store.write(sid, batch)):
                self.log.put_back(batch)  # a full disk: written once the reserve is given back

    def _db(self, action: Callable[[SessionStore, int], None]) -> bool:
        """Run ``action`` on the database; False when it failed (the database is then given up, unless the disk
        was full: then recording stops, space is given back and ``action`` is tried once more)."""
        if self.store is None or self.session_id is None:
            return True
        try:
            action(self.store, self.session_id)
            return True
        except (StoreError, sqlite3.Error) as exc:
            error = exc if isinstance(exc, StoreError) else StoreError(str(self.store.path), describe(exc))
        if is_disk_full(error) and self.stopped is None:
            self._disk_full(error)
            return self._db(action)
        self.store.close()
        self.store = None
        self.database_problem = _continuing(error, self.writer)
        self._report(self.database_problem)
        return False

    def _writer_failed(self, exc: OSError) -> None:
        if is_disk_full(exc) and self.stopped is None:
            self._disk_full(exc)
            return
        writer, self.writer = self.writer, None
        if writer is None:
            return
        with contextlib.suppress(OSError):
            writer.close()
        reason = exc.strerror or exc
        self.recording_problem = StoreError(str(writer.path), f"cannot write the recording file ({reason})")
        self._report(self.recording_problem)

    def _disk_full(self, cause: BaseException) -> None:
        """Stop recording: give the reserve back, end the file where it is whole, commit what is pending."""
        self.stopped = DiskFull(self._data_dir, "the disk is full")  # first: the steps below may meet it again
        if self.reserve is not None:
            self.reserve.release()
        writer, self.writer = self.writer, None
        if writer is not None:
            with contextlib.suppress(OSError):
                writer.close()  # writes the flush that failed, now that there is room, and ends the file
        self._commit()
        self.stopped = DiskFull(self._data_dir, self._stop_message())
        self.stopped.__cause__ = cause
        self._report(self.stopped)

    def _stop_message(self) -> str:
        kept = [f"session {self.session_id}"] if self.session_id is not None and self.store is not None else []
        if self.recording_path is not None:
            kept.append(f"its recording {self.recording_path.name}")
        where = f" ({' and '.join(kept)})" if kept else ""
        return f"the disk is full: recording stopped at {self.kept_s:.1f} s, and everything up to then is kept{where}"

    @property
    def _data_dir(self) -> str:
        if self.recording_path is not None:
            return str(self.recording_path.parent.parent)
        return "" if self.store is None else str(self.store.path.parent)

    def _report(self, problem: ImuholdError) -> None:
        # Logged as an error only when nobody hears of it otherwise (the caller's on_problem tells the user).
        log.log(logging.INFO if self._on_problem is not None else logging.ERROR, "%s: %s", problem.title, problem)
        self.problems.append(problem)
        if self._on_problem is not None:
            self._on_problem(problem)

    def __enter__(self) -> SessionRecorder:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: Any) -> None:
        self.close("completed" if exc_type is None else "stopped" if exc_type is KeyboardInterrupt else "interrupted")


def _continuing(error: StoreError, writer: RecordingWriter | None) -> StoreError:
    """The database error, saying what happens to the session now."""
    if writer is None:
        return error
    return StoreError(
        error.path,
        f"{str(error).removeprefix(error.path + ': ')}; the session goes on being recorded to {writer.path}"
        " and is recovered from it next time imuhold opens its sessions",
    )
