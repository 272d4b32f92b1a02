"""The training screen's widgets, each small and styled by its own DEFAULT_CSS."""

from imuhold.tui.widgets.banner import StateBanner
from imuhold.tui.widgets.gauge import TiltGauge
from imuhold.tui.widgets.linkbar import LinkBar
from imuhold.tui.widgets.stats import SessionStats
from imuhold.tui.widgets.timer import HoldTimer
from imuhold.tui.widgets.trace import TiltTrace

__all__ = ["HoldTimer", "LinkBar", "SessionStats", "StateBanner", "TiltGauge", "TiltTrace"]
