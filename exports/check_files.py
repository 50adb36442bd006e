"""Word files of the checklist runs (A2, D5, D11): the checklist of a run (its exceptions
first, or one line saying there are none, then every line by cabinet in walking order) and
the quarterly check-in report by custodian. Each is written into exports/ and logged with
its SHA-256. The register of classified documents received is exports.register_files.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from exports import tables_doc
from exports.register_files import register as register
from exports.tables_doc import Section, TablesDocument
from store import settings
from store.custody import desk, items
from store.errors import InvalidInput
from store.i18n import N_, _, ngettext
from store.secrecy import checks
from store.secrecy.checks import Line, Run
from store.vault.session import Session

TITLES = {"holiday": N_("Holiday-eve secure-storage checklist"),
          "quarter": N_("Quarterly check-in checklist of classified copies"),
          "inventory": N_("Full inventory checklist"),
          "spot": N_("Spot-check checklist")}
# Landscape A4 (243 mm of text): a number of 统-2026-0001's length needs 32 mm, a date 25.
LINE_WIDTHS: list[float] = [14, 32, 72, 22, 48, 27, 28]
EXCEPTION_WIDTHS: list[float] = [14, 32, 52, 30, 50, 27, 38]
COPY_WIDTHS: list[float] = [12, 30, 44, 18, 22, 30]  # portrait: 156 mm
COPY_WHOLE = frozenset({0, 1, 3})  # 序号, the number, the classification
BLANK = "____________________"
BLANK_NAME = "____________"
"""Where an operator with no name of their own is meant: written in by hand, never a login."""
_LARGEST = 2**63 - 1  # SQLite's integers


def _unit() -> str:
    return settings.current().printed_unit()


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
            _("Run #{id}: {kind}").format(id=run.id, kind=_(checks.KINDS[run.kind])),
            period,
            _("Started {when} by {who}").format(when=_stamp(run.started_at),
                                                who=run.starter or BLANK_NAME),
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
                   frozenset({len(table) - 1}), whole=frozenset({1}))


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
            table.append([_("{place} ({n})").format(place=_place(run, line), n=sizes[place])])
        table.append([str(line.seq), line.reg_no, line.title,
                      _(items.LEVELS[line.classification]), expected(line, loans),
                      result(line), line.note])
    return Section(_("Copies by department") if run.kind == "quarter"
                   else _("Lines by location, in walking order"),
                   [_("No."), _("Number"), _("Title"), _("Classification"), _("Expected"),
                    _("Result"), _("Note")], table, LINE_WIDTHS,
                   group_rows=frozenset(groups), whole=frozenset({0, 1}))


def checklist(session: Session, run_id: int, folder: Path | None = None) -> Path:
    """The checklist of a run, to walk and sign: its exceptions first, then every line by
    location in walking order, the totals by result, the checker's and supervisor's lines."""
    run = _run(run_id)
    lines = checks.all_lines(run.id)
    loans = loans_of(run, lines)
    odd = [line for line in lines if is_exception(line)]
    head = _head(run, lines)
    sections = [walk_section(run, lines, loans), _totals(run, lines)]
    if lines and not any(line.result for line in lines):  # printed to walk: not twice over
        head.append(ngettext("Exceptions: none yet, nothing is marked: the {n} line below is "
                             "to be checked.",
                             "Exceptions: none yet, nothing is marked: all {n} lines below "
                             "are to be checked.", len(lines)).format(n=len(lines)))
    elif not odd:  # one line, not an empty table alone on the first page
        head.append(_("Exceptions: none. Every line is resolved as expected."))
    else:
        sections.insert(0, Section(
            _("Exceptions: {n}").format(n=len(odd)),
            [_("No."), _("Number"), _("Title"), _("Location"), _("Expected"), _("Result"),
             _("Note")],
            [[str(line.seq), line.reg_no, line.title, _place(run, line), expected(line, loans),
              result(line), line.note] for line in odd], EXCEPTION_WIDTHS,
            whole=frozenset({0, 1})))
    document = TablesDocument(_(TITLES[run.kind]), head, sections, _signatures(run),
                              landscape=True)
    return _save(session, document, f"checklist-{run.id}.docx", "export.checklist",
                 {"run": run.id, "kind": run.kind, "lines": len(lines),
                  "status": run.status}, folder)


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
        return [[str(n), line.reg_no, line.title, _(items.LEVELS[line.classification]),
                 line.holder, line.note]
                for n, line in enumerate((x for x in lines if x.result == wanted), start=1)]

    def none_yet(done: str) -> str:
        """"None" only when it is true: while lines are open, none so far."""
        if not open_lines:
            return done
        return ngettext("None so far: {n} line is not resolved yet.",
                        "None so far: {n} lines are not resolved yet.", open_lines).format(
            n=open_lines)

    kept, damaged, missing = listed("kept"), listed("damaged"), listed("missing")
    copy_header = [_("No."), _("Number"), _("Title"), _("Classification"), _("Custodian"),
                   _("Reason")]
    document = TablesDocument(
        _("Quarterly check-in report (清交)"), _head(run, lines),
        [Section(_("By custodian"), [_("Department"), _("Custodian"), _("Copies"),
                                     _("Checked in"), _("Kept"), _("Damaged"), _("Missing"),
                                     _("Not resolved")], table,
                 [30, 26, 16, 17, 16, 16, 16, 16], frozenset({len(table) - 1}),
                 whole=frozenset(range(2, 8))),
         Section(_("Copies kept by their custodians"), copy_header, kept,
                 COPY_WIDTHS, note=none_yet(_("No copy kept.")) if not kept else "",
                 whole=COPY_WHOLE),
         Section(_("Copies damaged"), [*copy_header[:5], _("Damage")], damaged,
                 COPY_WIDTHS, note=none_yet(_("No copy damaged.")) if not damaged else "",
                 whole=COPY_WHOLE),
         Section(_("Copies missing"), [*copy_header[:5], _("Note")], missing,
                 COPY_WIDTHS, note=none_yet(_("No copy missing.")) if not missing else "",
                 whole=COPY_WHOLE)],
        _signatures(run))
    return _save(session, document, f"checkin-{run.period}-{run.id}.docx", "export.checkin",
                 {"run": run.id, "period": run.period, "lines": len(lines),
                  "status": run.status}, folder)
