"""What the audit log calls its actions and the records they are about (catalog messages,
translated when shown)."""

from __future__ import annotations

from store.i18n import N_, _, language, ngettext

ACTIONS: dict[str, str] = {
    "store.init": N_("store created"),
    "audit.baseline": N_("row log begun: every row recorded as it stood"),
    "schema.migrate": N_("schema migrated"),
    "schema.upgrade": N_("store upgraded, after a safety backup"),
    "store.version": N_("a newer statdesk opened the store (no schema change)"),
    "login": N_("login"),
    "login.recovery": N_("login with the recovery code"),
    "login.failed": N_("failed login"),
    "session.lock": N_("session locked"),
    "session.logout": N_("logout"),
    "operator.add": N_("operator added"),
    "operator.passwd": N_("password changed"),
    "operator.disable": N_("operator disabled"),
    "setting.change": N_("setting changed"),
    "holiday.set": N_("holiday set"),
    "holiday.remove": N_("holiday removed"),
    "backup.make": N_("backup made"),
    "backup.verify": N_("backup verified"),
    "backup.remove": N_("old backup removed"),
    "store.restore": N_("store restored from a backup"),
    "key.rotate": N_("master key rotated, every keyslot re-made"),
    "store.rollback": N_("store found rolled back below what an operator had seen"),
    "store.rollback_ack": N_("rollback acknowledged by an administrator"),
    "store.tampered": N_("store found changed outside statdesk"),
    "operator.forged": N_("operator record found forged"),
    "card.add": N_("card entered"),
    "card.update": N_("card changed"),
    "card.correct": N_("card corrected"),
    "card.accept": N_("card accepted"),
    "card.returned": N_("card returned"),
    "card.void": N_("card voided"),
    "card.conclude": N_("case concluded (审结)"),
    "card.event": N_("case event recorded (退查, 重报, extension)"),
    "card.event_void": N_("case event voided"),
    "card.generate": N_("sample cards generated"),
    "card_draft.save": N_("card entry kept as a draft"),
    "card_draft.used": N_("card draft saved as a card"),
    "card_draft.replaced": N_("card draft kept again, changed"),
    "card_draft.discarded": N_("card draft discarded"),
    "export.return_list": N_("return list exported"),
    "month.lock": N_("month reported and locked"),
    "report.confirm": N_("figures confirmed with a department"),
    "report.zero": N_("a department said it has no cases this month (零报)"),
    "report.submit": N_("monthly report submitted"),
    "report.revise": N_("monthly report revised"),
    "export.report": N_("report exported"),
    "export.loans": N_("borrow desk file exported"),
    "analysis.add": N_("analysis report registered"),
    "analysis.void": N_("analysis report voided"),
    "deadline.done": N_("deadline marked done"),
    "person.add": N_("person put on record"),
    "item.register": N_("item registered"),
    "item.generate": N_("sample items generated"),
    "item.missing": N_("item reported missing"),
    "item.found": N_("missing item found again"),
    "incident.close": N_("incident closed"),
    "loan.read": N_("item read in the room"),
    "loan.lend": N_("item lent"),
    "loan.copy": N_("item copied"),
    "loan.return": N_("item returned"),
    "code.add": N_("code-table entry added"),
    "code.change": N_("code-table entry changed"),
    "code.retire": N_("code-table entry retired"),
    "code.reactivate": N_("code-table entry back in use"),
    "code.adopt": N_("the 2026 code tables adopted"),
    "document.receive": N_("classified document received"),
    "document.recipient": N_("distribution list widened, with approval"),
    "item.distribute": N_("copy distributed against signature"),
    "item.take_back": N_("copy handed back before the check-in"),
    "check.start": N_("checklist run started"),
    "hold.place": N_("hold placed"),
    "hold.lift": N_("hold lifted"),
    "batch.create": N_("destruction batch opened"),
    "batch.add": N_("item added to a destruction batch"),
    "batch.remove": N_("item taken off a destruction batch"),
    "batch.approve": N_("destruction approved and arranged"),
    "batch.print": N_("destruction manifest printed for signing"),
    "batch.execute": N_("destruction carried out"),
    "batch.cancel": N_("destruction batch cancelled"),
    "batch.certificate": N_("destruction certificate's text recorded"),
    "export.manifest": N_("destruction manifest exported"),
    "export.certificate": N_("destruction certificate exported"),
    "check.mark": N_("checklist line marked"),
    "check.unmark": N_("checklist mark taken back"),
    "check.close": N_("checklist run closed and signed"),
    "export.checklist": N_("checklist exported"),
    "export.register": N_("secrecy register exported"),
    "export.checkin": N_("check-in report exported"),
}
"""Every action the log records, with its label (a catalog message)."""

ENTITIES: dict[str, str] = {
    "store": N_("store"),
    "schema": N_("schema"),
    "operator": N_("operator"),
    "setting": N_("setting"),
    "holiday": N_("holiday"),
    "backup": N_("backup"),
    "card": N_("card"),
    "card_draft": N_("card draft"),
    "export": N_("export"),
    "month": N_("month"),
    "report": N_("monthly report"),
    "analysis": N_("analysis report"),
    "deadline": N_("deadline"),
    "person": N_("person"),
    "item": N_("item"),
    "incident": N_("incident"),
    "code": N_("code-table entry"),
    "document": N_("classified document"),
    "check_run": N_("checklist run"),
    "hold": N_("hold"),
    "batch": N_("destruction batch"),
}
"""What kind of record an entry is about, with its label."""

CARD_FIELDS: dict[str, str] = {
    "department": N_("Department"),
    "business_type": N_("Business type"),
    "case_no": N_("Case number"),
    "unified_no": N_("Unified case no."),
    "case_name": N_("Case name"),
    "charge": N_("Charge"),
    "persons": N_("Persons"),
    "accepted_on": N_("Accepted on"),
    "month": N_("Statistical month"),
    "concluded_on": N_("Concluded on"),
    "concluded_month": N_("Concluded in month"),
    "outcome": N_("Outcome"),
    "outcome_persons": N_("Persons (outcome)"),
    "plea_persons": N_("Persons with guilty plea"),
    "amount": N_("Amount (yuan)"),
    "rank": N_("Rank"),
    "major": N_("Major case"),
    "major_override": N_("Override reason"),
    "remarks": N_("Remarks"),
    "custody": N_("Custody"),
    "plea": N_("Guilty plea"),
    "minor": N_("Minor"),
    "outcome_kind": N_("Outcome kind"),
    "people": N_("Persons"),
    "status": N_("Status"),
    "acknowledged": N_("Warnings acknowledged"),
    "return_reason": N_("Returned because"),
    "problems": N_("Problems found"),
    "event": N_("Event"),
    "kind": N_("Kind"),
}
"""What a card's audited fields are called (catalog messages): a change is shown by these
labels, never by the column's name."""

CARD_VALUES: dict[str, dict[str, str]] = {
    "status": {"draft": N_("draft"), "submitted": N_("entered"), "returned": N_("returned"),
               "accepted": N_("accepted"), "reported": N_("reported"), "void": N_("void"),
               "active": N_("in force")},
    "major": {"auto": N_("automatic, from amount and rank"), "": N_("none"),
              "major": N_("major case 大案"), "key": N_("key case 要案"),
              "both": N_("both 大案要案")},
    "kind": {"returned": N_("sent back (退查)"), "resent": N_("re-sent (重报)"),
             "extended": N_("time limit extended")},
}
"""The labels of stored values that are words (a status, the major-case choice, an event's
kind), by field; codes of the code tables are named by the tables themselves."""


def field_label(name: str) -> str:
    """A card field's label in the current language (the name itself when unknown)."""
    return _(CARD_FIELDS[name]) if name in CARD_FIELDS else name


def value_label(name: str, value: object) -> str:
    """A stored value of the field `name` as the clerk calls it: its label where the value is
    a word the store keeps (`submitted` is 已录入), else the value itself; blank is NONE."""
    words = CARD_VALUES.get(name, {})
    if isinstance(value, str) and value in words:
        return _(words[value])
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if name == "problems" and isinstance(value, list):  # those a card was returned with
        return ", ".join(str(p.get("code", "")) for p in value if isinstance(p, dict)) or NONE
    if isinstance(value, list):
        return ngettext("{n} person", "{n} persons", len(value)).format(n=len(value))
    return NONE if value in ("", None) else str(value)


NONE = "-"
"""A blank value, as the app shows one (tui.glyphs.NONE: a console font has "-")."""


def change_words(old: dict[str, object] | None, new: dict[str, object] | None) -> str:
    """What a change did, field by field, in words: "Status: entered -> returned; ..."
    (console glyphs only, as tui.glyphs has them)."""
    if not old or not new:
        return ""
    between = "；" if language() == "zh" else "; "  # the list separator of the language
    return between.join(_("{field}: {old} -> {new}").format(
        field=field_label(name), old=value_label(name, old.get(name)),
        new=value_label(name, value)) for name, value in new.items())
