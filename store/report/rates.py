"""The report's rates (不捕率, 不诉率, 认罪认罚适用率, 诉前羁押率): each a ratio of persons (人)
counted in the report, with its formula as printed under the table, in Chinese and English.

Codes: 审查逮捕 SCDB concludes with 批准逮捕 PZDB or 不批准逮捕 BPDB; 审查起诉 SCQS with 提起公诉
TQGS or 不起诉 BQS; "SCQS:plea" counts the persons of concluded 审查起诉 cases who pleaded
guilty and accepted punishment (认罪认罚).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RateValue:
    """A rate over one period: numerator ÷ denominator (persons)."""

    numerator: int
    denominator: int

    @property
    def percent(self) -> float | None:
        """None when the denominator is 0 (nothing to rate)."""
        return None if self.denominator == 0 else 100.0 * self.numerator / self.denominator


@dataclass(frozen=True)
class Rate:
    """One of the report's rates, its formula, and its value for each period."""

    key: str
    name_zh: str
    name_en: str
    formula_zh: str
    formula_en: str
    numerator: tuple[str, ...]
    """The report's keys whose persons make the numerator."""
    denominator: tuple[str, ...]
    values: dict[str, RateValue] = field(default_factory=dict)
    """By period ("month", "ytd", "month_ly", "ytd_ly")."""

    def value(self, period: str = "month") -> RateValue:
        return self.values.get(period, RateValue(0, 0))

    def name(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_zh

    def formula(self, language: str) -> str:
        return self.formula_en if language == "en" else self.formula_zh


RATES = (
    Rate("no_arrest", "不捕率", "non-arrest rate",
         "不捕率 = 不批准逮捕人数 ÷ (批准逮捕人数 + 不批准逮捕人数)",
         "non-arrest rate = persons not approved for arrest ÷ (persons approved for arrest"
         " + persons not approved for arrest)",
         ("SCDB:concluded/BPDB",), ("SCDB:concluded/PZDB", "SCDB:concluded/BPDB")),
    Rate("no_prosecution", "不诉率", "non-prosecution rate",
         "不诉率 = 不起诉人数 ÷ (起诉人数 + 不起诉人数)",
         "non-prosecution rate = persons not prosecuted ÷ (persons prosecuted + persons not"
         " prosecuted)",
         ("SCQS:concluded/BQS",), ("SCQS:concluded/TQGS", "SCQS:concluded/BQS")),
    Rate("plea", "认罪认罚适用率", "guilty-plea rate",
         "认罪认罚适用率 = 审查起诉审结人数中认罪认罚人数 ÷ 审查起诉审结人数",
         "guilty-plea rate = persons who pleaded guilty and accepted punishment among those"
         " concluded in prosecution review ÷ persons concluded in prosecution review",
         ("SCQS:plea",), ("SCQS:concluded",)),
    Rate("pretrial_detention", "诉前羁押率", "pre-trial detention rate",
         "诉前羁押率 = 批捕人数 ÷ (起诉人数 + 不诉人数)",
         "pre-trial detention rate = persons approved for arrest ÷ (persons prosecuted"
         " + persons not prosecuted)",
         ("SCDB:concluded/PZDB",), ("SCQS:concluded/TQGS", "SCQS:concluded/BQS")),
)


def rates(persons: Callable[[str, str], int], periods: tuple[str, ...]) -> list[Rate]:
    """Every rate with its values; `persons(period, key)` reads the report's unit figures."""
    found = []
    for rate in RATES:
        values = {period: RateValue(sum(persons(period, k) for k in rate.numerator),
                                    sum(persons(period, k) for k in rate.denominator))
                  for period in periods}
        found.append(Rate(rate.key, rate.name_zh, rate.name_en, rate.formula_zh,
                          rate.formula_en, rate.numerator, rate.denominator, values))
    return found
