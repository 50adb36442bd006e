"""Zero returns (零报, issue 17 point 8): a department with no cases in a month says so, and
the 25th's "cards handed in" clears for it; refused while it has cards there; a card entered
later contradicts it, and the dashboard says so."""

from __future__ import annotations

from datetime import datetime

import pytest
from textual.widgets import Input, Select

from store import clock
from store.audit import log as audit
from store.audit import replay
from store.cards import codes, months
from store.errors import FieldError, InvalidInput, NotAllowed
from store.report import deadlines, zero
from store.vault.database import execute, insert, rows
from store.vault.folder import StoreDir
from store.vault.session import Session
from tests.conftest import ADMIN_PW, Store
from tests.tui_support import login, screen_text, settle, type_into
from tui.app import build_app


def _departments() -> list[str]:
    return [c.code for c in codes.all_codes("department")]


def _card(department: str, month: str, status: str = "accepted", concluded_month: str = "",
          ) -> int:
    day = f"{month}-10"
    return insert(
        "INSERT INTO card (department, business_type, case_no, case_name, accepted_on, month,"
        " concluded_month, status, entered_by, entered_at, updated_by, updated_at)"
        " VALUES (?, 'SCQS', ?, '测试案', ?, ?, ?, ?, 'admin', ?, 'admin', ?)",
        (department, f"某检测〔{month[:4]}〕{month[5:]}{department}号", day, month,
         concluded_month, status, day, day))


def _hand_in_all_but(month: str, *left: str) -> None:
    for department in _departments():
        if department not in left:
            _card(department, month)


def test_a_zero_return_clears_the_25th_for_its_department(session: Session) -> None:
    """Before: "cards handed in" never cleared for a department with no cases that month."""
    quiet = _departments()[-1]
    _hand_in_all_but("2026-11", quiet)
    assert deadlines.missing_departments("2026-11") == [quiet]
    state = {d.key: d.state for d in deadlines.calendar(clock.today(), 2026, 11).deadlines}
    assert state["cards"] == "overdue"
    said = zero.confirm_zero(session, "2026-11", quiet.lower(), " 张内勤 ", "20261124")
    assert (said.department, said.confirmed_by, said.confirmed_on) == (quiet, "张内勤",
                                                                      "2026-11-24")
    assert deadlines.missing_departments("2026-11") == []
    cal = deadlines.calendar(clock.today(), 2026, 11)
    assert {d.key: d.state for d in cal.deadlines}["cards"] == "done"
    assert [(z.department, z.contradicted) for z in cal.zero_returns] == [(quiet, False)]
    entry = audit.recent(1)[0]
    assert (entry.action, entry.entity_id) == ("report.zero", f"2026-11:{quiet}")
    assert "张内勤" in (entry.new or "")
    deep = replay.verify_deep(session.audit)  # the test's cards were written by hand, and
    assert {f.table for f in deep.findings} == {"card"}  # the zero return with its entry
    assert zero.zero_returns("2026-10") == []


def test_a_department_with_cards_cannot_say_it_has_none(session: Session) -> None:
    busy, other, third = _departments()[:3]
    for status in ("accepted", "draft", "void"):
        _card(busy, "2026-11", status)
    _card(other, "2026-10", "reported", concluded_month="2026-11")  # concluded in November
    event_card = _card(third, "2026-10", "reported")
    execute("INSERT INTO card_event (card_id, kind, on_day, month, recorded_by, recorded_at)"
            " VALUES (?, 'returned', '2026-11-05', '2026-11', 'admin', 'now')", (event_card,))
    head = audit.recent(1)[0].id
    with pytest.raises(FieldError, match="has 2 cards in 2026-11") as refused:  # void aside
        zero.confirm_zero(session, "2026-11", busy, "张内勤", "2026-11-24")
    assert refused.value.field == "department"
    with pytest.raises(FieldError, match="has 1 card in 2026-11"):
        zero.confirm_zero(session, "2026-11", other, "张内勤", "2026-11-24")
    with pytest.raises(FieldError, match="has 1 card in 2026-11"):
        zero.confirm_zero(session, "2026-11", third, "张内勤", "2026-11-24")
    # a department with only conclusions or events in the month has handed something in
    assert not {busy, other, third} & set(deadlines.missing_departments("2026-11"))
    assert rows("SELECT count(*) FROM zero_return") == [(0,)]
    assert audit.recent(1)[0].id == head


@pytest.mark.parametrize(("month", "department", "by", "on", "refusal"), [
    ("2026-13", None, "张", "2026-11-24", "a month looks like"),
    ("2026-11", "DX9", "张", "2026-11-24", "not a department in use"),
    ("2026-11", None, "  ", "2026-11-24", "name the department's person"),
    ("2026-11", None, "张", "2026-12-01", "in the future"),
    ("2026-11", None, "张", "2026-10-31", "in 2026-11 or later"),
    ("2026-11", None, "张", "20261199", "not a day of the calendar"),
])
def test_a_zero_return_typed_wrong_writes_nothing(session: Session, month: str,
                                                  department: str | None, by: str, on: str,
                                                  refusal: str) -> None:
    head = audit.recent(1)[0].id
    with pytest.raises(InvalidInput, match=refusal):
        zero.confirm_zero(session, month, department or _departments()[0], by, on)
    assert rows("SELECT count(*) FROM zero_return") == [(0,)]
    assert audit.recent(1)[0].id == head


def test_once_a_month_and_never_in_a_reported_month(session: Session) -> None:
    first, second = _departments()[:2]
    zero.confirm_zero(session, "2026-11", first, "张内勤", "2026-11-24")
    with pytest.raises(FieldError, match=r"already said it has no cases in 2026-11 \(张内勤"):
        zero.confirm_zero(session, "2026-11", first, "李内勤", "2026-11-25")
    months.lock(session, "2026-10", "test")
    with pytest.raises(NotAllowed, match="already reported"):
        zero.confirm_zero(session, "2026-10", second, "张内勤", "2026-11-24")
    assert rows("SELECT count(*) FROM zero_return") == [(1,)]


def test_a_card_entered_later_contradicts_the_zero_return(session: Session) -> None:
    quiet = _departments()[0]
    zero.confirm_zero(session, "2026-11", quiet, "张内勤", "2026-11-24")
    _card(quiet, "2026-11", "submitted")  # not refused: the dashboard says so instead
    said = zero.zero_returns("2026-11")
    assert [(z.department, z.cards, z.contradicted) for z in said] == [(quiet, 1, True)]
    shown = deadlines.upcoming(clock.today()).zero_returns  # the dashboard's deadlines panel
    assert [z for z in shown if z.contradicted] == said


def _at(monkeypatch: pytest.MonkeyPatch, when: datetime) -> None:
    monkeypatch.setattr(clock, "now", lambda: when.astimezone())


async def test_the_dashboard_records_a_zero_return_and_shows_a_contradiction(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    _at(monkeypatch, datetime(2026, 11, 20, 9))
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        departments = _departments()
        quiet = departments[-1]
        _hand_in_all_but("2026-11", quiet)
        session.close()
        app = build_app(folder, lang="en")
        async with app.run_test(size=(120, 50)) as pilot:
            await login(pilot, "admin", ADMIN_PW)
            await settle(pilot)
            text = screen_text(pilot)  # said on the deadline of cards, while it is open
            assert "departments' case cards due (2026-11; C4) | z: a department with no cases " \
                   "says so (零报)" in text
            await pilot.press("z")
            await settle(pilot)
            assert "Zero return" in screen_text(pilot)
            assert app.screen.query_one("#month", Input).value == "2026-11"
            assert app.screen.query_one("#department", Select).value == quiet
            await type_into(pilot, "#confirmed_by", "张内勤")  # the last field: saves
            await type_into(pilot, "#confirmed_on", "2026-11-19")
            assert [z.department for z in zero.zero_returns("2026-11")] == [quiet]
            assert deadlines.missing_departments("2026-11") == []
            assert "a department with no cases says so" not in screen_text(pilot)  # done
            _card(quiet, "2026-11", "draft")
            await pilot.press("f3")  # away and back: the dashboard reads the store again
            await settle(pilot)
            await pilot.press("escape")
            await settle(pilot)
            text = screen_text(pilot)
            assert f"{quiet} said it had no cases in 2026-11 (张内勤, 2026-11-19), but 1 card " \
                   "has been entered since" in text


async def test_the_dialog_says_a_refusal_beside_its_field(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    _at(monkeypatch, datetime(2026, 11, 20, 9))
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        busy = _departments()[0]
        _card(busy, "2026-11")
        session.close()
        app = build_app(folder, lang="en")
        async with app.run_test(size=(80, 24)) as pilot:
            await login(pilot, "admin", ADMIN_PW)
            await pilot.press("z")
            await settle(pilot)
            app.screen.query_one("#department", Select).value = busy
            await type_into(pilot, "#confirmed_by", "张内勤", enter=False)
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert "has 1 card in 2026-11" in screen_text(pilot)
            assert app.focused is app.screen.query_one("#department")
            assert zero.zero_returns("2026-11") == []


def test_the_command_line_records_a_zero_return(store: Store, cli_run,  # type: ignore[no-untyped-def]
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    _at(monkeypatch, datetime(2026, 11, 20, 9))
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        first, second, third = _departments()[:3]
        _card(third, "2026-11")
        session.close()
    data = ["--data-dir", str(store.root)]
    done = cli_run([*data, "report", "zero", "2026-11", first, "--by", "张内勤", "--on",
                    "2026-11-18", "--user", "admin", "--password-stdin"], ADMIN_PW + "\n")
    assert done.code == 0, done.err
    assert f"Zero return recorded: {first} has no cases in 2026-11" in done.out
    today = cli_run(["report", "--user", "admin", "zero", "--password-stdin", "2026-11",
                     second, *data, "--by", "李内勤"], ADMIN_PW + "\n")  # options anywhere
    assert today.code == 0, today.err
    assert "(said by 李内勤 on 2026-11-20)" in today.out
    refused = cli_run([*data, "report", "zero", "2026-11", third, "--by", "王内勤", "--user",
                       "admin", "--password-stdin"], ADMIN_PW + "\n")
    assert refused.code == 1 and "has 1 card in 2026-11" in refused.err
    missing = cli_run([*data, "report", "zero", "2026-11", first, "--user", "admin"])
    assert missing.code == 2 and "--by" in missing.err and "statdesk report zero" in missing.err
    helped = cli_run(["report", "--help"])
    assert "statdesk report zero MONTH DEPARTMENT --by NAME" in helped.out
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        said = zero.zero_returns("2026-11")
        session.close()
    assert [(z.department, z.confirmed_by, z.confirmed_on) for z in said] == [
        (first, "张内勤", "2026-11-18"), (second, "李内勤", "2026-11-20")]


def test_the_report_month_still_parses(cli_run) -> None:  # type: ignore[no-untyped-def]
    """`report zero` is routed; `report MONTH` is left as it was."""
    from statdesk import zero_command

    argv = ["--data-dir", "report", "report", "2026-11", "--docx", "zero"]
    assert zero_command.routed(argv) == argv
    assert zero_command.routed(["report", "zero", "2026-11", "D01"]) == [
        "report-zero", "2026-11", "D01"]
    assert zero_command.routed(["user", "add", "zero"]) == ["user", "add", "zero"]
