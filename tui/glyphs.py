"""The marks and separators the screens draw: only characters a console CJK font has.

statdesk runs on a bare Linux text console (fbterm with a CJK font). Its font draws ASCII,
CJK ideographs, CJK symbols and punctuation (U+3000-U+303F), full-width forms
(U+FF00-U+FFEF), box drawing and block elements (U+2500-U+259F), and nothing else: a
middle dot, an em dash, an ellipsis, arrows, check marks or a warning sign come out as a
blank or a box. Screens take their marks from here; tests/test_console_glyphs.py reads
every screen for anything else. Word documents are not drawn on the console and keep
their typographic characters.
"""

from __future__ import annotations

SEP = " | "
"""Between the parts of one line ("Enter: open | Esc: back")."""
NONE = "-"
"""A cell with nothing in it, a figure with nothing to compare with."""
DASH = " - "
"""Between a title and what follows it ("Card #5 - Esc to close")."""
MORE = "..."
"""Text cut short; work under way ("unlocking...")."""
TO = "->"
"""From one value to the next ("12->15")."""
SPAN = "~"
"""From the first day or month to the last ("2026-01~2026-11": a hyphen would be lost among the
dates' own)."""
OK = "OK"
"""Done, passed, present."""
BAD = "X"
"""Refused, failed, missing, overdue."""
WARN = "!"
"""Needs attention."""
TODO = "."
"""Not done yet (a line of a checklist, a deadline to come)."""
UNDONE = "<-"
"""A step taken back."""
ON = "*"
"""In force (a hold)."""
OFF = "-"
"""No longer in force."""
DESCENDING = "v"
ASCENDING = "^"
HEADER_ICON = "="
"""Textual's header shows U+2B58 at its left; this opens the command palette too."""
PASSWORD = "*"
"""What a typed password character shows (Textual's own mask is U+2022)."""
SEARCH_ICON = ">"
"""Before the command palette's input (Textual's own is a magnifying-glass emoji)."""

KEY_NAMES = {"⏎": "Enter", "↑": "Up", "↓": "Down", "←": "Left", "→": "Right", "⌫": "Backspace"}
"""Textual shows these keys as symbols in the footer and the key lists; here, by name."""

DRAWN = ((0x20, 0x7E), (0xA0, 0xA0), (0x2500, 0x259F), (0x3000, 0x303F), (0x3400, 0x4DBF),
         (0x4E00, 0x9FFF), (0xFF00, 0xFFEF))
"""The code point ranges the console font draws."""


def drawn(ch: str) -> bool:
    """Whether the console font has this character."""
    return any(low <= ord(ch) <= high for low, high in DRAWN)


def key_name(shown: str) -> str:
    """A key as Textual shows it, with its symbols spelled out ("⏎" becomes "Enter")."""
    for symbol, name in KEY_NAMES.items():
        shown = shown.replace(symbol, name)
    return shown


def cut(text: str, limit: int) -> str:
    """`text` in at most `limit` characters, ending in MORE when cut."""
    return text if len(text) <= limit else text[:max(limit - len(MORE), 0)] + MORE
