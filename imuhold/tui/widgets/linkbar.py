"""The link bar: sensor, battery, sample rate, loss, and what is wrong with the link when something is."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from imuhold.tui.session import LiveFrame


def link_text(frame: LiveFrame, stalled_s: float | None = None) -> Text:
    link = frame.link
    text = Text(no_wrap=True, overflow="ellipsis")
    if link is None:
        text.append("○ ", style="#ffb02e")
        text.append("connecting…")
        return text
    ok = link.connected and stalled_s is None
    text.append("● " if ok else "○ ", style="#3fd46b" if ok else "#ff5f5f")
    text.append(link.sensor, style="bold")
    if link.battery_pct is not None:
        text.append(f"  battery {link.battery_pct} %")
    rate = "—" if frame.rate_hz is None else f"{frame.rate_hz:.0f} Hz"
    minutes, seconds = divmod(int(frame.t_s), 60)
    text.append(f"  {rate}  loss {frame.loss_fraction:.1%}  {minutes}:{seconds:02d}")
    if stalled_s is not None:
        text.append(f"  no data for {stalled_s:.0f} s", style="bold #ff5f5f")
    elif not link.connected:
        text.append(f"  {link.note or 'disconnected'}", style="bold #ffb02e")
    elif link.note:
        text.append(f"  {link.note}", style="#ffb02e")
    if frame.paused:
        text.append("  paused", style="bold")
    return text


class LinkBar(Static):
    DEFAULT_CSS = """
    LinkBar { height: 1; padding: 0 1; background: $panel; }
    """

    _shown: Text | None = None

    def show(self, frame: LiveFrame, stalled_s: float | None = None) -> None:
        text = link_text(frame, stalled_s)
        if text != self._shown:  # one line, always: no layout pass
            self._shown = text
            self.update(text, layout=False)
