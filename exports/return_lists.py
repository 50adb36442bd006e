"""Making a department's return list: the returned cards, their problems, logged as a carrier."""

from __future__ import annotations

from pathlib import Path

from exports import carrier
from store import clock, settings
from store.cards import codes
from store.cards import entry as cards
from store.cards import review as card_review
from store.cards.rules import Violation, said
from store.errors import InvalidInput
from store.i18n import _, ngettext
from store.vault.session import Session


def _said(violation: Violation) -> str:
    return f"{violation.code} {said(violation)}"


def labels(returned: int) -> dict[str, str]:
    """The list's words in the reader's language, for a list of `returned` cards."""
    return {"title": _("Return list of case registration cards"),
            "heading": _("{unit} · {department} · statistical month {month}"),
            "no": _("No."), "case_no": _("Case number"), "case_name": _("Case name"),
            "problems": _("Problems found"), "reason": _("What to correct"),
            "total": ngettext("{n} card returned for correction.",
                              "{n} cards returned for correction.", returned),
            "made": _("Made by {who} on {day}."),
            "sign": _("Received by the department (signature and date): ____________________")}


def make(session: Session, month: str, department: str, folder: Path | None = None) -> Path:
    """Write the return list as Word into `exports/`; the file is logged (who, what, SHA-256)."""
    from exports import return_list  # Word's libraries load when a list is made, not before

    found = card_review.returned_in(month, department)
    if not found:
        raise InvalidInput(_("no returned cards of {department} in {month}").format(
            department=department, month=month))
    entries = []
    for card in found:
        checked = cards.validate(card.as_input(), card.id)
        entries.append(return_list.ReturnedCard(card.case_no, card.case_name,
                                                "; ".join(_said(v) for v in checked.problems),
                                                card.return_reason))
    name = (codes.get("department", department).name  # type: ignore[union-attr]
            if codes.get("department", department) else department)
    data = return_list.ReturnList(settings.current().unit_name, name, month,
                                  session.actor.display_name, clock.today().isoformat(), entries)
    words = labels(len(entries))
    return carrier.write(session, lambda path, head: return_list.write(path, data, words, head),
                         f"return-list-{department}-{month}.docx", "export.return_list",
                         {"cards": len(entries), "month": month, "department": department},
                         folder)
