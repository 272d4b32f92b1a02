"""The terminal UI, and the only package that imports textual: ``make_app`` builds the training app."""

from imuhold.tui.app import ImuholdApp, make_app

__all__ = ["ImuholdApp", "make_app"]
