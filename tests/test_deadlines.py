"""The month's deadlines move off holidays and weekends (make-up days count), and know
whether they are done. The 10th and 15th are deadlines only of a unit with sub-units (issue
17, point 8); the cut-off may be the end of the month."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from exports import report_files
from store import holidays, settings
from store.audit import log as audit
from store.cards import codes
from store.cards.rules import statistical_month
from store.errors import InvalidInput, NotAllowed
from store.report import deadlines, submission
from store.vault.session import Session
from tests.report_fixture import Case, P, write


def _days(cal: deadlines.Calendar) -> dict[str, tuple[date, date | None]]:
    return {d.key: (d.day, d.nominal) for d in cal.deadlines}


def _with_subunits(session: Session) -> None:
    settings.set_value(session, "has_subunits", "yes")


def test_october_2026_deadlines_leave_national_day(session: Session) -> None:
    _with_subunits(session)
    cal = deadlines.calendar(date(2026, 9, 15), 2026, 10)
    days = _days(cal)
    assert days["briefing-main"] == (date(2026, 9, 30), date(2026, 10, 2))  # 国庆节
    assert days["briefing-tables"] == (date(2026, 9, 30), date(2026, 10, 6))
    assert days["aggregated"][0] == date(2026, 10, 10)  # a Saturday, but a make-up day
    assert days["cards"] == (date(2026, 10, 23), date(2026, 10, 25))  # Sunday → Friday
    assert days["report"][0] == date(2026, 10, 27)
    assert days["backup"][0] == date(2026, 10, 8)  # the first working day after the holiday
    moved = [d for d in cal.deadlines if d.moved]
    assert {d.key for d in moved} == {"briefing-main", "briefing-tables", "cards"}
    assert cal.missing_years == []


def test_february_2026_uses_the_spring_festival_make_up_day(session: Session) -> None:
    _with_subunits(session)
    days = _days(deadlines.calendar(date(2026, 2, 1), 2026, 2))
    assert days["case-information"][0] == date(2026, 2, 14)  # 15th a holiday; 14th make-up
    eves = [d for d in deadlines.calendar(date(2026, 2, 1), 2026, 2).deadlines
            if d.key.startswith("holiday-eve")]
    assert [(d.day, d.name) for d in eves] == [(date(2026, 2, 14), "春节")]


def test_2027_days_set_by_the_office(session: Session) -> None:
    for day in ("2027-01-01", "2027-01-02", "2027-01-03"):
        holidays.set_day(session, day, "holiday", "元旦")
    holidays.set_day(session, "2027-03-27", "workday", "调休")
    january = _days(deadlines.calendar(date(2026, 12, 20), 2027, 1))
    assert january["briefing-main"] == (date(2026, 12, 31), date(2027, 1, 2))
    march = _days(deadlines.calendar(date(2027, 3, 1), 2027, 3))
    assert march["report"] == (date(2027, 3, 27), date(2027, 3, 27))  # a Saturday worked
    assert march["check-in"] == (date(2027, 3, 31), date(2027, 3, 31))  # quarter's end


def test_a_year_without_holidays_is_said(session: Session) -> None:
    cal = deadlines.calendar(date(2028, 4, 1), 2028, 4)
    assert cal.missing_years == [2028]
    days = _days(cal)
    assert days["briefing-main"][0] == date(2028, 3, 31)  # only the weekend moves it


def test_a_county_unit_has_no_10th_or_15th_deadline(session: Session) -> None:
    """Issue 17 (8): without sub-units (the default) the 10th is only C13's note that
    departments may query the reports, never due nor overdue, and there is no 15th; the
    case information goes up with the report by the 27th."""
    assert settings.current().has_subunits is False
    cal = deadlines.calendar(date(2026, 11, 30), 2026, 11)  # every day of it has passed
    by_key = {d.key: d for d in cal.deadlines}
    assert "aggregated" not in by_key and "case-information" not in by_key
    assert not [d for d in cal.deadlines if d.day.day == 15]
    query = by_key["query"]
    assert (query.day, query.rule, query.state) == (date(2026, 11, 10), "C13", "note")
    assert query.days_left < 0 and not query.moved
    assert "may query" in query.what
    assert "case information" in by_key["report"].what and by_key["report"].day.day == 27
    assert by_key["report"].state == "overdue"
    with pytest.raises(InvalidInput, match="without sub-units"):
        deadlines.mark_done(session, "2026-11", "case-information")
    _with_subunits(session)  # a 市院 over county units: both deadlines are back
    by_key = {d.key: d for d in deadlines.calendar(date(2026, 11, 30), 2026, 11).deadlines}
    assert by_key["aggregated"].state == by_key["case-information"].state == "overdue"
    assert "query" not in by_key and "case information" not in by_key["report"].what


def test_states_follow_the_store(session: Session, tmp_path: Path) -> None:
    _with_subunits(session)
    first, *others = [c.code for c in codes.all_codes("department")]
    write([Case("2026-11", first, "SCQS", (P("TQGS"), P("TQGS")), concluded="2026-11"),
           Case("2026-11", first, "SCDB"), Case("2026-11", others[0], "SCQS", status="void")])
    cal = deadlines.calendar(date(2026, 11, 30), 2026, 11)
    state = {d.key: d.state for d in cal.deadlines}
    assert state["report"] == "overdue" and state["briefing-main"] == "overdue"
    assert cal.missing_departments == others  # a void card is no card
    assert state["cards"] == "overdue"
    for dept in submission.departments("2026-11"):
        submission.confirm(session, "2026-11", dept.department, "内勤", "20261126")
    submission.submit(session, "2026-11", "市人民检察院")
    report_files.briefing_main(session, "2026-10", tmp_path)
    deadlines.mark_done(session, "2026-11", "case-information")
    state = {d.key: d.state for d in deadlines.calendar(date(2026, 11, 30)).deadlines}
    assert (state["report"], state["briefing-main"], state["case-information"]) == (
        "done", "done", "done")
    assert state["briefing-tables"] == "overdue" and state["aggregated"] == "overdue"
    assert audit.recent(1)[0].action == "deadline.done"
    with pytest.raises(InvalidInput):
        deadlines.mark_done(session, "2026-11", "case-information")
    with pytest.raises(InvalidInput):
        deadlines.mark_done(session, "2026-11", "report")  # the store sees that one itself


async def test_the_dashboard_shows_states_and_marks_by_keyboard(store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from datetime import datetime

    from store import clock
    from store.vault.folder import StoreDir
    from tests.conftest import ADMIN_PW
    from tests.tui_support import login, screen_text, settle
    from tui.app import build_app

    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 10, 12, 9).astimezone())
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        settings.set_value(session, "has_subunits", "yes")
        session.close()
        app = build_app(folder, lang="en")
        async with app.run_test(size=(120, 50)) as pilot:
            await login(pilot, "admin", ADMIN_PW)
            await settle(pilot)
            text = screen_text(pilot)
            assert "moved from 10-25: holiday or weekend" in text
            assert "No holidays entered" not in text
            assert "X OVERDUE" in text and ". due" in text
            await pilot.press("ctrl+d")
            await settle(pilot)
            await pilot.press("ctrl+s")  # the first open one: 10-10, aggregated report
            await settle(pilot)
            state = {d.key: d.state for d in deadlines.calendar(clock.today()).deadlines}
            assert state["aggregated"] == "done"
            assert "OK done" in screen_text(pilot)


def test_the_dashboard_list_reaches_into_next_month(session: Session) -> None:
    cal = deadlines.upcoming(date(2026, 11, 30))
    keys = [(d.day.isoformat(), d.key) for d in cal.deadlines if d.day.month == 12]
    assert keys == [("2026-12-01", "backup"), ("2026-12-02", "briefing-main"),
                    ("2026-12-04", "briefing-tables"),  # the 6th is a Sunday
                    ("2026-12-10", "query")]  # ten days ahead: a note for a county unit
    assert cal.missing_years == []  # December's 2027 eve is more than ten days away
    _with_subunits(session)
    cal = deadlines.upcoming(date(2026, 11, 30))
    assert [d.key for d in cal.deadlines if d.day.month == 12][-1] == "aggregated"


async def test_the_dashboard_shows_the_10th_as_a_note(store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from datetime import datetime

    from store import clock
    from store.vault.folder import StoreDir
    from tests.conftest import ADMIN_PW
    from tests.tui_support import login, screen_text, settle
    from tui.app import build_app

    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 10, 12, 9).astimezone())
    with StoreDir(store.paths) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=(120, 50)) as pilot:
            await login(pilot, "admin", ADMIN_PW)
            await settle(pilot)
            text = screen_text(pilot)
            assert "- info" in text and "may query the monthly reports" in text
            assert "aggregated report" not in text and "case information goes up" not in text
            assert "report and its case information go up" in text
            await pilot.press("ctrl+d")  # nothing of this month is for the statistician to mark
            await settle(pilot)
            assert "Nothing to mark" in screen_text(pilot)


def test_a_cut_off_at_the_end_of_the_month(session: Session) -> None:
    """Issue 17 (8): the cut-off day may be the end of the month (月末): no date moves to the
    next month, the cards are due on the month's last working day and the report is not
    submitted before the month's last day."""
    assert statistical_month(date(2026, 12, 31), 25) == "2027-01"  # a cut-off day moves it
    settings.set_value(session, "cutoff_day", "月末")
    assert settings.current().cutoff_day == 0
    assert statistical_month(date(2026, 12, 31), settings.current().cutoff_day) == "2026-12"
    assert statistical_month(date(2026, 10, 31), 0) == "2026-10"
    assert statistical_month(date(2027, 2, 28), 0) == "2027-02"
    october = _days(deadlines.calendar(date(2026, 10, 1), 2026, 10))
    assert october["cards"] == (date(2026, 10, 30), date(2026, 10, 31))  # Saturday → Friday
    november = _days(deadlines.calendar(date(2026, 11, 1), 2026, 11))
    assert november["cards"] == (date(2026, 11, 30), date(2026, 11, 30))
    with pytest.raises(NotAllowed, match="until 2026-12-31"):  # today is 2026-11-30
        submission.submit(session, "2026-12", "市人民检察院")
    settings.set_value(session, "cutoff_day", "25")
    assert _days(deadlines.calendar(date(2026, 11, 1), 2026, 11))["cards"][0] == \
        date(2026, 11, 25)


async def test_the_dashboard_warns_of_a_year_without_holidays(store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from datetime import datetime

    from store import clock
    from store.vault.folder import StoreDir
    from tests.conftest import ADMIN_PW
    from tests.tui_support import login, screen_text, settle
    from tui.app import build_app

    monkeypatch.setattr(clock, "now", lambda: datetime(2027, 3, 1, 9).astimezone())
    with StoreDir(store.paths) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=(120, 50)) as pilot:
            await login(pilot, "admin", ADMIN_PW)
            await settle(pilot)
            assert "No holidays entered for 2027" in screen_text(pilot)
