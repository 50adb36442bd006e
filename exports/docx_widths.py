"""Column widths that follow the content: a date, a number, a 文号 never breaks inside, and a
column's title never wraps to three lines where two would do.

Printed widths are estimated, not measured: a wide (or ambiguous: CJK punctuation, "…", "×")
character takes one em, any other 0.6 em (digits and Latin letters of 仿宋 and 宋体 are half
an em, but a workstation without them substitutes a font whose digits are wider), at the
table's font size; a cell adds its left and right margins.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence

PT_MM = 25.4 / 72
CELL_PADDING_MM = 2 * 108 / 1440 * 25.4
"""The Table Grid style's cell margins, 108 twips (1.9 mm) left and right."""
NARROW_EM = 0.6
BOLD_EM = 0.7
SHORT_TITLE = 4
"""A title of up to this many wide characters (序号, 密级, 页数或数) stays on one line."""
WORDS = re.compile(r"[^\s]+")


def ems(text: str, narrow: float = NARROW_EM) -> float:
    return sum(1.0 if unicodedata.east_asian_width(c) in "WFA" else narrow for c in text)


def cell_mm(text: str, points: float) -> float:
    """The width a cell needs to print `text` on one line."""
    return ems(text) * points * PT_MM + CELL_PADDING_MM


def title_mm(text: str, points: float) -> float:
    """The narrowest a column may be for its title to take at most two lines, and never to
    break inside a Latin word or a number: its longest word, or half its wide characters; a
    short title (SHORT_TITLE) is never broken ("序/号"). Titles are bold: their Latin letters
    are reckoned wider (BOLD_EM), or "Pages" breaks into "Page/s"."""
    if ems(text) <= SHORT_TITLE:
        return ems(text, BOLD_EM) * points * PT_MM + CELL_PADDING_MM
    longest = max((ems(word, BOLD_EM) for word in WORDS.findall(text)
                   if not any(unicodedata.east_asian_width(c) in "WF" for c in word)),
                  default=0.0)
    half = math.ceil(ems(text) / 2)
    return max(longest, half) * points * PT_MM + CELL_PADDING_MM


def fit(widths_mm: Sequence[float], header: Sequence[str], rows: Sequence[Sequence[str]],
        whole: frozenset[int], header_points: Sequence[float], points: float,
        ) -> list[float]:
    """`widths_mm` with each `whole` column widened to its longest cell (its title's longest
    word too) and every column to what its title needs; the room comes from the other
    columns in proportion to what they have beyond their titles' needs, so the total stays.
    When there is not room enough, the columns to widen share what there is."""
    widths = list(widths_mm)
    floors = [title_mm(text, size) for text, size in zip(header, header_points, strict=True)]
    targets = list(floors)
    for column in whole:
        longest = max((row[column] for row in rows if column < len(row)), key=len,
                      default="")
        # the longest text is the widest but for a mix of wide and narrow characters
        wide = max((cell_mm(row[column], points) for row in rows
                    if column < len(row) and len(row[column]) >= len(longest) // 2),
                   default=0.0)
        targets[column] = max(targets[column], wide)
    raise_by = [max(0.0, target - width) for target, width in zip(targets, widths, strict=True)]
    needed = sum(raise_by)
    if needed <= 0:
        return widths
    donors = [c for c in range(len(widths)) if c not in whole and raise_by[c] == 0]
    room = sum(max(0.0, widths[c] - floors[c]) for c in donors)
    if room <= 0:
        return widths
    share = min(1.0, room / needed)
    given = min(needed, room)
    for column in donors:
        spare = max(0.0, widths[column] - floors[column])
        widths[column] -= spare / room * given
    for column, more in enumerate(raise_by):
        widths[column] += more * share
    return widths
