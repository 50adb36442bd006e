"""The monthly report of cases with events: 旧存, 新收, 受理, 审结 by outcome, 未结, 退查, 重报 in
件 and 人, counted independently from the stored rows; stocks never summed; rates; K01–K07."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from store import clock
from store.errors import InvalidInput
from store.report import figures as report
from store.report import stocks
from store.report.figures import Change, Count
from store.vault.database import execute, rows
from store.vault.session import Session
from tests.report_fixture import Case, P, event, insert_cases, recount, write


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    """The cases are of 2025–2026: the report is read as of 2026-11-30."""
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 30, 9).astimezone())


def _figures(built: report.Report, period: str) -> dict[tuple[str, str], tuple[int, int]]:
    return {(d, k): (v[0], v[1]) for (p, d, k), v in built.figures.items()
            if p == period and v != [0, 0]}


def test_every_figure_is_the_count_of_its_cases(session: Session) -> None:
    insert_cases()
    built = report.build("2026-11")
    for period in report.PERIODS:
        assert _figures(built, period) == recount(*built.ranges[period]), period
    assert built.departments == ["D01", "D02", "D05"]


def test_the_month_counted_by_hand(session: Session) -> None:
    insert_cases()
    built = report.build("2026-11")
    expected = {
        "SCDB:old": Count(3, 4), "SCDB:new": Count(2, 4), "SCDB:received": Count(5, 8),
        "SCDB:concluded": Count(3, 5), "SCDB:concluded/PZDB": Count(2, 3),
        "SCDB:concluded/BPDB": Count(1, 2), "SCDB:open": Count(2, 3),
        "SCQS:old": Count(1, 2), "SCQS:new": Count(3, 3), "SCQS:received": Count(4, 5),
        "SCQS:concluded": Count(3, 4), "SCQS:concluded/TQGS": Count(2, 3),
        "SCQS:concluded/BQS": Count(1, 1), "SCQS:open": Count(1, 1),
        "SCQS:returned": Count(1, 1), "SCQS:resent": Count(1, 2),
        "all:new": Count(5, None), "all:concluded": Count(6, None), "all:open": Count(3, None)}
    assert {key: built.count("month", key) for key in expected} == expected
    assert built.count("month", "SCQS:new", "D02") == Count(2, 2)
    assert not built.locked and not built.empty and built.checks == []


def test_three_suspects_two_arrested_count_under_each_outcome(session: Session) -> None:
    """(3) The third suspect is not lost: 件 under the case's outcome, 人 under each their own."""
    write([Case("2026-11", "D01", "SCDB", (P("PZDB"), P("PZDB"), P("BPDB")), "2026-11")])
    built = report.build("2026-11")
    assert built.count("month", "SCDB:concluded") == Count(1, 3)
    assert built.count("month", "SCDB:concluded/PZDB") == Count(1, 2)
    assert built.count("month", "SCDB:concluded/BPDB") == Count(0, 1)
    assert built.checks == []


def test_open_is_a_stock_never_summed_over_months(session: Session) -> None:
    """(2) 未结 is the stock at the period's end: the year to date's is the month's, and a year
    earlier's is the stock at that date, though the case has been concluded since."""
    insert_cases()
    built = report.build("2026-11")
    assert built.count("ytd", "SCDB:open") == built.count("month", "SCDB:open") == Count(2, 3)
    by_month = sum(t.open for t in built.trend() if t.month >= "2026-01")
    assert by_month > built.count("ytd", "all:open").cases == 3  # the old sum is gone
    assert built.count("month_ly", "SCQS:open") == Count(1, 2)  # concluded in 2025-12
    assert built.count("ytd_ly", "SCQS:open") == Count(1, 2)
    change = built.change("month", "SCQS:open", persons=True)
    assert (change.now, change.before, change.percent) == (1, 2, -50.0)
    # 旧存 is the stock at the period's start: the year to date's at the end of last year
    assert built.count("ytd", "SCDB:old") == Count(1, 1)
    assert built.count("ytd", "SCDB:received") == Count(5, 8)
    assert built.stock_month("ytd", "SCDB:old") == "2025-12"
    assert built.stock_month("month", "SCDB:open") == "2026-11"
    assert built.stock_month("month", "SCDB:new") is None
    assert str(built.as_of("month", "SCDB:old")) == "2026-10-25"  # the cut-off day


def test_returned_for_investigation_is_not_a_conclusion(session: Session) -> None:
    """(4) 退查 is an event: the case stays open, counted under 退查, and comes back as 重报."""
    insert_cases()
    built = report.build("2026-11")
    assert built.count("month", "SCQS:returned") == Count(1, 1)
    assert built.count("ytd", "SCQS:returned") == Count(2, 3)  # October's and November's
    assert built.count("ytd", "SCQS:resent") == Count(1, 2)
    october = report.build("2026-10")
    assert october.count("month", "SCQS:returned") == Count(1, 2)
    assert october.count("month", "SCQS:concluded") == Count(0, 0)  # not an ending
    assert october.count("month", "SCQS:open") == Count(1, 2)
    assert not any(line.outcome == "THBZ" for line in built.lines)


def test_totals_are_cases_only(session: Session) -> None:
    """(5) 合计 is in 件 (全口径); persons are never added across stages."""
    insert_cases()
    built = report.build("2026-11")
    totals = [line for line in built.lines if line.total]
    assert [line.key for line in totals] == ["all:new", "all:concluded", "all:open"]
    assert all(built.count(p, line.key).persons is None for p in report.PERIODS
               for line in totals)
    with pytest.raises(ValueError, match="not added across stages"):
        built.change("month", "all:new", persons=True)
    assert built.change("month", "all:new") == Change(5, 1)


def test_the_rates_with_their_formulas(session: Session) -> None:
    """(6) 不捕率, 不诉率, 认罪认罚适用率, 诉前羁押率 from persons, each with its formula."""
    insert_cases()
    built = report.build("2026-11")
    month = {r.key: (r.value().numerator, r.value().denominator) for r in built.rates}
    assert month == {"no_arrest": (2, 5), "no_prosecution": (1, 4), "plea": (4, 4),
                     "pretrial_detention": (3, 4)}
    assert built.rate("pretrial_detention").value().percent == 75.0
    assert built.rate("pretrial_detention").formula_zh == \
        "诉前羁押率 = 批捕人数 ÷ (起诉人数 + 不诉人数)"
    assert built.rate("no_arrest").value("month_ly").percent is None  # nothing to rate
    assert built.rate("plea").value("ytd").numerator == 5
    assert all(r.formula("en").startswith(r.name_en) for r in built.rates)


def test_the_lines_follow_the_code_tables(session: Session) -> None:
    insert_cases()
    lines = report.build("2026-11").lines
    scdb = [(line.key, line.stock) for line in lines if line.business_type == "SCDB"]
    assert scdb == [("SCDB:old", True), ("SCDB:new", False), ("SCDB:received", False),
                    ("SCDB:concluded", False), ("SCDB:concluded/PZDB", False),
                    ("SCDB:concluded/BPDB", False), ("SCDB:open", True)]
    scqs = [line.kind for line in lines if line.business_type == "SCQS"]
    assert scqs[-2:] == ["returned", "resent"]
    assert next(line for line in lines if line.key == "SCDB:old").label_zh == "旧存"


def test_persons_without_an_outcome_show_on_their_own_line(session: Session) -> None:
    write([Case("2026-11", "D01", "SCQS", (P("TQGS"), P()), "2026-11")])
    built = report.build("2026-11")
    assert built.count("month", "SCQS:concluded/") == Count(0, 1)
    assert "SCQS:concluded/" in [line.key for line in built.lines]
    assert "SCDB:concluded/" not in [line.key for line in built.lines]


def test_an_empty_month_is_a_report_of_zeros(session: Session) -> None:
    built = report.build("2030-02")
    assert built.empty and built.count("ytd") == Count(0, None) and built.departments == []
    assert built.checks == []


@pytest.mark.parametrize("bad", ["2026-13", "2026-1x", "", "26-11", "2026-00"])
def test_a_month_that_is_not_one_gets_one_clear_line(session: Session, bad: str) -> None:
    with pytest.raises(InvalidInput, match="2026-11"):
        report.build(bad)


def test_the_trend_gives_twelve_months_oldest_first(session: Session) -> None:
    insert_cases()
    trend = report.trend("2026-11")
    assert [t.month for t in trend][:2] == ["2025-12", "2026-01"] and len(trend) == 12
    found = {t.month: t for t in trend}
    assert found["2026-11"] == ("2026-11", 5, 6, 3)
    assert found["2026-10"] == ("2026-10", 2, 0, 4)
    assert found["2026-05"] == ("2026-05", 0, 0, 1)  # 2025-12's 审查逮捕, still open
    assert found["2025-12"].concluded == 1


def test_major_cases_include_judicial_staff_investigations(session: Session) -> None:
    write([Case("2026-03", "D03", "ZCZW", (P("YSQS"),), "2026-05", major="key"),
           Case("2025-03", "D06", "ZZLA", (P("YSQS"),), "2025-05", major="major"),
           Case("2026-04", "D03", "ZCZW", (P(),), "")])
    assert [c.major for c in report.major_cases(2026, "2026-11")] == ["key"]
    assert [c.major for c in report.major_cases(2025, "2025-11")] == ["major"]


def test_the_demos_report_is_the_count_of_its_cases(tmp_path: Path) -> None:
    """The demo's cases (persons, events, cases across months) counted both ways agree, for
    the submitted month and the open one, and the demo breaks no check between figures."""
    from store.demo import build as demo
    from store.report import submission
    from store.vault.folder import StoreDir
    from store.vault.paths import DataPaths

    paths = DataPaths(tmp_path / "demo")
    demo.ensure_demo(paths, cards=1500)
    with StoreDir(paths) as folder:
        session = folder.unlock(demo.DEMO_OPERATORS[0][0], demo.DEMO_PASSWORD)
        for state in submission.departments("2026-10"):
            submission.confirm(session, "2026-10", state.department, "内勤", "2026-10-26")
        submission.submit(session, "2026-10", "市人民检察院", swing_note="样本数据")
        for month in ("2026-10", "2026-11"):
            built = report.build(month)
            for period in report.PERIODS:
                assert _figures(built, period) == recount(*built.ranges[period]), (month, period)
            assert {c.code for c in built.checks} <= {"K07"}, [c.text for c in built.checks]
            assert built.count("ytd", "SCQS:returned").cases > 0
            assert built.count("month", "SCQS:old").cases > 0
        assert "K05" in built.checks_run  # October went up in the current shape


def test_a_retired_type_keeps_its_outcomes_names(session: Session) -> None:
    write([Case("2026-03", "D06", "ZZLA", (P("YSQS"),), "2026-04", status="reported")])
    lines = report.build("2026-11").lines
    own = [(line.key, line.label_zh) for line in lines if line.business_type == "ZZLA"]
    assert ("ZZLA:concluded/YSQS", "移送起诉") in own  # the outcome is ZCZW's since 2026


# --- K01–K07: each fires on a store built to break it ----------------------------------------


def _codes(built: report.Report) -> list[str]:
    return sorted({c.code for c in built.checks})


def test_the_cases_pass_every_check(session: Session) -> None:
    insert_cases()
    built = report.build("2026-11")
    assert built.checks == [] and built.checks_run == ("K01", "K02", "K03", "K04", "K06",
                                                       "K07")


def test_k01_received_is_concluded_plus_open(session: Session) -> None:
    write([Case("2026-11", "D01", "SCDB", (P("PZDB"),), "2026-10")])  # concluded before received
    built = report.build("2026-11")
    found = [c for c in built.checks if c.code == "K01"]
    assert {(c.period, c.key) for c in found} >= {("month", "SCDB:received")}
    assert "received 1 is not concluded 0 + open 0" in found[0].text
    assert found[0].name == "received = concluded + open"


def test_k02_concluded_is_the_sum_of_its_outcomes(session: Session) -> None:
    write([Case("2026-11", "D01", "SCQS", (P("TQGS"), P("TQGS")), "2026-11",
                columns={"outcome_persons": 1})])  # a person lost from the outcome
    built = report.build("2026-11")
    assert _codes(built) == ["K02"]
    assert built.checks[0].text == ("Review for prosecution, in persons: concluded 2, but its"
                                    " outcomes add up to 1")


def test_k03_a_criminal_case_has_persons(session: Session) -> None:
    write([Case("2026-11", "D01", "SCQS", (), "")])
    assert "K03" in _codes(report.build("2026-11"))


def test_k04_no_more_prosecuted_than_received(session: Session) -> None:
    write([Case("2026-11", "D01", "SCQS", (P("TQGS"),), "2026-11",
                columns={"outcome_persons": 4})])
    built = report.build("2026-11")
    assert "K04" in _codes(built)
    assert next(c for c in built.checks if c.code == "K04").params == {"prosecuted": 4,
                                                                       "received": 1}


def test_k05_last_months_report_plus_this_month(session: Session) -> None:
    from store.report import submission

    insert_cases()
    october = submission.figures_of(report.build("2026-10"))
    _keep(october, "2026-10")
    built = report.build("2026-11")
    assert "K05" in built.checks_run and built.checks == []
    # October corrected after its report went up, not yet revised: November's checks see it
    card_id = rows("SELECT id FROM card WHERE month = '2026-10' AND concluded_month = ''")[0][0]
    execute("UPDATE card SET persons = 3 WHERE id = ?", (card_id,))
    execute("INSERT INTO card_person (card_id, seq, charge) VALUES (?, 3, 'C01')", (card_id,))
    built = report.build("2026-11")
    found = [c for c in built.checks if c.code == "K05"]
    assert {(c.period, c.key) for c in found} == {("month", "SCDB:old"), ("ytd", "SCDB:new")}
    assert "carried over 3/5, but last month's report left 3/4 open" in found[0].text
    _keep(submission.figures_of(report.build("2026-10")), "2026-10", revision=2)
    assert report.build("2026-11").checks == []


def _keep(figures: dict[str, dict[str, list[int]]], month: str, revision: int = 1) -> None:
    import json

    execute("INSERT INTO report_revision (month, revision, at, by, submitted_to, figures)"
            " VALUES (?, ?, '2026-11-01', 'admin', '市院', ?)",
            (month, revision, json.dumps(figures)))


def test_k05_is_not_run_against_a_report_kept_in_the_old_shape(session: Session) -> None:
    insert_cases()
    _keep({"total": {"SCDB": [2, 3], "all": [2, 3]}}, "2026-10")
    assert "K05" not in report.build("2026-11").checks_run


def test_k06_conditional_non_prosecution_only_for_minors(session: Session) -> None:
    ids = write([Case("2026-11", "D01", "SCQS", (P("BQS", minor=0, kind="FTJ"),), "2026-11"),
                 Case("2026-11", "D01", "SCQS", (P("BQS", minor=1, kind="FTJ"),), "2026-11")])
    built = report.build("2026-11")
    assert _codes(built) == ["K06"] and built.checks[0].cards.ids == (ids[0],)


def test_k07_prosecution_review_past_its_time_limit(session: Session) -> None:
    late, returned, extended, _major, _recent = write([
        Case("2026-10", "D01", "SCQS", accepted_on="2026-10-01"),
        Case("2026-10", "D01", "SCQS", accepted_on="2026-10-01"),
        Case("2026-10", "D01", "SCQS", accepted_on="2026-10-01"),
        Case("2026-10", "D01", "SCQS", accepted_on="2026-10-15", major="major"),
        Case("2026-11", "D01", "SCQS", accepted_on="2026-11-01")])
    event(returned, "returned", "2026-10-20", "2026-10")  # back with the investigators
    event(extended, "extended", "2026-10-25", "2026-10", days=60)
    built = report.build("2026-11")  # as of the cut-off, 2026-11-25
    found = [c for c in built.checks if c.code == "K07"]
    assert len(found) == 1 and found[0].cards.ids == (late,)
    assert found[0].params == {"n": 1, "day": "2026-11-25"}
    event(returned, "resent", "2026-10-22", "2026-10")  # re-sent: 30 days from then
    assert report.build("2026-11").checks[0].cards.ids == (late, returned)  # not the major
    # case: received 10-15, 30 + 15 days


def test_the_time_limit_agrees_with_the_cards_own(session: Session) -> None:
    from datetime import date

    from store.cards import events
    from store.cards import review as card_review
    from store.report.figure_checks import due_date

    card_id, = write([Case("2026-10", "D01", "SCQS", accepted_on="2026-10-01", major="major")])
    event(card_id, "returned", "2026-10-05", "2026-10")
    event(card_id, "resent", "2026-10-20", "2026-10")
    event(card_id, "extended", "2026-11-01", "2026-11", days=15)
    found = events.time_limit(card_review.get(card_id), date(2026, 11, 30))
    assert found is not None
    assert due_date(date(2026, 10, 1), True, [
        ("returned", date(2026, 10, 5), 0), ("resent", date(2026, 10, 20), 0),
        ("extended", date(2026, 11, 1), 15)]) == found[0] == date(2026, 12, 19)


# --- speed: the counts read the covering indexes ----------------------------------------------


def test_the_counts_read_only_covering_indexes(session: Session) -> None:
    insert_cases()
    plans = [" ".join(stocks.plan(sql, params)) for sql, params in
             report.statements("2026-11")]
    assert len(plans) == 9  # open, 2 blocks, Dec 2025, after; persons, events per block
    for plan in plans[:5]:
        assert "COVERING INDEX card_flow" in plan, plan
    assert "TEMP B-TREE" not in plans[1]  # grouped in the index's order
    assert "(concluded_month=? AND month<?)" in plans[3]  # between the periods: a seek
    assert "card_mixed" in plans[5] and "COVERING INDEX card_counted" in plans[7]


def test_a_month_reads_its_months_and_only_the_stocks_between() -> None:
    plan = stocks.reads({"month": ("2026-11", "2026-11"), "month_ly": ("2025-11", "2025-11"),
                         "prev": ("2026-10", "2026-10")})
    assert plan.blocks == (("2025-11", "2025-11"), ("2026-10", "2026-11"))
    assert plan.between == ((("2025-12", "2026-01", "2026-02", "2026-03", "2026-04", "2026-05",
                              "2026-06", "2026-07", "2026-08", "2026-09"), "2025-11"),)
    january = stocks.reads({"month": ("2026-01", "2026-01"), "ytd": ("2026-01", "2026-01"),
                            "month_ly": ("2025-01", "2025-01"), "ytd_ly": ("2025-01", "2025-01"),
                            "prev": ("2025-12", "2025-12")})
    assert january.blocks == (("2025-01", "2025-01"), ("2025-12", "2026-01"))
