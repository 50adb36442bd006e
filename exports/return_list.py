"""The return list (退回清单) of one department for one month: every returned card and why.

The department corrects its own cards (谁录入谁负责); the list is what it signs for.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from exports import docx_base


@dataclass(frozen=True)
class ReturnedCard:
    case_no: str
    case_name: str
    problems: str
    reason: str


@dataclass(frozen=True)
class ReturnList:
    unit: str
    department: str
    month: str
    made_by: str
    made_on: str
    cards: list[ReturnedCard]


def write(path: Path, data: ReturnList, labels: dict[str, str], audit_line: str) -> None:
    """Write the list as .docx; `labels` are the document's words in the reader's language,
    `audit_line` the audit head its footer prints (exports.carrier.audit_line)."""
    doc = docx_base.new_document(audit_line=audit_line)
    docx_base.title(doc, labels["title"])
    docx_base.line(doc, labels["heading"].format(unit=data.unit, department=data.department,
                                                 month=data.month))
    rows = [[str(n), c.case_no, c.case_name, c.problems, c.reason]
            for n, c in enumerate(data.cards, start=1)]
    docx_base.table(doc, [labels["no"], labels["case_no"], labels["case_name"],
                          labels["problems"], labels["reason"]], rows, [12, 44, 30, 40, 30])
    docx_base.line(doc, labels["total"].format(n=len(data.cards)))
    docx_base.line(doc, labels["made"].format(who=data.made_by, day=data.made_on))
    docx_base.line(doc, labels["sign"])
    doc.save(str(path))
