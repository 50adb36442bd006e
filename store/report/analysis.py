"""Analysis reports (统计分析, C14): at least eight a year, registered as they are written."""

from __future__ import annotations

from dataclasses import dataclass

from store import clock
from store.dates import parse_date
from store.errors import InvalidInput, NotAllowed
from store.i18n import _
from store.report import models
from store.text import check_line
from store.vault.database import db
from store.vault.session import Session

A_YEAR = 8
"""The rule's minimum (C14)."""


@dataclass(frozen=True)
class AnalysisReport:
    """A registered analysis report, as the year's list shows it."""

    id: int
    title: str
    author: str
    written_on: str
    topic: str
    status: str
    void_reason: str


def of_year(year: int) -> list[AnalysisReport]:
    """The year's reports, by date, voided ones too (they stay, marked)."""
    written = models.AnalysisReport.written_on.between(f"{year}-01-01", f"{year}-12-31")
    return [AnalysisReport(r.id, r.title, r.author, r.written_on, r.topic, r.status,
                           r.void_reason)
            for r in models.AnalysisReport.select().where(written)
            .order_by(models.AnalysisReport.written_on, models.AnalysisReport.id)]


def count(year: int) -> int:
    """The year's reports that stand (voided ones do not count)."""
    return int(models.AnalysisReport.select().where(
        models.AnalysisReport.status == "active",
        models.AnalysisReport.written_on.between(f"{year}-01-01", f"{year}-12-31")).count())


def add(session: Session, title: str, author: str, written_on: str, topic: str = "") -> int:
    title = check_line(title, 100, _("give the report's title"))
    author = check_line(author, 40, _("name the author"))
    topic = check_line(topic, 100)
    day = parse_date(written_on)
    if day > clock.today():
        raise InvalidInput(_("the date is in the future"))
    with db.atomic():
        new = int(models.AnalysisReport.insert(
            title=title, author=author, written_on=day.isoformat(), topic=topic,
            recorded_by=session.actor.name, recorded_at=clock.stamp()).execute())
        session.audit.append(session.actor.name, "analysis.add", "analysis", str(new),
                             new={"title": title, "author": author,
                                  "written_on": day.isoformat(), "topic": topic})
    return new


def void(session: Session, report_id: int, reason: str) -> None:
    """A report registered by mistake is voided with a reason, never deleted."""
    reason = check_line(reason, 200, _("say why it is voided"))
    found = models.AnalysisReport.get_or_none(models.AnalysisReport.id == report_id)
    if found is None:
        raise InvalidInput(_("no analysis report #{id}").format(id=report_id))
    if found.status == "void":
        raise NotAllowed(_("already voided"))
    with db.atomic():
        models.AnalysisReport.update(status="void", void_reason=reason).where(
            models.AnalysisReport.id == report_id).execute()
        session.audit.append(session.actor.name, "analysis.void", "analysis", str(report_id),
                             old={"status": "active"}, new={"status": "void"}, note=reason)
