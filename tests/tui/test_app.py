"""The training app driven by recordings through Pilot: domain messages, widget state, keys, palette, faults."""

from __future__ import annotations

import asyncio

import pytest
from textual.command import CommandPalette
from textual.widgets import Input, OptionList, Static

from imuhold.config import Config
from imuhold.model import EventKind, MotionState
from imuhold.pipeline import Pipeline
from imuhold.protocol import get_profile
from imuhold.source import LinkStatus
from imuhold.tui import make_app
from imuhold.tui.cues import CueKind
from imuhold.tui.messages import CueDue, DetectorEvent, FrameReady, LinkChanged, SourceEnded, StateChanged
from imuhold.tui.screens.counterweight import CounterweightScreen
from imuhold.tui.screens.training import TrainingScreen
from imuhold.tui.widgets import HoldTimer, LinkBar, SessionStats, StateBanner
from imuhold.tui.widgets.timer import HOLDING

from .helpers import held, replay, settle, shown_latest


class Recorder:
    """A message hook that keeps the domain messages, in order."""

    KINDS = (FrameReady, StateChanged, DetectorEvent, CueDue, LinkChanged, SourceEnded)

    def __init__(self):
        self.messages = []

    def __call__(self, message):
        if isinstance(message, self.KINDS):
            self.messages.append(message)

    def of(self, kind):
        return [m for m in self.messages if isinstance(m, kind)]

    @property
    def ended(self):
        return bool(self.of(SourceEnded))


def text_of(widget) -> str:
    return str(widget.render())


def reference_states(recording):
    pipeline = Pipeline(get_profile(recording.header.profile), recording.header.rate_hz)
    decoder = get_profile(recording.header.profile).decoder(recording.header.rate_hz)  # the samples, decoded apart
    states, shown = [], pipeline.live.state
    for packet in recording.packets:
        for sample in decoder.feed(packet):
            pipeline.step(sample)
            if pipeline.live.state is not shown:
                shown = pipeline.live.state
                states.append(shown)
    analysis = pipeline.run([])
    return states, analysis


async def test_a_replayed_routine_reaches_the_screen_with_every_state_change_and_event(routine):
    recorder = Recorder()
    app = make_app(replay(routine), stall_after_s=None)
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        await settle(pilot, lambda: recorder.ended)
        await shown_latest(pilot)
        states, analysis = reference_states(routine)
        assert [m.state for m in recorder.of(StateChanged)] == states  # none dropped, none repeated
        assert [m.event for m in recorder.of(DetectorEvent)] == analysis.events
        assert [m.event.kind for m in recorder.of(DetectorEvent)].count(EventKind.HOLD_START) == 5
        cues = [m.cue.kind for m in recorder.of(CueDue)]
        assert cues.count(CueKind.HOLD_START) == 5 and cues.count(CueKind.TARGET) == 1
        assert [w for _, w in app.cues.played][:2] == ["ready", "hold"]  # the default config rings the bell

        frames = recorder.of(FrameReady)
        assert len(frames) < len(routine.packets) / 4  # pictures at screen rate, not sample rate
        assert [f.frame.t_s for f in frames] == sorted(f.frame.t_s for f in frames)

        screen = app.screen
        assert isinstance(screen, TrainingScreen)
        assert screen.query_one(StateBanner).state is MotionState.STANDING
        durations = [h.duration_s for s in analysis.squats for h in s.holds]
        assert screen.query_one(HoldTimer).caption == f"last hold {int(durations[-1] * 10) / 10} s"
        stats = text_of(screen.query_one(SessionStats))
        assert "holds 5" in stats and "best 40.1 s" in stats  # the true hold lasts 40.0 s
        link = text_of(screen.query_one(LinkBar))
        assert "routine.imuhold.gz" in link and "100 Hz" in link and "end of recording" in link
        assert "5 holds" in text_of(screen.query_one("#events", Static))


async def test_the_running_hold_is_timed_from_samples(routine):
    app = make_app(held(routine, 100.0), stall_after_s=None)  # inside the fourth hold (87.5–113.6 s)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: app.session.pipeline.decode_stats.packets == len(app.source.packets))
        await shown_latest(pilot)
        frame = app.screen.frame
        assert frame.state is MotionState.HOLDING and frame.t_s == pytest.approx(100.0, abs=0.05)
        timer = app.screen.query_one(HoldTimer)
        caption = f"holding {int(frame.hold_s * 10) / 10} s of 30 s"
        assert text_of(timer).splitlines()[3].strip() == caption
        digits = timer.draw(timer.content_size.width, timer.content_size.height)[:3]
        assert {style for line in digits for text, style in line if text.strip()} == {HOLDING}
        assert app.screen.query_one(StateBanner).has_class("-holding")
        assert "battery 87 %" in text_of(app.screen.query_one(LinkBar))


async def test_keys_mark_pause_recalibrate_and_set_the_counterweight(routine):
    recorder = Recorder()
    app = make_app(held(routine, 45.0), stall_after_s=None)  # inside the second hold
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        await settle(pilot, lambda: app.session.pipeline.decode_stats.packets == len(app.source.packets))
        assert app.session.state is MotionState.HOLDING

        await pilot.press("m")
        assert app.session.marks == [app.session.pipeline.live.t_s]

        await pilot.press("w")
        assert isinstance(app.screen, CounterweightScreen)
        await pilot.press("7", ".", "5", "enter")
        assert app.session.counterweight_kg == 7.5
        await pilot.press("w", "escape")
        assert app.session.counterweight_kg == 7.5  # cancelled
        await shown_latest(pilot)
        assert "7.5 kg" in text_of(app.screen.query_one(SessionStats))
        assert "marks 1" in text_of(app.screen.query_one(SessionStats))

        await pilot.press("p")
        await shown_latest(pilot)
        assert app.session.paused and app.screen.query_one(StateBanner).has_class("-paused")
        assert recorder.of(DetectorEvent)[-1].event.kind is EventKind.SQUAT_EXIT  # the hold was closed
        await pilot.press("p")
        assert not app.session.paused

        await pilot.press("r")
        await shown_latest(pilot)
        assert recorder.of(StateChanged)[-1].state is MotionState.CALIBRATING
        assert app.screen.query_one(StateBanner).has_class("-calibrating")

        await pilot.press("q")
    assert app.return_code == 0


async def test_the_counterweight_dialog_refuses_nonsense_and_clears_on_empty(routine):
    app = make_app(held(routine, 5.0), stall_after_s=None)
    async with app.run_test(size=(80, 24)) as pilot:
        app.session.counterweight_kg = 4.0
        await pilot.press("w")
        dialog = app.screen
        assert dialog.query_one(Input).value == "4"
        dialog.query_one(Input).value = "500"
        await pilot.press("enter")
        assert app.screen is dialog and app.session.counterweight_kg == 4.0  # out of range: stays open
        dialog.query_one(Input).value = ""
        await pilot.press("enter")
        assert isinstance(app.screen, TrainingScreen) and app.session.counterweight_kg is None


async def test_the_command_palette_offers_the_training_actions(routine):
    app = make_app(held(routine, 5.0), stall_after_s=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await settle(pilot, lambda: isinstance(app.screen, CommandPalette), timeout_s=5.0)
        await pilot.press(*"mark")
        options = app.screen.query_one(OptionList)
        await settle(pilot, lambda: any(str(o.prompt).startswith("Mark") for o in options.options), timeout_s=5.0)
        await pilot.press("enter")
        await settle(pilot, lambda: len(app.session.marks) == 1, timeout_s=5.0)


class FailingSource:
    profile, rate_hz, description = "imuhold-v1", 100.0, "flaky sensor"

    def __init__(self, packets):
        self.packets = packets

    async def stream(self):
        yield LinkStatus(True, self.description, battery_pct=50)
        for packet in self.packets:
            yield packet
        yield LinkStatus(False, self.description, note="reconnecting…")
        await asyncio.sleep(0)
        raise OSError("adapter went away")


async def test_a_failing_source_is_reported_and_the_screen_stays_up(routine):
    recorder = Recorder()
    app = make_app(FailingSource(routine.packets[:2000]), stall_after_s=None)
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        await settle(pilot, lambda: recorder.ended)
        await shown_latest(pilot)
        notes = [m.status.note for m in recorder.of(LinkChanged)]
        assert notes == ["", "reconnecting…", "source failed: adapter went away"]
        assert recorder.of(SourceEnded)[0].reason == "source failed: adapter went away"
        assert "source failed: adapter went away" in text_of(app.screen.query_one(LinkBar))
        await pilot.press("m")  # still answering keys
        assert len(app.session.marks) == 1


async def test_a_silent_connected_sensor_is_reported_as_stalled(routine):
    app = make_app(held(routine, 3.0), stall_after_s=0.2)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: "no data for" in text_of(app.screen.query_one(LinkBar)), timeout_s=5.0)


async def test_speech_cues_from_the_config_use_the_given_speaker(routine, tmp_path):
    marker = tmp_path / "said.txt"
    speaker = ("sh", "-c", f'printf "%s\\n" "$0" >> {marker}')
    app = make_app(replay(routine, 12.0), Config(cues="speech", target_hold_s=3.0), speaker=speaker, stall_after_s=None)
    recorder = Recorder()
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        await settle(pilot, lambda: recorder.ended)
        assert [mode for mode, _ in app.cues.played] == ["speech"] * len(app.cues.played)
        assert [w for _, w in app.cues.played] == ["ready", "hold", "target, 3 seconds", "up, 4 seconds"]
        await settle(pilot, lambda: marker.exists() and "up, 4 seconds" in marker.read_text(), timeout_s=5.0)
