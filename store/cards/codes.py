"""Code tables: departments, business types, outcomes per type, charges, ranks (data, not code)."""

from __future__ import annotations

from dataclasses import dataclass, fields

from store.i18n import language
from store.vault.database import record, records

KINDS = ("department", "business_type", "outcome", "charge", "rank")


@dataclass(frozen=True)
class Code:
    """An entry of a code table, as pick lists, checks and reports see it."""

    kind: str
    code: str
    name_zh: str
    name_en: str
    short: str
    parent: str
    status: str

    @property
    def name(self) -> str:
        """The name in the current language."""
        return self.name_en if language() == "en" else self.name_zh

    def matches(self, typed: str) -> bool:
        """A pick-list filter: the code, the short code (pinyin initials) or part of a name."""
        typed = typed.strip().lower()
        return not typed or any(typed in value.lower() for value in
                                (self.code, self.short, self.name_zh, self.name_en))


_COLUMNS = ", ".join(f.name for f in fields(Code))


def all_codes(kind: str, include_retired: bool = False) -> list[Code]:
    where = "kind = ?" + ("" if include_retired else " AND status = 'active'")
    return records(Code, f"SELECT {_COLUMNS} FROM code WHERE {where} ORDER BY sort, code",
                   (kind,))


def active_tables() -> dict[str, list[Code]]:
    """Every table's active entries, each in its table's order, read in one query (the rules'
    context, on every check of a card)."""
    tables: dict[str, list[Code]] = {kind: [] for kind in KINDS}
    for code in records(Code, f"SELECT {_COLUMNS} FROM code WHERE status = 'active'"
                              " ORDER BY sort, code"):
        tables.setdefault(code.kind, []).append(code)
    return tables


def get(kind: str, code: str) -> Code | None:
    return record(Code, f"SELECT {_COLUMNS} FROM code WHERE kind = ? AND code = ?", (kind, code))


def outcomes_for(business_type: str) -> list[Code]:
    return [c for c in all_codes("outcome") if c.parent == business_type]


def search(kind: str, typed: str, parent: str = "") -> list[Code]:
    """Active entries matching what was typed (by code, pinyin initials or name)."""
    return [c for c in all_codes(kind) if (not parent or c.parent == parent) and c.matches(typed)]
