"""Word files of the borrow desk: the borrow slip (借阅登记单), the loan ledger (C11) and the
overdue list — each written into exports/ and logged with its SHA-256."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from exports import tables_doc
from exports.tables_doc import Section, TablesDocument
from store import settings
from store.custody import desk, items
from store.dates import parse_date
from store.errors import InvalidInput
from store.i18n import _, ngettext
from store.vault.session import Session


def _save(session: Session, document: TablesDocument, name: str, kind: str,
          folder: Path | None) -> Path:
    return tables_doc.save(session, document, name, "export.loans", {"kind": kind}, folder)


def _unit() -> str:
    return settings.current().printed_unit()


def slip(session: Session, loan_ids: list[int], folder: Path | None = None) -> Path:
    """One borrow slip for the items lent together, with the lines the rules ask to sign."""
    if not loan_ids:
        raise InvalidInput(_("no loan to write a slip for"))
    found = desk.slip_lines(loan_ids)
    if not found:
        raise InvalidInput(_("no loan to write a slip for"))
    first = found[0]
    external = first.role == "external"
    lines = [_unit(),
             _("Borrower: {name} ({where})").format(
                 name=first.name, where=first.unit if external else first.department),
             _("Mode: {mode}").format(mode=_(desk.MODES[str(first.mode)])),
             (_("Introduction letter {number}, issued by {organ}").format(
                 number=first.letter_no, organ=first.issuing_organ) if external else
              _("Borrow slip {number}").format(number=first.slip_no)),
             (_("Opened {day} · back by {due}") if first.due_on else _("Opened {day}")).format(
                 day=str(first.opened_at)[:16].replace("T", " "), due=first.due_on)]
    table = [[str(n), str(r.reg_no), str(r.title), _(items.LEVELS[str(r.classification)]),
              str(r.pages)] for n, r in enumerate(found, start=1)]
    head, approver, secrecy = first.head, first.approver, first.secrecy
    sign = [_("Borrower (signature and date): ____________________")]
    if not external:
        sign.append(_("Department head {name} (signature): ____________________").format(
            name=head))
    if approver:
        sign.append(_("Deputy chief prosecutor {name} (signature): ____________________")
                    .format(name=approver))
    if secrecy:
        sign.append(_("Secrecy committee office {name} (signature): ____________________")
                    .format(name=secrecy))
    sign.append(_("Returned on ________ in the condition: intact / damaged / altered / marked "
                  "/ soiled (B6). Received by: ____________"))
    document = TablesDocument(
        _("Borrow slip (借阅登记单)"), lines,
        [Section(_("Items"), [_("No."), _("Number"), _("Title"), _("Classification"),
                              _("Pages")], table, [12, 36, 70, 22, 16])], sign)
    return _save(session, document, f"borrow-slip-{loan_ids[0]}.docx", "slip", folder)


def ledger(session: Session, first_text: str, last_text: str,
           folder: Path | None = None) -> Path:
    """The loan ledger (C11): every loan opened between two dates, with its return."""
    first, last = parse_date(first_text), parse_date(last_text)
    if last < first:
        raise InvalidInput(_("the range ends before it begins"))
    found = desk.loans_between(first, last)
    table = [[day, number, title, who, _(desk.MODES.get(mode, mode)), reference, signed,
              due or "—", back or "—", _(desk.CONDITIONS[cond]) if cond else "—"]
             for day, number, title, who, mode, reference, signed, due, back, cond in found]
    document = TablesDocument(
        _("Loan ledger (C11)"), [_unit(), ngettext(
            "{first} to {last}: {n} loan", "{first} to {last}: {n} loans", len(found)).format(
                first=first.isoformat(), last=last.isoformat(), n=len(found))],
        [Section(_("Loans"), [_("Opened"), _("Number"), _("Title"), _("Borrower"), _("Mode"),
                              _("Slip or letter"), _("Signed or approved by"), _("Due"),
                              _("Returned"), _("Condition")], table,
                 [25, 30, 42, 18, 16, 22, 20, 25, 25, 14],  # 237 mm; a date needs 25
                 note=_("No loans in this range.") if not found else "")],
        [_("Kept by: ____________    Checked by: ____________")], landscape=True)
    return _save(session, document, f"loan-ledger-{first}-{last}.docx", "ledger", folder)


def overdue_list(session: Session, folder: Path | None = None, today: date | None = None,
                 ) -> Path:
    """Overdue loans and copies not yet recovered, for chasing them up."""
    late, copies = desk.overdue(today), desk.outstanding_copies()
    header = [_("Number"), _("Title"), _("Borrower"), _("Opened"), _("Due")]

    def table(found: list[desk.OpenLoan]) -> list[list[str]]:
        return [[o.reg_no, o.title, o.borrower, o.opened_at[:10], o.due_on or "—"]
                for o in found]

    document = TablesDocument(
        _("Overdue loans and copies not recovered"), [_unit()],
        [Section(_("Overdue"), header, table(late), [30, 56, 26, 22, 22],
                 note=_("Nothing overdue.") if not late else ""),
         Section(_("Copies not recovered (D7)"), header, table(copies), [30, 56, 26, 22, 22],
                 note=_("Every copy recovered.") if not copies else "")],
        [_("Made by: ____________    Date: ____________")])
    return _save(session, document, "overdue-list.docx", "overdue", folder)
