"""Helpers for the store tests: sample recordings, a recorder driven like the live loop, a fake clock."""

from __future__ import annotations

from pathlib import Path

from imuhold.pipeline import Pipeline
from imuhold.protocol import get_profile
from imuhold.recording import Recording, read_recording
from imuhold.store import SessionRecorder, SessionSetup

SAMPLES = Path(__file__).resolve().parents[2] / "sample_recordings"
_CACHE: dict[str, Recording] = {}


def sample(name: str = "beginner-short-holds") -> Recording:
    """A labelled sample recording (cached: tests must not change it)."""
    if name not in _CACHE:
        _CACHE[name] = read_recording(SAMPLES / f"{name}.imuhold.gz")
    return _CACHE[name]


class FakeClock:
    """A wall clock that moves only when told."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def setup_for(recording: Recording, **kwargs) -> SessionSetup:
    header = recording.header
    return SessionSetup(header.profile, header.rate_hz, characteristics=header.characteristics, **kwargs)


def record(
    data_dir: Path, recording: Recording, *, stop_after: int | None = None, close: bool = True, **kwargs
) -> tuple[SessionRecorder, Pipeline]:
    """Drive a recorder through ``recording`` as the live loop does (optionally only its first packets)."""
    header = recording.header
    pipeline = Pipeline(get_profile(header.profile), header.rate_hz)
    recorder = SessionRecorder.start(data_dir, setup_for(recording), **kwargs)
    for packet in recording.packets[:stop_after]:
        recorder.on_packet(packet)
        recorder.on_events(pipeline.feed(packet), pipeline)
    if close:
        recorder.on_events(pipeline.finish(), pipeline)
        recorder.close("completed")
    return recorder, pipeline
