"""The borrow desk after issue 18: people named as the clerk knows them (point 12), chains in
the order things happened and demo histories that could have happened (25), and the desk's
smaller items of 26 (the copy's number and chain, B2's words, notes, check-ins, returns)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from store import clock, i18n
from store.custody import desk, items, people
from store.custody.desk import Request
from store.demo import destruction as demo_destruction
from store.demo import items as demo_items
from store.demo import secrecy as demo_secrecy
from store.errors import InvalidInput, RuleRefused
from store.vault.database import rows
from store.vault.folder import StoreDir
from store.vault.session import Session
from tests.conftest import ADMIN_PW, Store
from tests.desk_fixture import setup
from tests.tui_support import login, screen_text, settle
from tui.app import build_app
from tui.screens.desk import DeskScreen
from tui.screens.returns import ReturnsScreen
from tui.widgets.person_picker import PersonPicker

NOW = datetime(2026, 11, 30, 9).astimezone()


@pytest.fixture
def numbers(session: Session) -> dict[str, str]:
    return setup(session)


# --- 12: people by name; who may sign ---------------------------------------------------------

def test_the_desk_takes_names_and_parts_of_names(session: Session,
                                                 numbers: dict[str, str]) -> None:
    loans = desk.record(session, Request("李文杰", [numbers["report"]], "lend", slip_no="借-1",
                                         head="张部长", approver="陈检察长",
                                         due_on="2026-12-10"))
    assert rows("SELECT p.code, h.code, a.code FROM loan l JOIN person p ON p.id ="
                " l.borrower_id JOIN person h ON h.id = l.head_id JOIN person a ON a.id ="
                " l.approver_id WHERE l.id = ?", (loans[0],)) == [("lwj", "zbz", "cjc")]
    with pytest.raises(InvalidInput) as several:  # 张部长 and 王部长
        desk.check(Request("lwj", [numbers["volume"]], slip_no="借-2", head="部长"))
    assert "张部长（第一检察部，zbz）" in str(several.value)


def test_b1_names_who_may_sign(session: Session, numbers: dict[str, str]) -> None:
    reading = Request("lwj", [numbers["report"]], "read", slip_no="借-001", head="zbz")
    for head, said in (("", "B1: the head of 第一检察部 signs: 张部长"),
                       ("wbz", "B1: 王部长 heads another department; the head of 第一检察部 "
                               "signs: 张部长"),
                       ("李文杰", "B1: 李文杰 is not a department head; the head of 第一检察部 "
                                  "signs: 张部长")):
        with pytest.raises(RuleRefused) as refused:
            desk.check(replace(reading, head=head))
        assert str(refused.value) == said and refused.value.field == "head"
    people.add(session, "zbz2", "赵副部长", "head", department="第一检察部")
    with pytest.raises(RuleRefused, match="the heads of 第一检察部 sign: 张部长、赵副部长"):
        desk.check(replace(reading, head=""))
    i18n.set_language("zh")
    with pytest.raises(RuleRefused) as refused:
        desk.check(replace(reading, head="wbz"))
    assert str(refused.value).endswith("王部长 是其他部门的领导；第一检察部的借阅单由 "
                                       "张部长、赵副部长 签字")


def test_b2_blames_the_borrowing_unit_when_it_is_below_county_level(
        session: Session, numbers: dict[str, str]) -> None:
    visit = Request("pcs", [numbers["report"]], "read", letter_no="公函9号",
                    issuing_organ="某县公安局", approver="cjc")
    with pytest.raises(RuleRefused) as refused:
        desk.check(visit)
    said = str(refused.value)
    assert said.startswith("B2: the borrowing unit 某镇派出所 is below county level")
    assert "introduction letter" not in said and refused.value.field == "borrower"


# --- 26: the copy, the chain's notes and people -----------------------------------------------

def test_a_copy_names_its_original_and_the_secrecy_office(session: Session,
                                                           numbers: dict[str, str]) -> None:
    loans = desk.record(session, Request("lwj", [numbers["volume"]], "copy", slip_no="借-9",
                                         head="zbz", approver="cjc", secrecy="保密办",
                                         due_on="2026-12-10"))
    made = desk.copies_made(loans)
    assert [(c.original) for c in made] == [numbers["volume"]]
    copy = items.by_number(made[0].copy)
    assert copy is not None and copy.custodian == "李文杰"  # with the borrower until recovered
    chain = items.chain(copy.id)
    assert [(e.kind, e.person, e.approved_by, e.reference) for e in chain] == [
        ("register", "", "保密办刘", numbers["volume"]),
        ("copy", "李文杰", "陈检察长", "借-9")]
    desk.return_item(session, copy.reg_no, "damaged", "第3页有折痕")
    back = items.get(copy.id)
    assert back.custodian == "李统计"  # kept as its original is
    returned = [e for e in items.chain(copy.id) if e.kind == "recover"]
    assert returned[0].person == "李文杰" and returned[0].note == "damaged: 第3页有折痕"
    assert returned[0].reference == ""  # the note has its own column, not the reference's


def test_a_check_in_names_the_custodian(session: Session) -> None:
    from store.custody.models import CustodyEvent

    item = items.register(session, "密件", "classified", "secret")
    person = people.add(session, "lwj", "李文杰", "staff", department="第一检察部")
    rows("INSERT INTO distribution (item_id, person_id, signed_at, by) VALUES (?, ?, ?, ?)",
         (item.id, person.id, "2026-01-01T09:00:00+08:00", "admin"))
    CustodyEvent.insert(item_id=item.id, at="2026-03-31T10:00:00+08:00", kind="checkin",
                        by="admin").execute()  # as check-ins were written: no person
    checkin = [e for e in items.chain(item.id) if e.kind == "checkin"]
    assert checkin[0].person == "李文杰"


# --- 25: the chain in the order it happened; the demo's histories -----------------------------

def test_the_chain_is_in_the_order_of_the_events_dates(session: Session,
                                                       numbers: dict[str, str]) -> None:
    from store.custody.models import CustodyEvent

    item = items.by_number(numbers["report"])
    assert item is not None
    first = items.chain(item.id)[0].at
    for at, kind in (("2026-12-02T10:00:00+08:00", "return"),  # entered first, happened later
                     ("2026-12-01T10:00:00+08:00", "lend"),
                     ("2026-12-02T10:00:00+08:00", "hold")):  # same moment: entry order
        CustodyEvent.insert(item_id=item.id, at=at, kind=kind, by="admin").execute()
    assert [(e.at, e.kind) for e in items.chain(item.id)] == [
        (first, "register"), ("2026-12-01T10:00:00+08:00", "lend"),
        ("2026-12-02T10:00:00+08:00", "return"), ("2026-12-02T10:00:00+08:00", "hold")]


def impossible(events: list[items.Event], copy: bool) -> list[str]:
    """What could not have happened in a chain: dates out of order, a first event that is
    not the registration, a loan of an item out, a return of one not out, a check-in of one
    not distributed, anything after its destruction."""
    said = []
    if [e.at for e in events] != sorted(e.at for e in events):
        said.append("dates out of order")
    if not events or events[0].kind not in ("register", "receive"):
        said.append("first " + (events[0].kind if events else "nothing"))
    state = "in"
    for e in events[1:]:
        was, becomes = state, state
        wanted: tuple[str, ...] = ()
        if was == "destroyed":
            said.append(f"{e.kind} after destruction")
            continue
        if e.kind in ("register", "receive"):
            said.append("registered twice")
        elif e.kind in ("read", "lend") or (e.kind == "copy" and copy):
            wanted, becomes = ("in",), "out"
        elif e.kind == "return" or (e.kind == "recover" and copy):
            wanted, becomes = ("out",), "in"
        elif e.kind == "distribute":  # to a custodian, or passed on to another
            wanted, becomes = ("in", "distributed"), "distributed"
        elif e.kind == "checkin":
            wanted, becomes = ("distributed",), "in"
        elif e.kind == "seen":
            becomes = "in"
        elif e.kind == "missing":
            becomes = "missing"
        elif e.kind == "found":
            wanted, becomes = ("missing",), "in"
        elif e.kind == "destroy":
            wanted, becomes = ("in",), "destroyed"
        if wanted and was not in wanted:
            said.append(f"{e.kind} while {was}")
        else:
            state = becomes
    return said


def test_every_chain_of_the_demo_could_have_happened(session: Session) -> None:
    demo_items.generate(session)
    demo_destruction.generate(session)
    demo_secrecy.generate(session)
    wrong = {}
    for item_id, kind in rows("SELECT id, kind FROM item"):
        found = impossible(items.chain(item_id), kind == "copy")
        if found:
            wrong[item_id] = found
    assert len(rows("SELECT id FROM item")) > 300 and rows(
        "SELECT count(*) FROM custody_event WHERE kind IN ('lend', 'read')")[0][0] > 200
    assert wrong == {}


def test_the_checker_finds_a_loan_before_registration() -> None:
    event = items.Event
    assert impossible([event("2026-01-02", "lend", "a", "", "", "", ""),
                       event("2026-01-05", "register", "a", "", "", "", "")], False) == [
        "first lend", "registered twice"]
    assert impossible([event("2026-01-02", "register", "a", "", "", "", ""),
                       event("2026-01-03", "return", "a", "", "", "", "")], False) == [
        "return while in"]


# --- the desk and returns on screen ------------------------------------------------------------

@pytest.fixture
def folder(store: Store, monkeypatch: pytest.MonkeyPatch) -> Iterator[StoreDir]:
    monkeypatch.setattr(clock, "now", lambda: NOW)
    with StoreDir(store.paths) as opened:
        session = opened.unlock("admin", ADMIN_PW)
        setup(session)
        session.close()
        yield opened


async def _desk(pilot, app) -> DeskScreen:  # type: ignore[no-untyped-def]
    await login(pilot, "admin", ADMIN_PW)
    await pilot.press("f11")
    await settle(pilot)
    assert isinstance(app.screen, DeskScreen)
    return app.screen


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_signer_is_suggested_and_b1_names_who_signs(folder: StoreDir,
                                                              lang: str) -> None:
    app = build_app(folder, lang=lang)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _desk(pilot, app)
        await pilot.press(*"文杰")  # part of the name: the candidates show under the field
        await settle(pilot)
        assert "李文杰（第一检察部，lwj）" in screen_text(pilot)
        await pilot.press("enter")
        assert screen.query_one("#borrower", PersonPicker).value == "李文杰"
        await pilot.press("enter")  # the mode stays: reading in the room
        await pilot.press(*"借-1", "enter")
        head = screen.query_one("#head", PersonPicker)
        assert screen.focused is head and "张部长" in head.placeholder
        assert ("may sign: 张部长" if lang == "en" else "可签字：张部长") in screen_text(pilot)
        await pilot.press("enter")  # Enter takes the suggestion
        assert head.value == "张部长"
        head.value = "王部长"  # another department's head: refused, naming who signs
        screen.query_one("#item").focus()
        await pilot.press(*"统-2026-0001", "enter")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        said = screen_text(pilot)
        if lang == "en":
            assert "B1: 王部长 heads another department; the head of 第一检察部 signs: 张部长" \
                in said
        else:
            assert "王部长 是其他部门的领导；第一检察部的借阅单由 张部长 签字" in said
        assert screen.focused is head
        assert rows("SELECT count(*) FROM loan") == [(0,)]


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_photocopy_message_gives_the_copy_s_number(folder: StoreDir,
                                                             lang: str) -> None:
    from tests.tui_support import type_into

    app = build_app(folder, lang=lang)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _desk(pilot, app)
        screen.query_one("#mode").value = "copy"  # type: ignore[attr-defined]
        await settle(pilot)
        for field, text in (("#borrower", "lwj"), ("#slip_no", "借-7"), ("#head", "zbz"),
                            ("#approver", "cjc"), ("#secrecy", "保密办"),
                            ("#due_on", "2026-12-05"), ("#item", "统-2026-0002")):
            await type_into(pilot, field, text)
        await pilot.press("ctrl+s")
        await settle(pilot)
        copy = rows("SELECT reg_no FROM item WHERE kind = 'copy'")[0][0]
        assert copy == "统-2026-0005"
        said = screen_text(pilot)
        if lang == "en":
            assert "1 copy registered for 李文杰: 统-2026-0005 (copy of 统-2026-0002)." in said
        else:
            assert "统-2026-0005（统-2026-0002 的复印件）" in said and "李文杰" in said


async def test_the_returns_summary_counts_each_item_once(folder: StoreDir,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    session = folder.unlock("admin", ADMIN_PW)
    desk.record(session, Request("lwj", ["统-2026-0001"], "lend", slip_no="借-1", head="zbz",
                                 approver="cjc", due_on="2026-12-03"))
    desk.record(session, Request("lwj", ["统-2026-0002"], "copy", slip_no="借-2", head="zbz",
                                 approver="cjc", secrecy="bmb", due_on="2026-12-03"))
    session.close()
    later = NOW + timedelta(days=7)  # both past their date
    monkeypatch.setattr(clock, "now", lambda: later)
    app = build_app(folder, lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await _desk(pilot, app)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert isinstance(app.screen, ReturnsScreen)
        assert "Still out: 1 loan overdue | 1 copy not recovered, 1 of them overdue | " \
            "0 readings open" in screen_text(pilot)
        await pilot.press(*"统-2026-0005", "enter")  # the copy comes back
        await settle(pilot)
        assert "Still out: 1 loan overdue | 0 copies not recovered | 0 readings open" in \
            screen_text(pilot)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_chain_dialog_names_the_original_and_keeps_notes_apart(lang: str) -> None:
    from rich.cells import cell_len
    from textual.app import App

    from tui.screens.item_chain import ChainDialog

    i18n.set_language(lang)
    copy = items.Item(5, "统-2026-0005", "合订本（复印件）", "copy", "secret", 1, 1, 12,
                      "A柜-2层", "李文杰", 2, "copy")
    events = [items.Event("2026-11-30T09:00:00+08:00", "register", "admin", "", "保密办刘",
                          "统-2026-0002", ""),
              items.Event("2026-11-30T09:00:00+08:00", "copy", "admin", "李文杰", "陈检察长",
                          "借-9", ""),
              items.Event("2026-12-01T10:00:00+08:00", "recover", "admin", "李文杰", "", "",
                          "第3页有折痕")]
    app: App[None] = App()
    async with app.run_test(size=(120, 30)) as pilot:
        await app.push_screen(ChainDialog(copy, events, "统-2026-0002"))
        await pilot.pause()
        said = screen_text(pilot)
    words = {"en": ("Copy of", "Note", "Reference"), "zh": ("原件", "备注", "凭证号")}[lang]
    original = next(line for line in said.splitlines() if words[0] in line)
    assert "统-2026-0002" in original
    heading = next(line for line in said.splitlines() if words[2] in line)

    def column(line: str, text: str) -> int:
        return cell_len(line[:line.index(text)])

    assert column(heading, words[1]) > column(heading, words[2])  # a heading of its own
    recovered = next(line for line in said.splitlines() if "第3页有折痕" in line)
    assert column(recovered, "第3页有折痕") == column(heading, words[1])  # under it
