"""The feed: packets from a source into the session, and domain messages to the screen, without ever waiting
on rendering. Frames are posted at most every ``FRAME_PERIOD_S`` of sample time while a hold runs, every
``IDLE_FRAME_PERIOD_S`` otherwise, at once for a state change, an event or a cue, and coalesce in the queue."""

from __future__ import annotations

import asyncio
import logging
import math
import time

from textual.message_pump import MessagePump

from imuhold.errors import DiskFull
from imuhold.source import LinkStatus, PacketSource
from imuhold.tui.messages import CueDue, DetectorEvent, FrameReady, LinkChanged, SourceEnded, StateChanged
from imuhold.tui.session import SessionUpdate, TrainingSession

log = logging.getLogger(__name__)

FRAME_PERIOD_S = 0.1
"""10 pictures per second of sample time while a hold runs: its timer shows tenths."""
IDLE_FRAME_PERIOD_S = 0.2
"""5 between holds: the gauge's whole degrees, the trace's 0.38 s columns and the link bar's seconds need no more, and
each picture costs the screen about a millisecond (Textual draws every widget of the screen again, cached or not)."""
YIELD_EVERY = 32
"""An unpaced source (replay at full speed) still lets the screen run between batches of packets."""
PAUSE_S = 0.005
"""A packet that came this long after the one before: the source waited for it, and the screen ran meanwhile (a paced
source never needs an extra turn of the loop, and each one costs a wake-up)."""


def post_update(target: MessagePump, update: SessionUpdate) -> None:
    """Events, state changes and cues, each as its own message, in the order they happened."""
    for event in update.events:
        target.post_message(DetectorEvent(event))
    for t_s, state in update.states:
        target.post_message(StateChanged(state, t_s))
    for cue in update.cues:
        target.post_message(CueDue(cue))


async def run_feed(source: PacketSource, session: TrainingSession, target: MessagePump) -> None:
    """Consume ``source`` until it ends or fails; the screen hears about everything through messages."""
    last_frame_s = -math.inf
    unyielded = 0
    done_at = time.monotonic()
    reason = "end of stream"
    try:
        async for item in source.stream():
            waited = time.monotonic() - done_at >= PAUSE_S
            if isinstance(item, LinkStatus):
                session.on_link(item)
                target.post_message(LinkChanged(item))
                target.post_message(FrameReady(session.frame()))
                if not item.connected and item.note:
                    reason = item.note
                continue
            update = session.feed(item)
            changed = update.events or update.states or update.cues
            if changed:
                post_update(target, update)
            t_s = session.pipeline.live.t_s
            period = FRAME_PERIOD_S if session.holding else IDLE_FRAME_PERIOD_S
            if changed or t_s - last_frame_s >= period or t_s < last_frame_s:
                last_frame_s = t_s
                target.post_message(FrameReady(session.frame()))
            unyielded = 1 if waited else unyielded + 1
            if unyielded >= YIELD_EVERY:
                unyielded = 0
                await asyncio.sleep(0)
            done_at = time.monotonic()
    except DiskFull as exc:  # the recorder stopped the session: what was kept is in the message
        reason = f"{exc.title}: {exc}"
        session.link = LinkStatus(False, source.description, note=reason)
        target.post_message(LinkChanged(session.link))
    except Exception as exc:  # a misbehaving sensor or file must never take the screen down
        log.exception("packet source %s failed", source.description)
        reason = f"source failed: {exc}"
        session.link = LinkStatus(False, source.description, note=reason)
        target.post_message(LinkChanged(session.link))
    post_update(target, session.finish())
    target.post_message(FrameReady(session.frame()))
    target.post_message(SourceEnded(reason))
