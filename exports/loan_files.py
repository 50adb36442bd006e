"""Word files of the borrow desk: the slip of a reading, a loan or a copy (查阅 / 借阅 / 复印
登记单), the loan ledger and the overdue list — each written into exports/ and logged with its
SHA-256."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from exports import tables_doc
from exports.tables_doc import Section, TablesDocument
from store import clock, settings
from store.custody import desk, items
from store.dates import parse_date
from store.errors import InvalidInput
from store.i18n import N_, _, ngettext
from store.vault.session import Session

SLIP_TITLES = {"read": N_("Reading slip"), "lend": N_("Borrow slip"), "copy": N_("Copy slip")}
"""Each mode's slip by its own name: nothing reads as lent out that stays in the room."""
LEDGER_MODES = {"read": N_("reading"), "lend": N_("lent"), "copy": N_("copied")}
"""Each mode in a word, as the ledger's narrow column says it (查阅 / 借出 / 复印)."""
CONDITION_BOXES = N_("in the condition: intact / damaged / altered / marked / soiled")


def _save(session: Session, document: TablesDocument, name: str, kind: str,
          folder: Path | None) -> Path:
    return tables_doc.save(session, document, name, "export.loans", {"kind": kind}, folder)


def _unit() -> str:
    return settings.current().printed_unit()


def _slip_lines(first: desk.SlipLine, count: int) -> tuple[list[str], list[str]]:
    """The lines under a slip's title and its lines to sign, in the words of its mode:
    who came (B1, B2), when, what the rules ask of them (B3–B5), who signs and how it comes
    back."""
    external, mode = first.role == "external", str(first.mode)
    where = first.unit if external else first.department
    day = str(first.opened_at)[:16].replace("T", " ")
    who = {"read": _("Reader: {name} ({where})"), "lend": _("Borrower: {name} ({where})"),
           "copy": _("Copy requested by: {name} ({where})")}[mode]
    lines = [_unit(), who.format(name=first.name, where=where),
             _("Mode: {mode}").format(mode=_(desk.MODES[mode])),
             (_("Introduction letter {number}, issued by {organ}").format(
                 number=first.letter_no, organ=first.issuing_organ) if external else
              _("Borrow slip {number}").format(number=first.slip_no))]
    if mode == "read":
        lines.append(_("Read in the room on {day}, returned the same day").format(day=day))
        if external:  # B4: the procuratorate's material is used inside it only
            lines.append(_("For use in the reading room only: nothing is carried out of the "
                           "procuratorate."))
    elif mode == "lend":
        lines.append(_("Lent out on {day}, back by {due}").format(day=day, due=first.due_on))
    else:
        lines.append(_("Copied on {day}, the copies recovered by {due}").format(
            day=day, due=first.due_on))
        lines.append(_("Each copy is registered and kept as its original is, and comes back to "
                       "the office."))
    if mode != "copy":  # B5
        lines.append(_("No re-lending; excerpts and copies only with the deputy chief's "
                       "approval."))
    sign = [{"read": _("Reader (signature and date): ____________________"),
             "lend": _("Borrower (signature and date): ____________________"),
             "copy": _("Requested by (signature and date): ____________________")}[mode]]
    if not external:  # B1
        sign.append(_("Department head {name} (signature): ____________________").format(
            name=first.head))
    if first.approver:  # B2 (an external unit), B3 (lending), B5 (a copy)
        sign.append(_("Deputy chief prosecutor {name} (signature): ____________________")
                    .format(name=first.approver))
    if first.secrecy:  # a copy: the secrecy committee office approves
        sign.append(_("Secrecy committee office {name} (signature): ____________________")
                    .format(name=first.secrecy))
    condition = _(CONDITION_BOXES)
    sign.append({
        "read": _("Returned the same day at ________ {condition}. Received by: ____________"),
        "lend": _("Returned on ________ {condition}. Received by: ____________"),
        "copy": ngettext("{n} copy made, recovered on ________ {condition}. Received by: "
                         "____________", "{n} copies made, all recovered on ________ "
                         "{condition}. Received by: ____________", count),
    }[mode].format(condition=condition, n=count))
    return lines, sign


def slip(session: Session, loan_ids: list[int], folder: Path | None = None) -> Path:
    """One slip for the items read, lent or copied together, in the words of its mode, with
    the lines the rules ask to sign."""
    if not loan_ids:
        raise InvalidInput(_("no loan to write a slip for"))
    found = desk.slip_lines(loan_ids)
    if not found:
        raise InvalidInput(_("no loan to write a slip for"))
    first = found[0]
    lines, sign = _slip_lines(first, len(found))
    if first.mode == "copy":  # the copies' own numbers, each beside its original's
        header = [_("No."), _("Copy's number"), _("Original's number"), _("Title"),
                  _("Classification"), _("Pages")]
        table = [[str(n), str(r.reg_no), str(r.original), str(r.title),
                  _(items.LEVELS[str(r.classification)]), str(r.pages)]
                 for n, r in enumerate(found, start=1)]
        widths: list[float] = [12, 30, 30, 48, 22, 14]
        whole = frozenset({0, 1, 2, 5})
    else:
        header = [_("No."), _("Number"), _("Title"), _("Classification"), _("Pages")]
        table = [[str(n), str(r.reg_no), str(r.title), _(items.LEVELS[str(r.classification)]),
                  str(r.pages)] for n, r in enumerate(found, start=1)]
        widths, whole = [12.0, 30, 76, 22, 16], frozenset({0, 1, 4})
    document = TablesDocument(
        _(SLIP_TITLES[str(first.mode)]), lines,
        [Section(_("Items"), header, table, widths, whole=whole)], sign)
    return _save(session, document, f"borrow-slip-{loan_ids[0]}.docx", "slip", folder)


def ledger(session: Session, first_text: str, last_text: str,
           folder: Path | None = None) -> Path:
    """The loan ledger (C11): every loan opened between two dates — the item and its level,
    the borrower and their department or unit, the slip or letter — with its return."""
    first, last = parse_date(first_text), parse_date(last_text)
    if last < first:
        raise InvalidInput(_("the range ends before it begins"))
    found = desk.loans_between(first, last)
    table: list[list[str]] = []
    days: set[int] = set()
    day = ""
    for r in found:  # the loans of each day under the day, which heads every page it runs to
        if r.opened_on != day:
            day = r.opened_on
            days.add(len(table))
            table.append([day] + [""] * 10)
        table.append([r.reg_no, r.title, _(items.LEVELS[r.classification]), r.borrower,
                      r.department or "—", _(LEDGER_MODES.get(r.mode, r.mode)),
                      r.reference or "—", r.signed_by or "—", r.due_on or "—",
                      r.returned_on or "—",
                      _(desk.CONDITIONS[r.condition]) if r.condition else "—"])
    document = TablesDocument(
        _("Loan ledger"), [_unit(), ngettext(
            "{first} to {last}: {n} loan", "{first} to {last}: {n} loans", len(found)).format(
                first=first.isoformat(), last=last.isoformat(), n=len(found))],
        [Section(_("Loans"), [_("Number"), _("Title"), _("Classification"), _("Borrower"),
                              _("Department or unit"), _("Mode"), _("Slip or letter"),
                              _("Signed or approved by"), _("Due"), _("Returned on"),
                              _("Condition")], table,
                 # 243 mm of landscape: a number needs 31, a date 27, a word of two
                 # characters 12.5; the title has the rest, and gives room to a long letter's
                 # number
                 [31.5, 48, 12.5, 16.5, 18, 12.5, 20, 16.5, 27.5, 27.5, 12.5],
                 note=_("No loans in this range.") if not found else "",
                 group_rows=frozenset(days), whole=frozenset({0, 6, 8, 9}))],
        [_("Kept by: ____________    Checked by: ____________")], landscape=True)
    return _save(session, document, f"loan-ledger-{first}-{last}.docx", "ledger", folder)


def _days_late(due: str, as_of: date) -> str:
    """Whole days from the due date to `as_of`; "—" when not yet due or no date was set."""
    if not due:
        return "—"
    days = (as_of - date.fromisoformat(due)).days
    return str(days) if days > 0 else "—"


def overdue_list(session: Session, folder: Path | None = None, today: date | None = None,
                 ) -> Path:
    """Overdue loans and copies not yet recovered as of a day, for chasing them up."""
    as_of = today or clock.today()
    late, copies = desk.overdue(as_of), desk.outstanding_copies()
    header = [_("Number"), _("Title"), _("Borrower"), _("Opened on"), _("Due"),
              _("Days overdue")]
    widths: list[float] = [30, 45, 18, 25, 25, 13]
    whole = frozenset({0, 3, 4, 5})

    def table(found: list[desk.OpenLoan]) -> list[list[str]]:
        return [[o.reg_no, o.title, o.borrower, o.opened_at[:10], o.due_on or "—",
                 _days_late(o.due_on, as_of)] for o in found]

    document = TablesDocument(
        _("Overdue loans and copies not recovered"),
        [_unit(), _("As of {day}").format(day=as_of.isoformat())],
        [Section(_("Overdue"), header, table(late), widths,
                 note=_("Nothing overdue.") if not late else "", whole=whole),
         Section(_("Copies not recovered"), header, table(copies), widths,
                 note=_("Every copy recovered.") if not copies else "", whole=whole)],
        [_("Made by: ____________    Date: ____________")])
    return _save(session, document, "overdue-list.docx", "overdue", folder)
