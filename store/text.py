"""What typed text may hold: printable characters only (Word and the screen need it so)."""

from __future__ import annotations

import unicodedata

from store.errors import FieldError, InvalidInput
from store.i18n import _


def unprintable(value: str) -> bool:
    """Control, format, private-use, unassigned or surrogate characters (category C*), and
    line or paragraph separators: none belongs in a one-line field or a Word cell."""
    return any(unicodedata.category(ch)[0] == "C" or unicodedata.category(ch) in ("Zl", "Zp")
               for ch in value)


def refusal(message: str, field: str = "") -> InvalidInput:
    """Bad input, said beside `field` of a form when the caller names one."""
    return FieldError(message, field) if field else InvalidInput(message)


def check_line(value: str, limit: int, required: str = "", field: str = "") -> str:
    """One line of typed text, stripped; `required` is the message when it is empty;
    `field`, the form field a refusal is shown beside."""
    text = value.strip()
    if required and not text:
        raise refusal(required, field)
    if unprintable(text):
        raise refusal(_("contains control characters"), field)
    if len(text) > limit:
        raise refusal(_("too long: at most {n} characters").format(n=limit), field)
    return text


def whole_number(text: str, low: int, high: int, what: str, field: str = "") -> int:
    """A count as typed (full-width digits too), between `low` and `high`."""
    value = unicodedata.normalize("NFKC", str(text)).strip()
    if not value.isdigit() or not low <= int(value) <= high:
        raise refusal(_("{what}: a whole number from {low} to {high}").format(
            what=what, low=low, high=high), field)
    return int(value)
