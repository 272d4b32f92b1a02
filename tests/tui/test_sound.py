"""Cue sounds: bell or speech; speech is a child process the UI never waits for."""

import subprocess
import sys
import time

from imuhold.tui.cues import Cue, CueKind
from imuhold.tui.sound import CuePlayer, find_speaker

HOLD = Cue(CueKind.HOLD_START, 10.0, 2.0)
TICK = Cue(CueKind.TICK, 18.0, 10.0)


class FakeProcess:
    def __init__(self, argv):
        self.argv = argv
        self.returncode = None
        self.terminated = False

    def poll(self):
        return self.returncode

    def terminate(self):
        self.terminated = True

    def wait(self, timeout=None):
        self.returncode = -15
        return self.returncode


def player(mode, speaker=("say",), fail=False):
    bells, spawned = [], []

    def spawn(argv):
        if fail:
            raise FileNotFoundError(argv[0])
        spawned.append(FakeProcess(argv))
        return spawned[-1]

    return CuePlayer(mode, lambda: bells.append(1), speaker, spawn), bells, spawned


def test_off_plays_nothing_and_bell_rings():
    quiet, bells, spawned = player("off")
    quiet.play(HOLD)
    assert bells == [] and spawned == [] and list(quiet.played) == []
    ringing, bells, spawned = player("bell")
    ringing.play(HOLD)
    assert bells == [1] and spawned == []
    assert list(ringing.played) == [("bell", "hold")]


def test_speech_says_the_words_and_a_newer_cue_interrupts_an_older_one():
    speaking, bells, spawned = player("speech", speaker=("espeak-ng", "-s", "170"))
    speaking.play(HOLD)
    speaking.play(TICK)
    assert [p.argv for p in spawned] == [["espeak-ng", "-s", "170", "hold"], ["espeak-ng", "-s", "170", "10"]]
    assert spawned[0].terminated and not spawned[1].terminated
    assert bells == []
    speaking.close()
    assert spawned[1].terminated and spawned[1].returncode is not None


def test_speech_falls_back_to_the_bell_without_a_speech_program_or_when_it_fails():
    no_program, bells, _ = player("speech", speaker=None)
    no_program.play(HOLD)
    assert bells == [1]
    failing, bells, _ = player("speech", fail=True)
    failing.play(HOLD)
    failing.play(TICK)
    assert bells == [1, 1]
    assert list(failing.played) == [("bell", "hold"), ("bell", "10")]


def test_a_real_speaker_runs_without_the_caller_waiting():
    slow = (sys.executable, "-c", "import sys, time; time.sleep(30)")
    speaking = CuePlayer("speech", lambda: None, slow)
    started = time.perf_counter()
    speaking.play(HOLD)
    speaking.play(TICK)
    elapsed_s = time.perf_counter() - started
    processes = list(speaking._speaking)
    try:
        assert elapsed_s < 1.0  # two 30 s speakers started, none waited for
        assert processes and processes[-1].poll() is None
    finally:
        speaking.close()
    assert all(p.returncode is not None for p in processes)
    assert isinstance(processes[-1], subprocess.Popen)


def test_find_speaker_prefers_espeak_ng():
    both = {"espeak-ng": "/usr/bin/espeak-ng", "spd-say": "/usr/bin/spd-say"}
    assert find_speaker(both.get) == ("/usr/bin/espeak-ng", "-s", "170")
    assert find_speaker({"spd-say": "/usr/bin/spd-say"}.get) == ("/usr/bin/spd-say",)
    assert find_speaker({}.get) is None
