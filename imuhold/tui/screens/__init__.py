"""Screens of the TUI: live training, and the dialogs it opens."""
