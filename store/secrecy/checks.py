"""Checklist runs: the holiday-eve secure-storage check (A2, D11), the quarterly check-in of
confidential documents (清交, D5), the full inventory and the sampled spot check (A2).

Starting a run snapshots the items expected and where, one line each, in the order the
clerk walks the cabinets. Each line is resolved by a scan or a key; the marks stay open to
correction until the run closes with the checker's and the supervisor's names. Closing
applies the results in one transaction: a missing item opens an incident (D12), a copy
checked in comes back into custody, a copy kept stays with its custodian with the reason.
"""

from __future__ import annotations

import json
import math
import random
from dataclasses import dataclass, replace
from datetime import date, timedelta

from store import clock, settings
from store.custody import items, people
from store.errors import FieldError, InvalidInput, RuleRefused
from store.i18n import N_, _
from store.text import check_line
from store.vault.database import db, execute, insert, rows
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
    resolved: int

    @property
    def rule(self) -> str:
        return RULE[self.kind]

    def describe(self) -> str:
        """The holiday or quarter it is for, or the spot check's share and seed (said in the
        reader's language, so not stored)."""
        if self.kind == "spot":
            return _("{share}% of the items, seed {seed}").format(share=self.share,
                                                                  seed=self.seed)
        return self.label


@dataclass(frozen=True)
class Line:
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


def quarter_of(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def check_in_quarter(today: date) -> str:
    """The quarter a check-in started today is for: the last one, if it ended less than a
    month ago without its check-in (done late), else this one."""
    first_month = (today.month - 1) % 3 == 0
    last_done = rows("SELECT 1 FROM check_run WHERE kind = 'quarter' AND period = ?"
                     " AND status = 'closed'", (quarter_of(today - timedelta(days=31)),))
    if first_month and not last_done:
        return quarter_of(today - timedelta(days=31))
    return quarter_of(today)


def next_holiday(today: date, ahead: int = 30) -> tuple[date, str, date] | None:
    """(eve, holiday name, first day) of the next holiday block within `ahead` days."""
    from store import holidays
    from store.report import deadlines

    last = today + timedelta(days=ahead + 10)  # a block starting just after the window
    listed = holidays.listed_between(today - timedelta(days=10), last)
    names = {h.day: h.name for y in {today.year, last.year} for h in holidays.list_year(y)}
    for eve, name in deadlines.holiday_eves(today, today + timedelta(days=ahead), listed,
                                            names):
        first = next(d for d in sorted(listed) if d > eve and listed[d] == "holiday")
        if first >= today:
            return eve, name, first
    return None


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
_EFFECT = ("(l.result IN ('missing', 'damaged', 'returned', 'kept') OR (l.result = 'present'"
           " AND l.marked_was NOT IN ('in', 'reading')))")
"""Lines whose result changes something when the run closes."""


def start(session: Session, kind: str, seed: int | None = None) -> Run:
    """A new run of `kind`, its snapshot taken now (one transaction with the audit entry)."""
    if kind not in KINDS:
        raise InvalidInput(_("choose the kind of check"))
    today = clock.today()
    share, label, period = 100, "", today.isoformat()
    if kind == "spot":
        share = int(settings.get("spot_check_percent"))
        seed = seed if seed is not None else random.SystemRandom().randrange(1, 2**31)
    elif kind == "quarter":
        period = label = check_in_quarter(today)
    elif kind == "holiday":
        coming = next_holiday(today)
        if coming is not None:
            period, label = coming[0].isoformat(), coming[1]
    with db.atomic():
        already = rows("SELECT id, substr(started_at, 1, 10) FROM check_run WHERE kind = ?"
                       " AND status = 'open'", (kind,))
        if already:
            raise RuleRefused(RULE[kind], _("a run of this kind is already open (#{id}, "
                                            "started {day}): finish it first").format(
                id=already[0][0], day=already[0][1]))
        run = insert("INSERT INTO check_run (kind, period, label, share, seed, started_at,"
                     " started_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
                     (kind, period, label, share, seed or 0, clock.stamp(), session.actor.name))
        if kind == "quarter":
            execute(_SNAPSHOT.format(order="coalesce(nullif(pd.department, ''), pd.name),"
                                           " pd.name, i.reg_no",
                                     location="coalesce(nullif(pd.department, ''), pd.name)",
                                     where="x.id IS NOT NULL"), (run,))
        elif kind == "spot":
            ids = [int(i) for (i,) in rows(f"SELECT i.id FROM item i WHERE {_CANDIDATES}"
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


def sample(ids: list[int], share: int, seed: int) -> list[int]:
    """The spot check's items: `share` % of `ids`, the same for the same seed."""
    if not ids:
        return []
    count = max(1, math.ceil(len(ids) * share / 100))
    return sorted(random.Random(seed).sample(ids, min(count, len(ids))))


_RUN = ("SELECT r.id, r.kind, r.period, r.label, r.share, r.seed, r.started_at, r.started_by,"
        " r.status, r.closed_at, coalesce(c.name, ''), coalesce(s.name, ''),"
        " (SELECT count(*) FROM check_line WHERE run_id = r.id),"
        " (SELECT count(*) FROM check_line WHERE run_id = r.id AND result != '')"
        " FROM check_run r LEFT JOIN person c ON c.id = r.checker_id"
        " LEFT JOIN person s ON s.id = r.supervisor_id")


def get(run_id: int) -> Run:
    found = rows(_RUN + " WHERE r.id = ?", (run_id,)) if 0 < run_id < 2**63 else []
    if not found:
        raise InvalidInput(_("no checklist run #{id}").format(id=run_id))
    return Run(*found[0])


def runs(limit: int = 100) -> list[Run]:
    """Open runs first, then the latest."""
    return [Run(*r) for r in rows(_RUN + " ORDER BY r.status = 'closed', r.id DESC LIMIT ?",
                                  (limit,))]


_LINE = ("SELECT l.id, l.seq, l.item_id, i.reg_no, i.title, i.classification, l.location,"
         " l.expected, l.was, l.holder, l.since, l.result, l.note, l.marked_was"
         " FROM check_line l"
         " JOIN item i ON i.id = l.item_id")


def lines(run_id: int, from_seq: int = 1, limit: int = PAGE) -> list[Line]:
    """A page of a run's lines in walking order, from `from_seq`."""
    return [Line(*r) for r in rows(_LINE + " WHERE l.run_id = ? AND l.seq >= ? ORDER BY l.seq"
                                   " LIMIT ?", (run_id, from_seq, limit))]


def all_lines(run_id: int) -> list[Line]:
    return [Line(*r) for r in rows(_LINE + " WHERE l.run_id = ? ORDER BY l.seq", (run_id,))]


def first_open(run_id: int) -> int:
    """The seq of the first line not yet resolved (1 when all are)."""
    found = rows("SELECT min(seq) FROM check_line WHERE run_id = ? AND result = ''", (run_id,))
    return int(found[0][0] or 1)


def tally(run_id: int) -> dict[str, int]:
    """Lines by result ("" for those still open)."""
    return {str(r): int(n) for r, n in rows(
        "SELECT result, count(*) FROM check_line WHERE run_id = ? GROUP BY result", (run_id,))}


@dataclass(frozen=True)
class _Head:
    id: int
    kind: str

    @property
    def rule(self) -> str:
        return RULE[self.kind]


def _open_run(run_id: int) -> _Head:
    """The run's kind, if it is open (without counting its lines: a scan stays quick)."""
    found = rows("SELECT kind, status FROM check_run WHERE id = ?",
                 (run_id,)) if 0 < run_id < 2**63 else []
    if not found:
        raise InvalidInput(_("no checklist run #{id}").format(id=run_id))
    kind, status = str(found[0][0]), str(found[0][1])
    if status != "open":
        raise RuleRefused(RULE[kind], _("run #{id} is closed").format(id=run_id))
    return _Head(run_id, kind)


def mark(session: Session, run_id: int, number: str, result: str = "",
         note: str = "") -> Line:
    """Resolve the line of the item scanned or chosen; `result` empty: what a scan means
    (present, or checked in at the quarterly check-in). Kept needs its reason."""
    note = check_line(note, 200)
    with db.atomic():
        run = _open_run(run_id)
        item = items.by_number(number)
        line = rows(_LINE + " WHERE l.run_id = ? AND l.item_id = ?",
                    (run_id, item.id)) if item else []
        if not line:
            shown = item.reg_no if item else items.normalise(number)
            if run.kind == "quarter":
                raise RuleRefused("D5", _("{number} is not in this check-in: it was not "
                                          "distributed when the run started").format(
                    number=shown), "scan")
            raise RuleRefused(run.rule, _("{number} is not in this run").format(number=shown),
                              "scan")
        found = _now(run, Line(*line[0]), result)
        choices = allowed(run.kind, found.expected)
        result = "missing" if found.was in ("missing", "destroyed") else (result or choices[0])
        if result not in choices:
            raise RuleRefused(run.rule, _("{number} was expected in storage: it is present or "
                                          "missing").format(number=found.reg_no)
                              if found.expected == "storage" else
                              _("not a result for this line"))
        if result == "kept" and not note:
            raise FieldError(_("say why the custodian keeps it"), "note")
        if result == "damaged" and not note:
            raise FieldError(_("say what the damage is"), "note")
        execute("UPDATE check_line SET result = ?, note = ?, marked_at = ?, marked_by = ?,"
                " marked_was = ?, marked_holder = ? WHERE id = ?",
                (result, note, clock.stamp(), session.actor.name, found.was, found.holder,
                 found.id))
        session.audit.append(session.actor.name, "check.mark", "check_run", str(run_id),
                             old={"result": found.result} if found.result else None,
                             new={"item": found.reg_no, "result": result}, note=note)
    return Line(*rows(_LINE + " WHERE l.id = ?", (found.id,))[0])


def _now(run: _Head, line: Line, result: str) -> Line:
    """The line as its item stands now (`was`, `holder`: where it is as it is marked; the
    snapshot's own columns stay as they were). An item lent, returned or passed on since the
    run started is marked for where it is now; the run closes on what was marked."""
    status, holder, since = rows(f"SELECT i.status, {_HOLDER}, {_SINCE}" + _WHERE_NOW +
                                 " WHERE i.id = ?", (line.item_id,))[0]
    status = str(status)
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
    return replace(line, expected=expected, was=status, holder=str(holder), since=str(since))


def clear(session: Session, run_id: int, number: str) -> Line:
    """Take back a mark (a wrong key), while the run is open."""
    with db.atomic():
        _open_run(run_id)
        found = rows("SELECT l.id, l.result, i.reg_no FROM check_line l JOIN item i ON"
                     " i.id = l.item_id WHERE l.run_id = ? AND i.reg_no = ?",
                     (run_id, items.normalise(number)))
        if not found:
            raise InvalidInput(_("{number} is not in this run").format(
                number=items.normalise(number)))
        line_id, result, reg_no = found[0]
        if result:
            execute("UPDATE check_line SET result = '', note = '', marked_at = ?, marked_by = ?"
                    " WHERE id = ?", (clock.stamp(), session.actor.name, line_id))
            session.audit.append(session.actor.name, "check.unmark", "check_run", str(run_id),
                                 old={"item": reg_no, "result": result})
    return Line(*rows(_LINE + " WHERE l.id = ?", (line_id,))[0])


def closable(run_id: int) -> Run:
    """The run, if it is open and every line is resolved (asked before the names are)."""
    _open_run(run_id)
    run = get(run_id)
    left = run.total - run.resolved
    if left:
        raise RuleRefused(run.rule, _("{n} lines are not resolved yet: each is marked "
                                      "before the run closes").format(n=left))
    return run


def close(session: Session, run_id: int, checker: str, supervisor: str) -> Run:
    """Sign off a run whose every line is resolved, and apply what it found."""
    with db.atomic():
        run = closable(run_id)
        who = people.by_code(checker) if checker.strip() else None
        if who is None:
            raise FieldError(_("give the checker's short code (people on record)"), "checker")
        over = people.by_code(supervisor) if supervisor.strip() else None
        if over is None:
            raise FieldError(_("give the supervisor's short code (people on record)"),
                             "supervisor")
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
        moved = rows("SELECT i.reg_no, i.status FROM check_line l JOIN item i ON"
                     " i.id = l.item_id LEFT JOIN distribution x ON x.item_id = i.id AND"
                     " x.status = 'open' LEFT JOIN person pd ON pd.id = x.person_id"
                     " LEFT JOIN loan o ON o.item_id = i.id AND o.status = 'open'"
                     " LEFT JOIN person pl ON pl.id = o.borrower_id"
                     f" WHERE l.run_id = ? AND {_EFFECT} AND (i.status != l.marked_was"
                     " OR coalesce(pd.name, pl.name, '') != l.marked_holder) LIMIT 1",
                     (run_id,))
        if moved:
            raise RuleRefused(run.rule, _("{number} has moved since it was marked (now "
                                          "{status}): mark it again").format(
                number=moved[0][0], status=_(items.STATUSES[str(moved[0][1])])))
        counts = tally(run_id)
        for line in [Line(*r) for r in rows(_LINE + f" WHERE l.run_id = ? AND {_EFFECT}"
                                            " ORDER BY l.seq", (run_id,))]:
            _apply(session, run, line)
        execute("UPDATE check_run SET status = 'closed', closed_at = ?, closed_by = ?,"
                " checker_id = ?, supervisor_id = ? WHERE id = ?",
                (clock.stamp(), session.actor.name, who.id, over.id, run_id))
        session.audit.append(session.actor.name, "check.close", "check_run", str(run_id),
                             old={"status": "open"}, new={
                                 "status": "closed", "checker": who.code,
                                 "supervisor": over.code, "results": counts})
    return get(run_id)


def _apply(session: Session, run: Run | _Head, line: Line) -> None:
    if line.result == "missing":
        item = items.get(line.item_id)
        if item.status not in ("missing", "destroyed"):
            # Kept in no one's language: the rule and the run, then the clerk's own words.
            items.gone(session, item, f"{run.rule} #{run.id}: {line.note}".rstrip(": "))
    elif line.result == "damaged":
        execute("INSERT INTO incident (item_id, kind, note, opened_at, opened_by)"
                " VALUES (?, 'damaged', ?, ?, ?)", (line.item_id, f"{run.rule} #{run.id}: "
                                                   f"{line.note}", clock.stamp(),
                                                   session.actor.name))
        items.event(session, line.item_id, "incident", reference=f"#{run.id}", note=line.note)
    elif line.result == "returned" and items.get(line.item_id).status == "distributed":
        execute("UPDATE distribution SET status = 'closed', outcome = 'returned',"
                " closed_at = ?, closed_by = ? WHERE item_id = ? AND status = 'open'",
                (clock.stamp(), session.actor.name, line.item_id))
        execute("UPDATE item SET status = 'in', custodian = '' WHERE id = ?"
                " AND status = 'distributed'", (line.item_id,))
        items.event(session, line.item_id, "checkin", reference=f"#{run.id}")
    elif line.result == "kept":
        items.event(session, line.item_id, "kept", reference=f"#{run.id}", note=line.note)
    elif line.result == "present" and line.marked_was not in ("in", "reading"):
        # Recorded as out but found in the cabinet: the chain says so (the checklist lists
        # it among the exceptions); the loan or distribution is settled at the desk.
        items.event(session, line.item_id, "seen", reference=f"#{run.id}", note=line.note)


@dataclass(frozen=True)
class Overview:
    """What the dashboard says about checks: open runs, this quarter, the next holiday."""

    open_runs: list[Run]
    quarter: str
    quarter_done: bool
    quarter_due: date
    holiday: tuple[date, str, date] | None
    holiday_done: bool


def overview(today: date) -> Overview:
    from store import holidays
    from store.report import deadlines

    quarter = quarter_of(today)
    end = date(today.year, (today.month - 1) // 3 * 3 + 3, 1)
    end = date(end.year + end.month // 12, end.month % 12 + 1, 1) - timedelta(days=1)
    due = deadlines.working_day_on_or_before(
        end, holidays.listed_between(end - timedelta(days=14), end))
    done = bool(rows("SELECT 1 FROM check_run WHERE kind = 'quarter' AND period = ?"
                     " AND status = 'closed'", (quarter,)))
    coming = next_holiday(today, 10)
    holiday_done = coming is not None and bool(rows(
        "SELECT 1 FROM check_run WHERE kind = 'holiday' AND period = ? AND status = 'closed'",
        (coming[0].isoformat(),)))
    return Overview([r for r in runs(20) if r.status == "open"], quarter, done, due, coming,
                    holiday_done)


def closed_periods() -> set[tuple[str, str]]:
    """(kind, period) of every closed run: the deadlines see check-ins and eves done."""
    return {(str(k), str(p)) for k, p in rows(
        "SELECT kind, period FROM check_run WHERE status = 'closed'")}
