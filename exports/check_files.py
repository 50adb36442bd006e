"""Word files of the secrecy register and the checklist runs (A2, D4, D5, D11): the checklist
of a run (exceptions first, then every line by cabinet in walking order), the register of
classified documents received in a period with their distribution lists, and the quarterly
check-in report by custodian. Each is written into exports/ and logged with its SHA-256.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from exports import tables_doc
from exports.tables_doc import Section, TablesDocument
from store import settings
from store.custody import desk, items
from store.dates import parse_date
from store.errors import InvalidInput
from store.i18n import N_, _, language, ngettext
from store.secrecy import checks
from store.secrecy import register as secrecy
from store.secrecy.checks import Line, Run
from store.vault.session import Session

TITLES = {"holiday": N_("Holiday-eve secure-storage checklist"),
          "quarter": N_("Quarterly check-in checklist of classified copies"),
          "inventory": N_("Full inventory checklist"),
          "spot": N_("Spot-check checklist")}
# Landscape A4 (243 mm of text): a number of 统-2026-0001's length needs 32 mm, a date 25.
LINE_WIDTHS: list[float] = [14, 32, 72, 22, 48, 27, 28]
EXCEPTION_WIDTHS: list[float] = [14, 32, 52, 30, 50, 27, 38]
COPY_WIDTHS: list[float] = [12, 32, 48, 26, 38]  # portrait: 156 mm
BLANK = "____________________"
_LARGEST = 2**63 - 1  # SQLite's integers


def _unit() -> str:
    return settings.current().printed_unit()


def _listed(names: list[str]) -> str:
    return ("、" if language() == "zh" else ", ").join(names)


def _run(run_id: int) -> Run:
    """The run, or a message saying there is none (never a database error on a wild id)."""
    if not 0 < run_id <= _LARGEST:
        raise InvalidInput(_("no checklist run #{id}").format(id=run_id))
    return checks.get(run_id)


def _save(session: Session, document: TablesDocument, name: str, action: str,
          details: dict[str, object], folder: Path | None) -> Path:
    return tables_doc.save(session, document, name, action, details, folder)


def _stamp(text: str) -> str:
    return text[:16].replace("T", " ")


def _head(run: Run, lines: list[Line]) -> list[str]:
    """Unit, run and kind, period, who started it, and whether it is closed."""
    if run.kind == "quarter":
        period = _("Quarter {quarter}").format(quarter=checks.quarter_words(run.period))
    elif run.kind == "spot":
        period = run.describe()
    elif run.kind == "holiday" and run.label:
        period = _("Before {holiday}; the eve is {day}").format(holiday=run.label,
                                                                day=run.period)
    else:
        period = _("Period: {period}").format(period=run.period)
    left = sum(1 for line in lines if not line.result)
    if run.status == "closed":
        state = _("Closed on {day}: checked by {checker}, supervised by {supervisor}.").format(
            day=run.closed_at[:10], checker=run.checker, supervisor=run.supervisor)
    else:
        state = ngettext("STILL OPEN: {n} of {total} line not resolved yet.",
                         "STILL OPEN: {n} of {total} lines not resolved yet.", len(lines)).format(
            n=left, total=len(lines))
    return [_unit(),
            _("Run #{id}: {kind} (rule {rule})").format(id=run.id, kind=_(checks.KINDS[run.kind]),
                                                       rule=run.rule),
            period,
            _("Started {when} by {who}").format(when=_stamp(run.started_at), who=run.started_by),
            state]


def _signatures(run: Run) -> list[str]:
    """Blanks to sign on; the names once the run is closed."""
    if run.status == "closed":
        return [_("Checker {name} (signature): {blank}").format(name=run.checker, blank=BLANK),
                _("Supervisor {name} (signature): {blank}").format(name=run.supervisor,
                                                                   blank=BLANK),
                _("Date: {day}").format(day=run.closed_at[:10])]
    return [_("Checker (signature): {blank}").format(blank=BLANK),
            _("Supervisor (signature): {blank}").format(blank=BLANK),
            _("Date: {day}").format(day="____________")]


def loans_of(run: Run, lines: list[Line]) -> dict[int, tuple[str, str]]:
    """item id → (day lent, due) of the loan each item lent out was on when the run started:
    the line keeps one date only (the due date when there is one)."""
    lent = [line.item_id for line in lines if line.expected == "elsewhere"
            and line.was in ("lent", "copy")]
    if not lent:
        return {}
    found = desk.loans_at(lent, run.started_at)
    return {int(loan.item_id): (str(loan.opened_on), str(loan.due_on)) for loan in found}


def expected(line: Line, loans: dict[int, tuple[str, str]]) -> str:
    """Where the line's item should be: in storage, or with whom since when."""
    if line.expected == "storage":
        return _("in storage")
    status = _(items.STATUSES[line.was]) if line.was in items.STATUSES else line.was
    if not line.holder:
        return status
    since, due = loans.get(line.item_id, (line.since, ""))
    if due:
        return _("{status}: {holder}, since {since}, due {due}").format(
            status=status, holder=line.holder, since=since or "—", due=due)
    return _("{status}: {holder}, since {since}").format(status=status, holder=line.holder,
                                                         since=since or "—")


def result(line: Line) -> str:
    return _(checks.RESULTS[line.result]) if line.result in checks.RESULTS else "—"


def is_exception(line: Line) -> bool:
    """Not resolved, missing, damaged, kept by its custodian, or found in the cabinet though
    it was recorded as out (the record and the cabinet disagree)."""
    return (line.result in ("", "missing", "damaged", "kept")
            or (line.expected == "elsewhere" and line.result == "present"))


def _place(run: Run, line: Line) -> str:
    if line.location:
        return line.location
    return _("(no department)") if run.kind == "quarter" else _("(no location)")


def _totals(run: Run, lines: list[Line]) -> Section:
    counts = Counter(line.result for line in lines)
    order = [r for r in checks.allowed(run.kind, "elsewhere") if r != "damaged"]
    order += [r for r in checks.RESULTS if r not in order and counts[r]]
    table = [[_(checks.RESULTS[r]), str(counts[r])] for r in order]
    if counts[""]:
        table.append([_("not resolved yet"), str(counts[""])])
    table.append([_("Total"), str(len(lines))])
    return Section(_("Totals by result"), [_("Result"), _("Lines")], table, [60, 30],
                   frozenset({len(table) - 1}))


def walk_section(run: Run, lines: list[Line], loans: dict[int, tuple[str, str]]) -> Section:
    """Every line in walking order, under a bold row for each location with its count."""
    sizes = Counter(line.location for line in lines)
    table: list[list[str]] = []
    groups: set[int] = set()
    place: str | None = None
    for line in lines:
        if line.location != place:
            place = line.location
            groups.add(len(table))
            table.append([f"{_place(run, line)} ({sizes[place]})"])
        table.append([str(line.seq), line.reg_no, line.title,
                      _(items.LEVELS[line.classification]), expected(line, loans),
                      result(line), line.note])
    return Section(_("Copies by department") if run.kind == "quarter"
                   else _("Lines by location, in walking order"),
                   [_("No."), _("Number"), _("Title"), _("Classification"), _("Expected"),
                    _("Result"), _("Note")], table, LINE_WIDTHS,
                   group_rows=frozenset(groups))


def checklist(session: Session, run_id: int, folder: Path | None = None) -> Path:
    """The checklist of a run, to walk and sign: its exceptions first, then every line by
    location in walking order, the totals by result, the checker's and supervisor's lines."""
    run = _run(run_id)
    lines = checks.all_lines(run.id)
    loans = loans_of(run, lines)
    odd = [line for line in lines if is_exception(line)]
    note = "" if odd else _("No exceptions: every line is resolved as expected.")
    if lines and not any(line.result for line in lines):  # printed to walk: not twice over
        odd, note = [], ngettext("Nothing is marked yet: the {n} line below is to be checked.",
                                 "Nothing is marked yet: all {n} lines below are to be checked.",
                                 len(lines)).format(n=len(lines))
    exceptions = Section(
        _("Exceptions: {n}").format(n=len(odd)),
        [_("No."), _("Number"), _("Title"), _("Location"), _("Expected"), _("Result"),
         _("Note")],
        [[str(line.seq), line.reg_no, line.title, _place(run, line), expected(line, loans),
          result(line), line.note] for line in odd], EXCEPTION_WIDTHS, note=note)
    document = TablesDocument(_(TITLES[run.kind]), _head(run, lines),
                              [exceptions, walk_section(run, lines, loans),
                               _totals(run, lines)], _signatures(run), landscape=True)
    return _save(session, document, f"checklist-{run.id}.docx", "export.checklist",
                 {"run": run.id, "kind": run.kind, "lines": len(lines),
                  "status": run.status}, folder)


def _copies(first: str, last: str) -> list[secrecy.Copy]:
    """Every copy received in the range, by date, document and copy number."""
    wanted = secrecy.Filter(first=first, last=last)
    found: list[secrecy.Copy] = []
    page = secrecy.register(wanted, limit=500)
    while page:
        found += page
        page = secrecy.register(wanted, after=page[-1].id, limit=500)
    return sorted(found, key=lambda c: (c.received_on, c.document_id, c.copy_no, c.id))


def _held(copy: secrecy.Copy) -> str:
    if copy.holder:
        return _("{name}, signed {day}").format(name=copy.holder, day=copy.signed_at[:10])
    return "—"


def register(session: Session, first_text: str, last_text: str,
             folder: Path | None = None) -> Path:
    """The secrecy register (D4) of the documents received between two dates: each copy with
    its state and holder, the totals by classification, each document's distribution list."""
    first, last = parse_date(first_text), parse_date(last_text)
    if last < first:
        raise InvalidInput(_("the range ends before it begins"))
    copies = _copies(first.isoformat(), last.isoformat())
    table = [[c.reg_no, c.sender, c.doc_no, c.title, _(items.LEVELS[c.classification]),
              f"{c.copy_no}/{c.copies}", c.received_on,
              _(items.STATUSES[c.status]) if c.status in items.STATUSES else c.status,
              _held(c)] for c in copies]
    counts = secrecy.totals(secrecy.Filter(first=first.isoformat(), last=last.isoformat()))
    totals = [[_(items.LEVELS[level]), str(counts[level])] for level in items.LEVELS
              if counts.get(level)]
    totals.append([_("Total"), str(sum(counts.values()))])
    documents: dict[int, secrecy.Copy] = {}
    for c in copies:
        documents.setdefault(c.document_id, c)
    lists = []
    for document_id, c in documents.items():
        listed = secrecy.recipients(document_id)
        lists.append([c.doc_no, c.title, _listed([p.label() for p, _a in listed]),
                      _listed([_("{name}, approved by {approver}").format(
                          name=p.name, approver=a) for p, a in listed if a]) or "—"])
    empty = _("No classified documents received in this range.") if not copies else ""
    document = TablesDocument(
        _("Register of classified documents received"),
        [_unit(), _("Received {first} to {last}: {documents}, {copies}").format(
            first=first.isoformat(), last=last.isoformat(),
            documents=ngettext("{n} document", "{n} documents", len(documents)).format(
                n=len(documents)),
            copies=ngettext("{n} copy", "{n} copies", len(copies)).format(n=len(copies)))],
        [Section(_("Copies"), [_("Number"), _("Sender"), _("Document number"), _("Title"),
                               _("Classification"), _("Copy"), _("Received on"), _("State"),
                               _("Held by")], table,
                 [35, 28, 34, 40, 14, 17, 29, 22, 24],  # 243 mm: landscape A4
                 note=empty),
         Section(_("Totals by classification"), [_("Classification"), _("Copies")], totals,
                 [60, 30], frozenset({len(totals) - 1})),
         Section(_("Distribution lists"), [_("Document number"), _("Title"), _("Custodians"),
                                           _("Added with approval")], lists,
                 [40, 60, 83, 60], note=empty)],
        [_("Kept by: ____________    Checked by: ____________")], landscape=True)
    return _save(session, document, f"secrecy-register-{first}-{last}.docx", "export.register",
                 {"first": first.isoformat(), "last": last.isoformat(), "copies": len(copies)},
                 folder)


def checkin_report(session: Session, run_id: int, folder: Path | None = None) -> Path:
    """The quarterly check-in (清交, D5) by custodian: copies checked in, kept (with the
    reasons), damaged (with the damage) and missing, with the totals (every outcome of a line
    counted, so a row adds up) and the lines to sign."""
    run = _run(run_id)
    if run.kind != "quarter":
        raise InvalidInput(_("run #{id} is a {kind}, not a quarterly check-in").format(
            id=run.id, kind=_(checks.KINDS[run.kind])))
    lines = checks.all_lines(run.id)
    by_holder: dict[tuple[str, str], Counter[str]] = {}
    for line in lines:
        by_holder.setdefault((line.location, line.holder), Counter())[line.result] += 1
    columns = ("returned", "kept", "damaged", "missing", "")
    table = [[place if place and place != holder else _("(no department)"), holder or "—",
              str(sum(counts.values())),
              *(str(counts[c]) for c in columns)]
             for (place, holder), counts in by_holder.items()]
    every = Counter(line.result for line in lines)
    table.append([_("Total"), "", str(len(lines)), *(str(every[c]) for c in columns)])
    open_lines = every[""]

    def listed(wanted: str) -> list[list[str]]:
        return [[str(n), line.reg_no, line.title, line.holder, line.note]
                for n, line in enumerate((x for x in lines if x.result == wanted), start=1)]

    def none_yet(done: str) -> str:
        """"None" only when it is true: while lines are open, none so far."""
        if not open_lines:
            return done
        return ngettext("None so far: {n} line is not resolved yet.",
                        "None so far: {n} lines are not resolved yet.", open_lines).format(
            n=open_lines)

    kept, damaged, missing = listed("kept"), listed("damaged"), listed("missing")
    copy_header = [_("No."), _("Number"), _("Title"), _("Custodian"), _("Reason")]
    document = TablesDocument(
        _("Quarterly check-in report (清交)"), _head(run, lines),
        [Section(_("By custodian"), [_("Department"), _("Custodian"), _("Copies"),
                                     _("Checked in"), _("Kept"), _("Damaged"), _("Missing"),
                                     _("Not resolved")], table,
                 [30, 26, 16, 17, 16, 16, 16, 16], frozenset({len(table) - 1})),
         Section(_("Copies kept by their custodians"), copy_header, kept,
                 COPY_WIDTHS, note=none_yet(_("No copy kept.")) if not kept else ""),
         Section(_("Copies damaged"), [*copy_header[:4], _("Damage")], damaged,
                 COPY_WIDTHS, note=none_yet(_("No copy damaged.")) if not damaged else ""),
         Section(_("Copies missing"), [*copy_header[:4], _("Note")], missing,
                 COPY_WIDTHS, note=none_yet(_("No copy missing.")) if not missing else "")],
        _signatures(run))
    return _save(session, document, f"checkin-{run.period}-{run.id}.docx", "export.checkin",
                 {"run": run.id, "period": run.period, "lines": len(lines),
                  "status": run.status}, folder)
