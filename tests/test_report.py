"""The monthly report against hand-counted cards: 件 and 人, year to date, 同比."""

from __future__ import annotations

import pytest

from store.errors import InvalidInput
from store.report import figures as report
from store.report.figures import Change, Count
from store.vault.session import Session
from tests.report_fixture import insert


def test_the_month_counts_accepted_cards_in_cases_and_persons(session: Session) -> None:
    insert()
    built = report.build("2026-11")
    assert built.count() == Count(6, 8)  # 2+1+1 review, 1+2 arrest, 1 own investigation
    assert built.count(business_type="SCQS") == Count(3, 4)
    assert built.count(business_type="SCQS", outcome="TQGS") == Count(2, 3)
    assert built.count(business_type="SCQS", outcome="BQS") == Count(1, 1)
    assert built.count(business_type="SCDB", outcome="") == Count(1, 2)
    assert built.count(department="D06") == Count(1, 1)
    assert built.departments == ["D01", "D06"]
    assert not built.locked and not built.empty


def test_year_to_date_and_the_same_period_last_year(session: Session) -> None:
    insert()
    built = report.build("2026-11")
    assert built.count("ytd") == Count(8, 11)  # + October 1 person, January 2 persons
    assert built.count("month_ly") == Count(4, 4)
    assert built.count("ytd_ly") == Count(5, 5)  # December 2025 is after November
    change = built.change("month", business_type="SCQS")
    assert (change.now, change.before, change.diff, change.percent) == (3, 4, -1, -25.0)
    assert built.change("ytd").percent == pytest.approx(60.0)  # 8 against 5
    own = built.change("month", business_type="ZZLA")
    assert (own.diff, own.percent) == (1, None)  # nothing a year earlier: no percentage
    assert Change(0, 0).percent is None


def test_the_lines_follow_the_code_tables(session: Session) -> None:
    insert()
    lines = report.build("2026-11").lines
    first = [(line.business_type, line.outcome) for line in lines[:4]]
    assert first == [("SCDB", None), ("SCDB", "PZDB"), ("SCDB", "BPDB"), ("SCDB", "")]
    assert {line.business_type for line in lines if line.outcome is None} >= {
        "SCDB", "SCQS", "ZZLA", "MSXZ", "XSZX", "KGSS", "GYSS"}


def test_an_empty_month_is_a_report_of_zeros(session: Session) -> None:
    built = report.build("2030-02")
    assert built.empty and built.count("ytd") == Count() and built.departments == []


@pytest.mark.parametrize("bad", ["2026-13", "2026-1x", "", "26-11", "2026-00"])
def test_a_month_that_is_not_one_gets_one_clear_line(session: Session, bad: str) -> None:
    with pytest.raises(InvalidInput, match="2026-11"):
        report.build(bad)


def test_the_trend_gives_twelve_months_oldest_first(session: Session) -> None:
    insert()
    trend = report.trend("2026-11")
    assert [m for m, _c in trend][:2] == ["2025-12", "2026-01"] and len(trend) == 12
    assert dict(trend)["2026-11"] == Count(6, 8) and dict(trend)["2025-12"] == Count(1, 9)
    assert dict(trend)["2026-05"] == Count()
