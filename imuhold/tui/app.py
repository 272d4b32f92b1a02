"""The imuhold app and ``make_app``, the one factory the CLI and the tests use: any packet source, one screen."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from imuhold.config import Config
from imuhold.detect.params import DetectorParams
from imuhold.pipeline import Pipeline
from imuhold.protocol import get_profile
from imuhold.source import PacketSource
from imuhold.tui.screens.training import TrainingScreen
from imuhold.tui.session import TrainingSession
from imuhold.tui.sound import CuePlayer, find_speaker

if TYPE_CHECKING:
    from imuhold.store import SessionRecorder


class ImuholdApp(App[None]):
    """Hands-free training on one packet source (simulated, replayed, later a BLE sensor)."""

    TITLE = "imuhold"
    BINDINGS: ClassVar = [Binding("q", "quit", "Quit")]

    def __init__(
        self,
        source: PacketSource,
        session: TrainingSession,
        cue_mode: str = "bell",
        speaker: Sequence[str] | None = None,
        stall_after_s: float | None = 3.0,
    ) -> None:
        super().__init__()
        self.source = source
        self.session = session
        self.cues = CuePlayer(cue_mode, self.bell, speaker)
        self.stall_after_s = stall_after_s
        self.sub_title = source.description

    def on_mount(self) -> None:
        # Pushed rather than returned by get_default_screen, which would skip the screen's own CSS file.
        self.push_screen(TrainingScreen(self.source, self.session, self.cues, self.stall_after_s))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if isinstance(screen, TrainingScreen):
            yield SystemCommand("Recalibrate", "Take a new standing reference (stand still)", screen.action_recalibrate)
            yield SystemCommand("Pause or resume", "Stop counting holds until resumed", screen.action_pause)
            yield SystemCommand("Counterweight", "Set the weight held for balance (kg)", screen.action_counterweight)
            yield SystemCommand("Mark", "Remember this moment of the session", screen.action_mark)

    def on_unmount(self) -> None:
        self.cues.close()
        self.session.close()


def make_app(
    source: PacketSource,
    config: Config | None = None,
    params: DetectorParams | None = None,
    *,
    speaker: Sequence[str] | None = None,
    stall_after_s: float | None = 3.0,
    recorder: SessionRecorder | None = None,
) -> ImuholdApp:
    """The app on ``source`` with ``config`` (defaults when None) and detector ``params`` (the config's when None).

    ``recorder`` stores the session as it goes (None: nothing is stored).
    ``speaker`` is the speech command for ``cues = "speech"`` (None: espeak-ng or spd-say when on PATH).
    ``stall_after_s`` is how long a connected source may stay silent before the link bar says so (None: never,
    for deterministic tests).
    """
    config = config or Config()
    pipeline = Pipeline(get_profile(source.profile), source.rate_hz, params or config.detector_params())
    target_s = (recorder.target_hold_s if recorder is not None else None) or config.target_hold_s
    session = TrainingSession(pipeline, target_s, config.cue_every_s, recorder)
    if speaker is None and config.cues == "speech":
        speaker = find_speaker()
    return ImuholdApp(source, session, config.cues, speaker, stall_after_s)
