"""What typed text may hold: printable characters only (Word and the screen need it so)."""

from __future__ import annotations

import unicodedata

from store.errors import InvalidInput
from store.i18n import _


def unprintable(value: str) -> bool:
    """Control, format, private-use, unassigned or surrogate characters (category C*), and
    line or paragraph separators: none belongs in a one-line field or a Word cell."""
    return any(unicodedata.category(ch)[0] == "C" or unicodedata.category(ch) in ("Zl", "Zp")
               for ch in value)


def check_line(value: str, limit: int, required: str = "") -> str:
    """One line of typed text, stripped; `required` is the message when it is empty."""
    text = value.strip()
    if required and not text:
        raise InvalidInput(required)
    if unprintable(text):
        raise InvalidInput(_("contains control characters"))
    if len(text) > limit:
        raise InvalidInput(_("too long: at most {n} characters").format(n=limit))
    return text
