"""Finalise sessions a crash left open, and adopt recordings the database never heard of, from recording files."""

# The recording file is the session's ground truth (every packet, flushed each second); the database holds what
# the recorder derived. After a kill, a full disk or a read-only database, replaying the file through the
# pipeline rebuilds the session's events, squats, holds and tilt series; the session is then marked interrupted.

from __future__ import annotations

import logging
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from imuhold.detect.params import DetectorParams
from imuhold.errors import ImuholdError
from imuhold.model import Packet
from imuhold.pipeline import Pipeline
from imuhold.protocol import get_profile
from imuhold.recording import Mark, RecordingHeader, iter_recording
from imuhold.store import RECORDINGS_DIR, LinkMark, SessionBatch, SessionInfo, SessionStore
from imuhold.store.lock import is_locked
from imuhold.store.log import SessionLog
from imuhold.store.recorder import RESERVE_SUFFIX
from imuhold.store.rows import mark_detail, parse_utc
from imuhold.store.sessions import utc_now
from imuhold.store.spool import BatchSpool

log = logging.getLogger(__name__)

STALE_S = 15.0
"""Where the recording cannot be checked for a lock: a session without heartbeat for this long is dead."""


SPOOL_POINTS = 3000
"""Tilt points (5 min at 10 Hz) gathered before the rows go to the spool: memory holds one such batch at most."""


@dataclass(frozen=True, slots=True)
class Replayed:
    """A recording replayed into store rows, spooled to a temporary file (close it, or use ``with``)."""

    header: RecordingHeader
    rows: BatchSpool
    duration_s: float
    warnings: tuple[str, ...]

    @property
    def batch(self) -> SessionBatch:
        """All the rows as one batch, in memory (for short recordings and tests)."""
        return self.rows.merged()

    def close(self) -> None:
        self.rows.close()

    def __enter__(self) -> Replayed:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def replay_recording(path: Path, params: DetectorParams | None = None, spool_points: int = SPOOL_POINTS) -> Replayed:
    """The rows a recorder would have stored for the recording at ``path`` (the running hold closed at its end).

    The file is read as it is replayed and the rows are spooled every ``spool_points`` tilt points (to a temporary
    file beside the recording), so memory stays bounded whatever the recording's length.
    """
    header, stream = iter_recording(path)
    spool = BatchSpool(path.parent)
    try:
        with stream:
            pipeline = Pipeline(get_profile(header.profile), header.rate_hz, params)
            _replay(stream, pipeline, SessionLog(), spool, spool_points)
    except BaseException:
        spool.close()
        raise
    return Replayed(header, spool, spool.duration_s or 0.0, tuple(stream.warnings))


def _replay(
    items: Iterable[Packet | Mark], pipeline: Pipeline, session_log: SessionLog, spool: BatchSpool, spool_points: int
) -> None:
    """Packets through ``pipeline`` into ``session_log``, with the link marks stored as live stored them; the rows
    go to ``spool`` whenever ``spool_points`` tilt points have gathered, and at the end.

    A link mark is stored after the first packet at or after its host time (as the file is written, the packet just
    before it); a ``link-restored`` mark at the first sample after the gap, as live does.
    """
    waiting: list[Mark] = []  # link marks read before a packet as late as them (a mark's time is its last packet's)
    restored: list[Mark] = []
    counterweight: list[Mark] = []
    last_ns: int | None = None
    gathered = session_log.pending.tilt  # replaced by each take()

    def take(mark: Mark) -> None:
        if mark.kind == "link-restored":
            restored.append(mark)
        else:
            session_log.on_mark(_link_mark(mark, pipeline.live.t_s))

    for item in items:
        if isinstance(item, Packet):
            session_log.on_events(pipeline.feed(item), pipeline)
            if restored and pipeline.samples:
                session_log.on_mark(_link_mark(restored.pop(), pipeline.live.t_s))
            last_ns = item.t_host_ns
            if waiting:
                due = sorted((m for m in waiting if m.t_host_ns <= last_ns), key=lambda m: m.t_host_ns)
                waiting[:] = [m for m in waiting if m.t_host_ns > last_ns]
                for mark in due:
                    take(mark)
            if len(gathered) >= spool_points:
                spool.put(session_log.take())
                gathered = session_log.pending.tilt
        elif item.kind in LINK_MARKS:
            if last_ns is not None and item.t_host_ns <= last_ns:  # its packet has been fed
                take(item)
            else:
                waiting.append(item)
        elif item.kind == "counterweight":
            counterweight.append(item)
    session_log.on_events(pipeline.finish(), pipeline)
    for mark in [*restored, *sorted(waiting, key=lambda m: m.t_host_ns)]:  # after the last packet
        session_log.on_mark(_link_mark(mark, pipeline.live.t_s))
    for mark in counterweight:
        session_log.set_counterweight(mark.data.get("kg"))
    spool.put(session_log.take())


LINK_MARKS = ("link-lost", "link-restored", "gap")


def _link_mark(mark: Mark, t_s: float) -> LinkMark:
    return LinkMark(round(t_s, 3), mark.kind, mark_detail(mark.data))


def _alive(info: SessionInfo, data_dir: Path) -> bool:
    if info.recording:
        locked = is_locked(data_dir / info.recording)
        if locked is not None:
            return locked
    heartbeat_age_s = (parse_utc(utc_now()) - parse_utc(info.updated_utc or info.started_utc)).total_seconds()
    return heartbeat_age_s < STALE_S  # no lock to ask: a recorder commits (and beats) every second


def _ended_utc(started_utc: str, duration_s: float) -> str:
    ended = parse_utc(started_utc) + timedelta(seconds=duration_s)
    return ended.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def finalise(store: SessionStore, info: SessionInfo, data_dir: Path, params: DetectorParams | None = None) -> str:
    """Rebuild an interrupted session from its recording where that has more, and mark it interrupted."""
    duration_s = info.duration_s
    note = "nothing more in its recording"
    if info.recording:
        try:
            replayed = replay_recording(data_dir / info.recording, params)
        except (ImuholdError, OSError, ValueError) as exc:
            note = f"its recording could not be read ({exc})"
        else:
            with replayed:
                if replayed.duration_s >= info.duration_s:
                    store.replace_content(info.id, replayed.rows)
                    duration_s = replayed.duration_s
                    note = f"{duration_s:.1f} s recovered from its recording"
    store.end_session(info.id, "interrupted", _ended_utc(info.started_utc, duration_s))
    return f"session {info.id} (started {info.started_utc}) was interrupted: {note}"


def adopt(store: SessionStore, path: Path, data_dir: Path, params: DetectorParams | None = None) -> str | None:
    """Add a session for a recording the database does not know (written while the database failed)."""
    with replay_recording(path, params) as replayed:
        meta = replayed.header.extra.get("session")
        if not isinstance(meta, dict):
            return None  # not a session recording (a file someone put there): leave it alone
        started_utc = str(meta.get("started_utc") or replayed.header.created_utc or utc_now())
        parse_utc(started_utc)  # ValueError for a header that is not imuhold's: the file is left alone
        session_id = store.create_session(
            started_utc=started_utc,
            sensor=str(meta.get("sensor") or ""),
            profile=replayed.header.profile,
            rate_hz=replayed.header.rate_hz,
            counterweight_kg=_number(meta.get("counterweight_kg")),
            target_hold_s=_number(meta.get("target_hold_s")),
            notes=str(meta.get("notes") or ""),
            recording=path.relative_to(data_dir).as_posix(),
            app_version=replayed.header.app_version,
        )
        store.replace_content(session_id, replayed.rows)
        store.end_session(session_id, "interrupted", _ended_utc(started_utc, replayed.duration_s))
        return f"session {session_id} (started {started_utc}) recovered from {path.name}: {replayed.duration_s:.1f} s"


def _drop_stale_reserves(folder: Path) -> None:
    """Give back the disk space a killed session had set aside (its recording is no longer being written)."""
    for reserve in folder.glob(f"*{RESERVE_SUFFIX}"):
        recording = reserve.with_name(reserve.name.removesuffix(RESERVE_SUFFIX))
        if not recording.exists() or is_locked(recording) is False:
            reserve.unlink(missing_ok=True)


def _number(value: object) -> float | None:
    """A number from a recording's header, or None for anything else (a hand-edited header is not trusted)."""
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


def recover(store: SessionStore, data_dir: Path, params: DetectorParams | None = None) -> list[str]:
    """Finalise every dead open session and adopt orphan recordings; returns one message per session touched."""
    messages: list[str] = []
    for info in store.unfinished():
        if _alive(info, data_dir):
            continue
        messages.append(finalise(store, info, data_dir, params))
    folder = data_dir / RECORDINGS_DIR
    if folder.is_dir():
        _drop_stale_reserves(folder)
        known = store.recordings()
        for path in sorted(folder.iterdir()):
            if not path.name.endswith((".imuhold", ".imuhold.gz")) or path.relative_to(data_dir).as_posix() in known:
                continue
            if is_locked(path):
                continue
            try:
                message = adopt(store, path, data_dir, params)
            except (ImuholdError, OSError, ValueError) as exc:
                log.warning("cannot recover %s: %s", path, exc)
                continue
            if message:
                messages.append(message)
    for message in messages:
        log.info("%s", message)
    return messages
