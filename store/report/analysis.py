"""Analysis reports (统计分析, C14): at least eight a year, registered as they are written."""

from __future__ import annotations

from dataclasses import dataclass

from store import clock
from store.dates import parse_date
from store.errors import InvalidInput, NotAllowed
from store.i18n import _
from store.text import check_line
from store.vault.database import db, execute, insert, rows
from store.vault.session import Session

A_YEAR = 8
"""The rule's minimum (C14)."""


@dataclass(frozen=True)
class AnalysisReport:
    id: int
    title: str
    author: str
    written_on: str
    topic: str
    status: str
    void_reason: str


def of_year(year: int) -> list[AnalysisReport]:
    """The year's reports, by date, voided ones too (they stay, marked)."""
    return [AnalysisReport(*r) for r in rows(
        "SELECT id, title, author, written_on, topic, status, void_reason FROM analysis_report"
        " WHERE written_on BETWEEN ? AND ? ORDER BY written_on, id",
        (f"{year}-01-01", f"{year}-12-31"))]


def count(year: int) -> int:
    (found,), = rows("SELECT count(*) FROM analysis_report WHERE status = 'active' AND"
                     " written_on BETWEEN ? AND ?", (f"{year}-01-01", f"{year}-12-31"))
    return int(found)


def add(session: Session, title: str, author: str, written_on: str, topic: str = "") -> int:
    title = check_line(title, 100, _("give the report's title"))
    author = check_line(author, 40, _("name the author"))
    topic = check_line(topic, 100)
    day = parse_date(written_on)
    if day > clock.today():
        raise InvalidInput(_("the date is in the future"))
    with db.atomic():
        new = insert("INSERT INTO analysis_report (title, author, written_on, topic, recorded_by,"
                     " recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
                     (title, author, day.isoformat(), topic, session.actor.name, clock.stamp()))
        session.audit.append(session.actor.name, "analysis.add", "analysis", str(new),
                             new={"title": title, "author": author,
                                  "written_on": day.isoformat(), "topic": topic})
    return new


def void(session: Session, report_id: int, reason: str) -> None:
    """A report registered by mistake is voided with a reason, never deleted."""
    reason = check_line(reason, 200, _("say why it is voided"))
    found = rows("SELECT status FROM analysis_report WHERE id = ?", (report_id,))
    if not found:
        raise InvalidInput(_("no analysis report #{id}").format(id=report_id))
    if found[0][0] == "void":
        raise NotAllowed(_("already voided"))
    with db.atomic():
        execute("UPDATE analysis_report SET status = 'void', void_reason = ? WHERE id = ?",
                (reason, report_id))
        session.audit.append(session.actor.name, "analysis.void", "analysis", str(report_id),
                             old={"status": "active"}, new={"status": "void"}, note=reason)
