"""Domain messages from the sensor feed to the screen: frames coalesce, state changes and events never do."""

from __future__ import annotations

from textual.message import Message

from imuhold.model import Event, MotionState
from imuhold.source import LinkStatus
from imuhold.tui.cues import Cue
from imuhold.tui.session import LiveFrame


class FrameReady(Message, bubble=False):
    """A new picture of the session; a newer frame waiting in the queue replaces an older one."""

    def __init__(self, frame: LiveFrame) -> None:
        super().__init__()
        self.frame = frame

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, FrameReady)


class StateChanged(Message, bubble=False):
    """The detector's state changed at sample time ``t_s``."""

    def __init__(self, state: MotionState, t_s: float) -> None:
        super().__init__()
        self.state = state
        self.t_s = t_s


class DetectorEvent(Message, bubble=False):
    """A detector event: calibrated, squat entry, hold start, hold end, squat exit."""

    def __init__(self, event: Event) -> None:
        super().__init__()
        self.event = event


class CueDue(Message, bubble=False):
    """A cue to play now."""

    def __init__(self, cue: Cue) -> None:
        super().__init__()
        self.cue = cue


class LinkChanged(Message, bubble=False):
    """The source reported a change of its link (connected, battery, reconnecting, ended)."""

    def __init__(self, status: LinkStatus) -> None:
        super().__init__()
        self.status = status


class SourceEnded(Message, bubble=False):
    """The packet source has nothing more to give; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason
