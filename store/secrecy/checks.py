"""Checklist runs: the holiday-eve secure-storage check (A2, D11), the quarterly check-in of
confidential documents (清交, D5), the full inventory and the sampled spot check (A2).

Starting a run snapshots the items expected and where, one line each, in the order the
clerk walks the cabinets. Each line is resolved by a scan or a key; the marks stay open to
correction until the run closes with the checker's and the supervisor's names. Closing
applies the results in one transaction: a missing item opens an incident (D12), a copy
checked in comes back into custody, a copy handed in damaged comes back too with an incident,
a copy kept stays with its custodian with the reason, and an item recorded as out but found
in the cabinet is recorded returned.
"""

from __future__ import annotations

import json
import math
import random
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import NamedTuple

from store import clock, holidays, operators, settings
from store.custody import items
from store.errors import FieldError, InvalidInput, RuleRefused
from store.i18n import N_, _
from store.report import deadlines
from store.report.deadlines import quarter_of
from store.secrecy.calendar import Coming, check_in_quarter, closed, next_holiday
from store.secrecy.models import CheckLine, CheckRun
from store.text import check_line
from store.vault.database import db, execute, record, records, scalar
from store.vault.session import Session

KINDS = {"holiday": N_("holiday-eve secure storage"), "quarter": N_("quarterly check-in"),
         "inventory": N_("full inventory"), "spot": N_("spot check")}
RULE = {"holiday": "A2", "quarter": "D5", "inventory": "A2", "spot": "A2"}
RESULTS = {"present": N_("present"), "accounted": N_("accounted for elsewhere"),
           "missing": N_("MISSING"), "damaged": N_("DAMAGED"), "returned": N_("checked in"),
           "kept": N_("kept, with reason")}
SUPERVISORS = ("supervisor", "secrecy", "leader", "head")
PAGE = 200


@dataclass(frozen=True)
class Run:
    """A checklist run with the names of who signed it off and how far it has got."""

    id: int
    kind: str
    period: str
    label: str
    share: int
    seed: int
    started_at: str
    started_by: str
    status: str
    closed_at: str
    checker: str
    supervisor: str
    total: int
    """Its lines."""
    resolved: int
    """Its lines marked."""
    starter: str = ""
    """The full name of the operator who started it; "" when the operator has none of their
    own (a name left as the login, the recovery code): paper never prints a login."""

    @property
    def rule(self) -> str:
        return RULE[self.kind]

    def describe(self) -> str:
        """The holiday or quarter it is for, or the spot check's share and seed (said in the
        reader's language, so not stored)."""
        if self.kind == "spot":
            return _("{share}% of the items, seed {seed}").format(share=self.share,
                                                                  seed=self.seed)
        if self.kind == "quarter":
            return quarter_words(self.period)
        return self.label

    def name(self) -> str:
        """What the run is, with the quarter or the holiday it is for: "the check-in of 2026
        Q4", "the secure-storage check before 元旦" (said in the reader's language)."""
        if self.kind == "quarter":
            return _("check-in of {quarter}").format(quarter=quarter_words(self.period))
        if self.kind == "holiday" and self.label:
            return _("secure-storage check before {holiday}").format(holiday=self.label)
        if self.kind == "spot":
            return _("spot check of {share}% of the items").format(share=self.share)
        return _(KINDS[self.kind])


QUARTERS = {"1": N_("{year} Q1"), "2": N_("{year} Q2"), "3": N_("{year} Q3"),
            "4": N_("{year} Q4")}
"""A quarter in words, each its own message: zh 2026年第三季度 (never "2026-Q3" on paper)."""


def quarter_words(period: str) -> str:
    """"2026-Q4" as the clerk reads it: "2026 Q4" (zh: 2026年第四季度)."""
    if len(period) == 7 and period[4:6] == "-Q" and period[:4].isdigit() \
            and period[6] in QUARTERS:
        return _(QUARTERS[period[6]]).format(year=period[:4])
    return period


@dataclass(frozen=True)
class Line:
    """A line of a run, with its item's number, title and classification."""

    id: int
    seq: int
    item_id: int
    reg_no: str
    title: str
    classification: str
    location: str
    expected: str
    """"storage": it should be in the cabinet; "elsewhere": accounted for outside it."""
    was: str
    """The item's status when the run started (lent, distributed, copy…)."""
    holder: str
    since: str
    result: str
    note: str
    marked_was: str = ""
    """The item's status when the line was marked (it may have moved since the snapshot)."""


def allowed(kind: str, expected: str) -> tuple[str, ...]:
    """The results a line may take: its first is what a scan marks."""
    if kind == "quarter":
        return ("returned", "kept", "missing", "damaged")
    if expected == "storage":
        return ("present", "missing", "damaged")
    return ("present", "accounted", "missing", "damaged")


_CANDIDATES = "i.status NOT IN ('destroyed', 'missing') AND i.created_at <= ?"
"""Every item in the office's records as the run starts."""
_HOLDER = "coalesce(pd.name, pl.name, '')"
_SINCE = ("coalesce(substr(x.signed_at, 1, 10), nullif(l.due_on, ''),"
          " substr(l.opened_at, 1, 10), '')")
_WHERE_NOW = (" FROM item i LEFT JOIN distribution x ON x.item_id = i.id AND x.status = 'open'"
              " LEFT JOIN person pd ON pd.id = x.person_id"
              " LEFT JOIN loan l ON l.item_id = i.id AND l.status = 'open'"
              " LEFT JOIN person pl ON pl.id = l.borrower_id")
"""Where each item is now: with the custodian who signed for it, or its borrower."""
_SNAPSHOT = (
    "INSERT INTO check_line (run_id, seq, item_id, location, expected, was, holder, since)"
    " SELECT ?, row_number() OVER (ORDER BY {order}), i.id, {location},"
    " CASE WHEN i.status IN ('in', 'reading') THEN 'storage' ELSE 'elsewhere' END, i.status,"
    f" {_HOLDER}, {_SINCE}" + _WHERE_NOW + " WHERE {where}")
EFFECT = ("(l.result IN ('missing', 'damaged', 'returned', 'kept') OR (l.result = 'present'"
           " AND l.marked_was NOT IN ('in', 'reading')))")
"""Lines whose result changes something when the run closes."""


def start(session: Session, kind: str, seed: int | None = None) -> Run:
    """A new run of `kind`, its snapshot taken now (one transaction with the audit entry)."""
    if kind not in KINDS:
        raise InvalidInput(_("choose the kind of check"))
    today = clock.today()
    share, label, period = 100, "", today.isoformat()
    if kind == "spot":
        share = settings.current().spot_check_percent
        seed = seed if seed is not None else random.SystemRandom().randrange(1, 2**31)
    elif kind == "quarter":
        period = label = check_in_quarter(today)
    elif kind == "holiday":
        coming = next_holiday(today)
        if coming is not None:
            period, label = coming.eve.isoformat(), coming.name
    with db.atomic():
        already = CheckRun.get_or_none(CheckRun.kind == kind, CheckRun.status == "open")
        if already is not None:
            raise RuleRefused(RULE[kind], _("a run of this kind is already open (#{id}, "
                                            "started {day}): finish it first").format(
                id=already.id, day=already.started_at[:10]))
        run = int(CheckRun.insert(kind=kind, period=period, label=label, share=share,
                                  seed=seed or 0, started_at=clock.stamp(),
                                  started_by=session.actor.name).execute())
        if kind == "quarter":
            execute(_SNAPSHOT.format(order="coalesce(nullif(pd.department, ''), pd.name),"
                                           " pd.name, i.reg_no",
                                     location="coalesce(nullif(pd.department, ''), pd.name)",
                                     where="x.id IS NOT NULL"), (run,))
        elif kind == "spot":
            ids = [row.id for row in records(_Id, f"SELECT i.id FROM item i WHERE {_CANDIDATES}"
                                             " ORDER BY i.id", (clock.stamp(),))]
            chosen = sample(ids, share, seed or 0)
            execute(_SNAPSHOT.format(order="i.location, i.reg_no", location="i.location",
                                     where="i.id IN (SELECT value FROM json_each(?))"),
                    (run, json.dumps(chosen)))
        else:
            execute(_SNAPSHOT.format(order="i.location, i.reg_no", location="i.location",
                                     where=_CANDIDATES), (run, clock.stamp()))
        found = get(run)
        if not found.total:
            raise RuleRefused(RULE[kind], _("nothing to check: no distributed copies")
                              if kind == "quarter" else _("nothing to check: no items"))
        session.audit.append(session.actor.name, "check.start", "check_run", str(run),
                             new={"kind": kind, "period": period, "lines": found.total,
                                  "share": share, "seed": seed or 0})
    return found


@dataclass(frozen=True)
class Preview:
    """What a run of a kind started now would be: for which quarter or holiday, what share of
    the items, how many lines; the start's confirmation says it."""

    kind: str
    name: str
    """The run as `Run.name` says it."""
    share: int
    """Percent of the items (100: all of them)."""
    lines: int
    no_holiday: bool
    """A holiday-eve check with no holiday entered within the next 30 days."""
    already: int
    """The id of a run of this kind still open (0: none)."""


def preview(kind: str) -> Preview:
    """What `start(kind)` would make now (nothing is written)."""
    if kind not in KINDS:
        raise InvalidInput(_("choose the kind of check"))
    today = clock.today()
    share, label, period = 100, "", today.isoformat()
    candidates = int(scalar(f"SELECT count(*) FROM item i WHERE {_CANDIDATES}",
                            (clock.stamp(),)) or 0)
    lines = candidates
    if kind == "quarter":
        period = label = check_in_quarter(today)
        lines = int(scalar("SELECT count(*) FROM distribution WHERE status = 'open'") or 0)
    elif kind == "spot":
        share = settings.current().spot_check_percent
        lines = min(candidates, max(1, math.ceil(candidates * share / 100))) if candidates else 0
    coming = next_holiday(today) if kind == "holiday" else None
    if coming is not None:
        period, label = coming.eve.isoformat(), coming.name
    run = Run(0, kind, period, label, share, 0, "", "", "open", "", "", "", lines, 0)
    already = CheckRun.get_or_none(CheckRun.kind == kind, CheckRun.status == "open")
    return Preview(kind, run.name(), share, lines, kind == "holiday" and coming is None,
                   already.id if already is not None else 0)


def sample(ids: list[int], share: int, seed: int) -> list[int]:
    """The spot check's items: `share` % of `ids`, the same for the same seed."""
    if not ids:
        return []
    count = max(1, math.ceil(len(ids) * share / 100))
    return sorted(random.Random(seed).sample(ids, min(count, len(ids))))


class _Id(NamedTuple):
    id: int


_RUN = ("SELECT r.id, r.kind, r.period, r.label, r.share, r.seed, r.started_at,"
        + operators.shown_as("r.started_by") + " AS started_by,"
        " r.status, r.closed_at, coalesce(c.name, '') AS checker,"
        " coalesce(s.name, '') AS supervisor,"
        " (SELECT count(*) FROM check_line WHERE run_id = r.id) AS total,"
        " (SELECT count(*) FROM check_line WHERE run_id = r.id AND result != '') AS resolved,"
        " coalesce((SELECT nullif(nullif(o.display_name, ''), o.name) FROM operator o"
        " WHERE o.name = r.started_by), '') AS starter"
        " FROM check_run r LEFT JOIN person c ON c.id = r.checker_id"
        " LEFT JOIN person s ON s.id = r.supervisor_id")


def get(run_id: int) -> Run:
    found = record(Run, _RUN + " WHERE r.id = ?", (run_id,)) if 0 < run_id < 2**63 else None
    if found is None:
        raise InvalidInput(_("no checklist run #{id}").format(id=run_id))
    return found


def runs(limit: int = 100) -> list[Run]:
    """Open runs first, then the latest."""
    return records(Run, _RUN + " ORDER BY r.status = 'closed', r.id DESC LIMIT ?", (limit,))


LINE_SQL = ("SELECT l.id, l.seq, l.item_id, i.reg_no, i.title, i.classification, l.location,"
         " l.expected, l.was, l.holder, l.since, l.result, l.note, l.marked_was"
         " FROM check_line l"
         " JOIN item i ON i.id = l.item_id")


def lines(run_id: int, from_seq: int = 1, limit: int = PAGE) -> list[Line]:
    """A page of a run's lines in walking order, from `from_seq`."""
    return records(Line, LINE_SQL + " WHERE l.run_id = ? AND l.seq >= ? ORDER BY l.seq LIMIT ?",
                   (run_id, from_seq, limit))


def all_lines(run_id: int) -> list[Line]:
    return records(Line, LINE_SQL + " WHERE l.run_id = ? ORDER BY l.seq", (run_id,))


def _line(line_id: int) -> Line:
    found = record(Line, LINE_SQL + " WHERE l.id = ?", (line_id,))
    assert found is not None  # read back in the transaction that marked it
    return found


def first_open(run_id: int) -> int:
    """The seq of the first line not yet resolved (1 when all are)."""
    return int(scalar("SELECT min(seq) FROM check_line WHERE run_id = ? AND result = ''",
                      (run_id,)) or 1)


class _Count(NamedTuple):
    result: str
    lines: int


def tally(run_id: int) -> dict[str, int]:
    """Lines by result ("" for those still open)."""
    return {row.result: row.lines for row in records(
        _Count, "SELECT result, count(*) AS lines FROM check_line WHERE run_id = ?"
        " GROUP BY result", (run_id,))}


@dataclass(frozen=True)
class Head:
    """An open run's id and kind, which is all a mark needs of it."""

    id: int
    kind: str

    @property
    def rule(self) -> str:
        return RULE[self.kind]


class _State(NamedTuple):
    kind: str
    status: str


def open_run(run_id: int) -> Head:
    """The run's kind, if it is open (without counting its lines: a scan stays quick)."""
    found = record(_State, "SELECT kind, status FROM check_run WHERE id = ?",
                   (run_id,)) if 0 < run_id < 2**63 else None
    if found is None:
        raise InvalidInput(_("no checklist run #{id}").format(id=run_id))
    if found.status != "open":
        raise RuleRefused(RULE[found.kind], _("run #{id} is closed").format(id=run_id))
    return Head(run_id, found.kind)


def mark(session: Session, run_id: int, number: str, result: str = "",
         note: str = "") -> Line:
    """Resolve the line of the item scanned or chosen; `result` empty: what a scan means
    (present, or checked in at the quarterly check-in). Kept needs its reason."""
    note = check_line(note, 200)
    with db.atomic():
        run = open_run(run_id)
        item = items.by_number(number)
        line = record(Line, LINE_SQL + " WHERE l.run_id = ? AND l.item_id = ?",
                      (run_id, item.id)) if item else None
        if item is None:
            raise FieldError(_("no item numbered {number}").format(
                number=items.normalise(number)), "scan")
        if line is None:
            shown = item.reg_no
            if run.kind == "quarter":
                raise RuleRefused("D5", _("{number} is not in this check-in: it was not "
                                          "distributed when the run started").format(
                    number=shown), "scan")
            raise RuleRefused(run.rule, _("{number} is not in this run").format(number=shown),
                              "scan")
        found = _now(run, line, result)
        choices = allowed(run.kind, found.expected)
        result = "missing" if found.was in ("missing", "destroyed") else (result or choices[0])
        if result not in choices:
            raise RuleRefused(run.rule, _("{number} was expected in storage: mark it present, "
                                          "missing or damaged").format(number=found.reg_no)
                              if found.expected == "storage" else
                              _("not a result for this line"))
        if result == "kept" and not note:
            raise FieldError(_("say why the custodian keeps it"), "note")
        if result == "damaged" and not note:
            raise FieldError(_("say what the damage is"), "note")
        # Plain SQL: a scan's own write, made as quick as the store can.
        execute("UPDATE check_line SET result = ?, note = ?, marked_at = ?, marked_by = ?,"
                " marked_was = ?, marked_holder = ? WHERE id = ?",
                (result, note, clock.stamp(), session.actor.name, found.was, found.holder,
                 found.id))
        session.audit.append(session.actor.name, "check.mark", "check_run", str(run_id),
                             old={"result": found.result} if found.result else None,
                             new={"item": found.reg_no, "result": result}, note=note)
    return _line(found.id)


class _Where(NamedTuple):
    """Where an item is now: its status, who has it, since when."""

    status: str
    holder: str
    since: str


def _now(run: Head, line: Line, result: str) -> Line:
    """The line as its item stands now (`was`, `holder`: where it is as it is marked; the
    snapshot's own columns stay as they were). An item lent, returned or passed on since the
    run started is marked for where it is now; the run closes on what was marked."""
    now = record(_Where, f"SELECT i.status, {_HOLDER} AS holder, {_SINCE} AS since" +
                 _WHERE_NOW + " WHERE i.id = ?", (line.item_id,))
    assert now is not None  # a line's item is never deleted
    status = now.status
    said = _(items.STATUSES[status])
    if status in ("missing", "destroyed") and result and result != "missing":
        raise RuleRefused(run.rule, _("{number} is {status} since the run started: mark it "
                                      "missing, or take it back first (incidents: found "
                                      "again)").format(number=line.reg_no, status=said), "scan")
    if status in ("missing", "destroyed"):
        result = "missing"  # already reported: nothing more is opened at the close
    elif run.kind == "quarter" and status != "distributed" and (
            status != "in" or result not in ("", "returned")):
        raise RuleRefused("D5", _("{number} is no longer distributed ({status}): mark it "
                                  "checked in if it is back in the office").format(
            number=line.reg_no, status=said), "scan")
    expected = line.expected if run.kind == "quarter" else (
        "storage" if status in ("in", "reading") else "elsewhere")
    return replace(line, expected=expected, was=status, holder=now.holder, since=now.since)


def clear(session: Session, run_id: int, number: str) -> Line:
    """Take back a mark (a wrong key), while the run is open."""
    with db.atomic():
        open_run(run_id)
        found = record(Line, LINE_SQL + " WHERE l.run_id = ? AND i.reg_no = ?",
                       (run_id, items.normalise(number)))
        if found is None:
            raise InvalidInput(_("{number} is not in this run").format(
                number=items.normalise(number)))
        if found.result:
            CheckLine.update(result="", note="", marked_at=clock.stamp(),
                             marked_by=session.actor.name).where(
                CheckLine.id == found.id).execute()
            session.audit.append(session.actor.name, "check.unmark", "check_run", str(run_id),
                                 old={"item": found.reg_no, "result": found.result})
    return _line(found.id)


@dataclass(frozen=True)
class Overview:
    """What the dashboard says about checks: open runs, this quarter, the next holiday."""

    open_runs: list[Run]
    quarter: str
    quarter_done: bool
    quarter_due: date
    holiday: Coming | None
    holiday_done: bool


def overview(today: date) -> Overview:
    quarter = quarter_of(today)
    end = date(today.year, (today.month - 1) // 3 * 3 + 3, 1)
    end = date(end.year + end.month // 12, end.month % 12 + 1, 1) - timedelta(days=1)
    due = deadlines.working_day_on_or_before(
        end, holidays.listed_between(end - timedelta(days=14), end))
    done = closed("quarter", quarter)
    coming = next_holiday(today, 10)
    holiday_done = coming is not None and closed("holiday", coming.eve.isoformat())
    return Overview([r for r in runs(20) if r.status == "open"], quarter, done, due, coming,
                    holiday_done)


def closed_periods() -> set[tuple[str, str]]:
    """(kind, period) of every closed run: check-ins and holiday eves done."""
    return {(run.kind, run.period) for run in CheckRun.select(CheckRun.kind, CheckRun.period)
            .where(CheckRun.status == "closed")}
