"""The return list (退回清单) of one department for one month: every returned card and why.

The department corrects its own cards (谁录入谁负责); the list is what it signs for. It is a
document of titled tables (exports.tables_doc): the official page, page numbers, metadata and
footer, the lines to sign kept with the last rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from exports.tables_doc import Section, TablesDocument

WIDTHS_MM = [14.0, 54.0, 38.0, 62.0, 75.0]
"""No., case number, case name, problems, reason: 243 mm, a landscape page's text width (the
problems and the reason are sentences). The reason is the department's instruction and has
the most room; the case number never breaks (Section.whole widens it to its longest)."""


@dataclass(frozen=True)
class ReturnedCard:
    case_no: str
    case_name: str
    problems: str
    """The problems found when the card was returned, in words."""
    reason: str


@dataclass(frozen=True)
class ReturnList:
    unit: str
    department: str
    month: str
    made_by: str
    """The operator's display name (never the login)."""
    made_on: str
    cards: list[ReturnedCard]


def document(data: ReturnList, labels: dict[str, str]) -> TablesDocument:
    """The list as a document of one table; `labels` are its words in the reader's language."""
    rows = [[str(n), c.case_no, c.case_name, c.problems, c.reason]
            for n, c in enumerate(data.cards, start=1)]
    table = Section(labels["cards"], [labels["no"], labels["case_no"], labels["case_name"],
                                      labels["problems"], labels["reason"]], rows, WIDTHS_MM,
                    under=(labels["total"].format(n=len(data.cards)),),
                    whole=frozenset({0, 1}))
    return TablesDocument(
        labels["title"],
        [labels["heading"].format(unit=data.unit, department=data.department,
                                  month=data.month)],
        [table],
        [labels["made"].format(who=data.made_by, day=data.made_on), labels["sign"]],
        landscape=True)
