"""A three-row block font for the state words, so the banner reads from across a room (pure, no Textual)."""

from __future__ import annotations

GLYPHS: dict[str, tuple[str, str, str]] = {
    "A": ("╭─╮", "├─┤", "╵ ╵"),
    "B": ("┌─╮", "├─┤", "└─╯"),
    "C": ("╭─╴", "│  ", "╰─╴"),
    "D": ("┌─╮", "│ │", "└─╯"),
    "E": ("┌─╴", "├─ ", "└─╴"),
    "G": ("╭─╴", "│╶┐", "╰─┘"),
    "H": ("╷ ╷", "├─┤", "╵ ╵"),
    "I": ("╶┬╴", " │ ", "╶┴╴"),
    "L": ("╷  ", "│  ", "└─╴"),
    "N": ("┌┐╷", "│││", "╵└┘"),
    "O": ("╭─╮", "│ │", "╰─╯"),
    "P": ("┌─╮", "├─╯", "╵  "),
    "R": ("┌─╮", "├┬╯", "╵╰╴"),
    "S": ("╭─╴", "╰─╮", "╶─╯"),
    "T": ("╶┬╴", " │ ", " ╵ "),
    "U": ("╷ ╷", "│ │", "╰─╯"),
    " ": ("   ", "   ", "   "),
}


def big_rows(word: str) -> tuple[str, str, str]:
    """``word`` in the block font, letters one column apart; unknown characters become blanks."""
    letters = [GLYPHS.get(ch, GLYPHS[" "]) for ch in word.upper()]
    return tuple(" ".join(glyph[row] for glyph in letters) for row in range(3))  # type: ignore[return-value]


def big_width(word: str) -> int:
    return max(0, 4 * len(word) - 1)
