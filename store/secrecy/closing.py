"""Closing a checklist run (A2, D5, D11): refused while a line is open (naming the first
few), signed by a checker and a supervisor of this procuratorate, and applied in one
transaction: a missing item opens an incident (D12), a copy checked in comes back into
custody, a copy handed in damaged comes back too with an incident, a copy kept stays with its
custodian with the reason, and an item recorded as out but found in the cabinet is recorded
returned."""

from __future__ import annotations

from typing import NamedTuple

from store import clock
from store.custody import desk, items, people
from store.errors import FieldError, RuleRefused
from store.i18n import _, language, ngettext
from store.secrecy.checks import (
    EFFECT,
    LINE_SQL,
    SUPERVISORS,
    Head,
    Line,
    Run,
    get,
    open_run,
    tally,
)
from store.secrecy.models import CheckRun
from store.vault.database import db, execute, record, records, scalar
from store.vault.session import Session


class _Moved(NamedTuple):
    """A line's item that moved since it was marked: its number and status now."""

    reg_no: str
    status: str


def closable(run_id: int) -> Run:
    """The run, if it is open and every line is resolved (asked before the names are)."""
    open_run(run_id)
    run = get(run_id)
    left = run.total - run.resolved
    if left:
        first = unresolved(run_id, SHOWN)
        numbers = "、".join(line.reg_no for line in first) if language() == "zh" else ", ".join(
            line.reg_no for line in first)
        raise RuleRefused(run.rule, (ngettext(
            "{n} line is not resolved yet: {numbers}. Each is marked before the run closes.",
            "{n} lines are not resolved yet: {numbers}. Each is marked before the run closes.",
            left) if left <= SHOWN else ngettext(
            "{n} line is not resolved yet, the first: {numbers}. Each is marked before the "
            "run closes.",
            "{n} lines are not resolved yet, the first: {numbers}. Each is marked before the "
            "run closes.", left)).format(n=left, numbers=numbers))
    return run


SHOWN = 5
"""How many unresolved lines a refusal to close names."""


def unresolved(run_id: int, limit: int = SHOWN, after_seq: int = 0) -> list[Line]:
    """The run's lines still open in walking order, after `after_seq`."""
    return records(Line, LINE_SQL + " WHERE l.run_id = ? AND l.result = '' AND l.seq > ?"
                   " ORDER BY l.seq LIMIT ?", (run_id, after_seq, limit))


def next_open(run_id: int, after_seq: int) -> int | None:
    """The seq of the next line still open after `after_seq`, from the top again past the
    last; None when every line is resolved."""
    found = unresolved(run_id, 1, after_seq) or unresolved(run_id, 1)
    return found[0].seq if found else None


def close(session: Session, run_id: int, checker: str, supervisor: str) -> Run:
    """Sign off a run whose every line is resolved, and apply what it found."""
    with db.atomic():
        run = closable(run_id)
        if not checker.strip():
            raise FieldError(_("give the checker's name or short code (people on record)"),
                             "checker")
        who = people.find(checker, field="checker")
        if not supervisor.strip():
            raise FieldError(_("give the supervisor's name or short code (people on record)"),
                             "supervisor")
        over = people.find(supervisor, field="supervisor")
        if who.external or over.external:
            raise RuleRefused(run.rule, _("{name} is an external unit: the checker and the "
                                          "supervisor are of this procuratorate").format(
                name=(who if who.external else over).name),
                "checker" if who.external else "supervisor")
        if over.id == who.id:
            raise RuleRefused(run.rule, _("the supervisor is someone other than the checker"),
                              "supervisor")
        if over.role not in SUPERVISORS:
            raise RuleRefused(run.rule, _("{name} cannot supervise: a supervisor, the secrecy "
                                          "committee office, a leader or a department head "
                                          "does").format(name=over.name), "supervisor")
        moved = record(_Moved, "SELECT i.reg_no, i.status FROM check_line l JOIN item i ON"
                       " i.id = l.item_id LEFT JOIN distribution x ON x.item_id = i.id AND"
                       " x.status = 'open' LEFT JOIN person pd ON pd.id = x.person_id"
                       " LEFT JOIN loan o ON o.item_id = i.id AND o.status = 'open'"
                       " LEFT JOIN person pl ON pl.id = o.borrower_id"
                       f" WHERE l.run_id = ? AND {EFFECT} AND (i.status != l.marked_was"
                       " OR coalesce(pd.name, pl.name, '') != l.marked_holder) LIMIT 1",
                       (run_id,))
        if moved is not None:
            raise RuleRefused(run.rule, _("{number} has moved since it was marked (now "
                                          "{status}): mark it again").format(
                number=moved.reg_no, status=_(items.STATUSES[moved.status])))
        counts = tally(run_id)
        for line in records(Line, LINE_SQL + f" WHERE l.run_id = ? AND {EFFECT} ORDER BY l.seq",
                            (run_id,)):
            _apply(session, run, line)
        CheckRun.update(status="closed", closed_at=clock.stamp(), closed_by=session.actor.name,
                        checker_id=who.id, supervisor_id=over.id).where(
            CheckRun.id == run_id).execute()
        session.audit.append(session.actor.name, "check.close", "check_run", str(run_id),
                             old={"status": "open"}, new={
                                 "status": "closed", "checker": who.code,
                                 "supervisor": over.code, "results": counts})
    return get(run_id)


def _apply(session: Session, run: Run | Head, line: Line) -> None:
    """What one resolved line changes at the close (plain SQL: a check-in closes hundreds)."""
    if line.result == "missing":
        item = items.get(line.item_id)
        if item.status not in ("missing", "destroyed"):
            # Kept in no one's language: the rule and the run, then the clerk's own words.
            items.gone(session, item, f"{run.rule} #{run.id}: {line.note}".rstrip(": "))
    elif line.result == "damaged":
        if run.kind == "quarter" and items.get(line.item_id).status == "distributed":
            # Handed in damaged: back in the office's custody (not 已签收分发 any more, so it
            # is not asked for again next quarter), the incident for the secrecy officer.
            _handed_back(session, run, line.item_id, "damaged", line.note)
        execute("INSERT INTO incident (item_id, kind, note, opened_at, opened_by)"
                " VALUES (?, 'damaged', ?, ?, ?)", (line.item_id, f"{run.rule} #{run.id}: "
                                                   f"{line.note}", clock.stamp(),
                                                   session.actor.name))
        items.event(session, line.item_id, "incident", reference=f"#{run.id}", note=line.note)
    elif line.result == "returned" and items.get(line.item_id).status == "distributed":
        _handed_back(session, run, line.item_id, "returned")
    elif line.result == "kept":
        items.event(session, line.item_id, "kept", reference=f"#{run.id}", note=line.note)
    elif line.result == "present" and line.marked_was not in ("in", "reading"):
        # Recorded as out but found in the cabinet: the chain says so (the checklist lists
        # it among the exceptions), and the loan or the distribution is closed as returned:
        # the item is back (the clerk was told so when it was marked).
        items.event(session, line.item_id, "seen", reference=f"#{run.id}", note=line.note)
        back_in(session, run, line)


RETURNED_AT_CLOSE = ("lent", "copy", "distributed")
"""An item recorded as out (`marked_was`) that a check finds in the cabinet: closing the run
records it returned."""


def back_in(session: Session, run: Run | Head, line: Line) -> None:
    """Close the open loan or distribution of an item found in the cabinet, as returned."""
    said = _("found in storage at check #{id}").format(id=run.id)
    if scalar("SELECT 1 FROM loan WHERE item_id = ? AND status = 'open'",
              (line.item_id,)) is not None:
        desk.return_item(session, line.reg_no, "intact", said)
    elif items.get(line.item_id).status == "distributed":
        _handed_back(session, run, line.item_id, "returned", said)


def _handed_back(session: Session, run: Run | Head, item_id: int, outcome: str,
                 note: str = "") -> None:
    """A distributed copy back in the office's custody at the close: its distribution closed
    with `outcome`, the item in, its chain saying so."""
    execute("UPDATE distribution SET status = 'closed', outcome = ?, closed_at = ?,"
            " closed_by = ?, note = ? WHERE item_id = ? AND status = 'open'",
            (outcome, clock.stamp(), session.actor.name, note, item_id))
    execute("UPDATE item SET status = 'in', custodian = '' WHERE id = ?"
            " AND status = 'distributed'", (item_id,))
    items.event(session, item_id, "checkin", reference=f"#{run.id}", note=note)
