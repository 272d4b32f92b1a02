"""The link bar: sensor, battery, sample rate, loss, and what is wrong with the link when something is."""

from __future__ import annotations

from imuhold.tui.session import LiveFrame
from imuhold.tui.widgets.lines import DrawnLines, Run, ellipsised

OK, PROBLEM, WAITING = "#3fd46b", "#ff5f5f", "#ffb02e"


def link_runs(frame: LiveFrame, stalled_s: float | None = None) -> list[Run]:
    link = frame.link
    if link is None:
        return [("○ ", WAITING), ("connecting…", "")]  # the source has said nothing of its link yet
    ok = link.connected and stalled_s is None
    runs: list[Run] = [("● " if ok else "○ ", OK if ok else PROBLEM), (link.sensor, "bold")]
    if link.battery_pct is not None:
        runs.append((f"  battery {link.battery_pct} %", ""))
    rate = "—" if frame.rate_hz is None else f"{frame.rate_hz:.0f} Hz"
    minutes, seconds = divmod(int(frame.t_s), 60)
    runs.append((f"  {rate}  loss {frame.loss_fraction:.1%}  {minutes}:{seconds:02d}", ""))
    if stalled_s is not None:
        runs.append((f"  no data for {stalled_s:.0f} s", f"bold {PROBLEM}"))
    elif not link.connected:
        runs.append((f"  {link.note or 'disconnected'}", f"bold {WAITING}"))
    elif link.note:
        runs.append((f"  {link.note}", WAITING))
    if frame.paused:
        runs.append(("  paused", "bold"))
    return runs


class LinkBar(DrawnLines):
    DEFAULT_CSS = """
    LinkBar { height: 1; padding: 0 1; background: $panel; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._runs: list[Run] = []

    def show(self, frame: LiveFrame, stalled_s: float | None = None) -> None:
        """Drawn again only when its text changes (the clock once a second, the rate every two)."""
        runs = link_runs(frame, stalled_s)
        if runs != self._runs:
            self._runs = runs
            self.redraw()

    def picture_key(self) -> tuple:
        return tuple(self._runs)

    def draw(self, width: int, height: int) -> list[list[Run]]:
        return [ellipsised(self._runs, width)]

