"""Plays cues: the terminal bell, or spoken words through espeak-ng/spd-say started without waiting."""

from __future__ import annotations

import logging
import shutil
import subprocess
from collections import deque
from collections.abc import Callable, Sequence

from imuhold.tui.cues import Cue

log = logging.getLogger(__name__)

SPEAKERS = (("espeak-ng", ("espeak-ng", "-s", "170")), ("spd-say", ("spd-say",)))
"""Speech programs in order of preference, with the arguments that come before the words."""


def find_speaker(which: Callable[[str], str | None] = shutil.which) -> tuple[str, ...] | None:
    for program, argv in SPEAKERS:
        path = which(program)
        if path:
            return (path, *argv[1:])
    return None


class CuePlayer:
    """``mode`` is off, bell or speech. Speech runs as a child process the UI never waits for; a newer cue
    interrupts an older one still speaking. Without a speech program, speech falls back to the bell."""

    def __init__(
        self,
        mode: str,
        bell: Callable[[], None],
        speaker: Sequence[str] | None = None,
        spawn: Callable[[list[str]], subprocess.Popen] | None = None,
    ) -> None:
        self.mode = mode
        self._bell = bell
        self._speaker = tuple(speaker) if speaker else None
        self._spawn = spawn or _spawn
        self._speaking: list[subprocess.Popen] = []
        self.played: deque[tuple[str, str]] = deque(maxlen=100)
        """The latest cues played: (``bell`` or ``speech``, words), for the screen and tests."""

    def play(self, cue: Cue) -> None:
        if self.mode == "off":
            return
        if self.mode == "speech" and self._speaker is not None and self._speak(cue.words):
            self.played.append(("speech", cue.words))
            return
        self._bell()
        self.played.append(("bell", cue.words))

    def _speak(self, words: str) -> bool:
        self._interrupt()
        try:
            self._speaking.append(self._spawn([*self._speaker, words]))
        except OSError as exc:
            log.warning("speech failed, using the bell: %s", exc)
            self._speaker = None
            return False
        return True

    def _interrupt(self) -> None:
        """Ask speech still running to stop (never waits) and forget the speakers that have ended."""
        for process in self._speaking:
            if process.poll() is None:
                process.terminate()
        self._speaking = [p for p in self._speaking if p.poll() is None]

    def close(self) -> None:
        """Stop all speech and reap the speakers; for when the app exits."""
        for process in self._speaking:
            if process.poll() is None:
                process.terminate()
            try:
                process.wait(timeout=1.0)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._speaking.clear()


def _spawn(argv: list[str]) -> subprocess.Popen:
    return subprocess.Popen(
        argv,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
