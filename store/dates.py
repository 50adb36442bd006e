"""Dates as clerks type them: `20261130`, `2026-11-30`, `2026/11/30`, `2026.11.30`."""

from __future__ import annotations

import re
from datetime import date

from store.i18n import _
from store.text import refusal
from store.vault.policy import shown

_FORMS = re.compile(r"^(\d{4})[-/.]?(\d{1,2})[-/.]?(\d{1,2})$")


def parse_date(text: str, field: str = "") -> date:
    """A typed date, or a clear message saying what is wrong with it (beside `field` of a
    form, when named)."""
    cleaned = text.strip()
    match = _FORMS.match(cleaned)
    if not match or (len(cleaned) == 8 and not cleaned.isdigit()):
        raise refusal(_("\"{text}\" is not a date: type it as 20261130 or 2026-11-30")
                      .format(text=shown(cleaned)), field)
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise refusal(_("{text} is not a day of the calendar").format(text=shown(cleaned)),
                      field) from None
