"""Making a department's return list: the returned cards with the problems and reason of their
return, as they stood then (never checked again on the day it is printed), logged as a carrier."""

from __future__ import annotations

from pathlib import Path

from store import clock, settings
from store.cards import codes
from store.cards import review as card_review
from store.errors import InvalidInput
from store.i18n import _, language, ngettext
from store.vault.session import Session


def labels(returned: int) -> dict[str, str]:
    """The list's words in the reader's language, for a list of `returned` cards."""
    return {"title": _("Return list of case registration cards"),
            "heading": _("{unit} · {department} · statistical month {month}"),
            "cards": _("Returned cards"),
            "no": _("No."), "case_no": _("Case number"), "case_name": _("Case name"),
            "problems": _("Problems found"), "reason": _("What to correct"),
            "total": ngettext("{n} card returned for correction.",
                              "{n} cards returned for correction.", returned),
            "made": _("Made by {who} on {day}."),
            "sign": _("Received by the department (signature and date): ____________________")}


def problems_said(returned: card_review.Return) -> str:
    """The problems of a card's return in words, each with its rule code; a return made before
    they were kept says so (they are never checked again today)."""
    if returned.problems is None:
        return _("(not recorded at the return)")
    between = "；" if language() == "zh" else "; "  # the list separator of the language
    return between.join(f"{p.code} {p.said()}" for p in returned.problems)


def make(session: Session, month: str, department: str, folder: Path | None = None) -> Path:
    """Write the return list as Word into `exports/`; the file is logged (who, what, SHA-256)."""
    from exports import return_list, tables_doc  # Word's libraries load when a list is made

    found = card_review.returns_in(month, department)
    if not found:
        raise InvalidInput(_("no returned cards of {department} in {month}").format(
            department=department, month=month))
    entries = [return_list.ReturnedCard(r.card.case_no, r.card.case_name, problems_said(r),
                                        r.reason) for r in found]
    code = codes.get("department", department)
    name = code.name if code else department
    data = return_list.ReturnList(settings.current().unit_name, name, month,
                                  session.actor.display_name, clock.today().isoformat(), entries)
    document = return_list.document(data, labels(len(entries)))
    return tables_doc.save(session, document, f"return-list-{department}-{month}.docx",
                           "export.return_list",
                           {"cards": len(entries), "month": month, "department": department},
                           folder)
