"""The card list: paged, filtered and searched in the store; filtered on screen; opened."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey

from store.cards import listing as card_list
from store.cards.listing import CardFilter
from store.demo import build as demo
from store.vault.database import rows
from store.vault.folder import StoreDir
from store.vault.paths import DataPaths
from tests.tui_support import login, screen_text, settle, type_into
from tui.app import build_app
from tui.dialogs.card_detail import CardDetailDialog
from tui.screens.card_list import CardListScreen


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests' cards are of 2026: the checks judge them as of 2026-11-30, not today."""
    from datetime import datetime

    from store import clock
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 30, 9).astimezone())


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> DataPaths:
    paths = DataPaths(tmp_path_factory.mktemp("cards") / "demo")
    demo.ensure_demo(paths, cards=3000)
    return paths


@pytest.fixture
def folder(demo_store: DataPaths) -> Iterator[StoreDir]:
    with StoreDir(demo_store) as opened:
        yield opened


def test_pages_follow_each_other_without_gaps(folder: StoreDir) -> None:
    folder.unlock("clerk", demo.DEMO_PASSWORD)
    first = card_list.page(CardFilter(), limit=50)
    second = card_list.page(CardFilter(), after=(0, first.rows[-1].id), limit=50)
    ids = [r.id for r in first.rows + second.rows]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 100
    assert ids[0] == rows("SELECT max(id) FROM card")[0][0]


@pytest.mark.parametrize("sort", card_list.SORTS)
@pytest.mark.parametrize("descending", [True, False])
def test_every_sort_pages_through_every_card_once(folder: StoreDir, sort: str,
                                                  descending: bool) -> None:
    folder.unlock("clerk", demo.DEMO_PASSWORD)
    flt = CardFilter(business_type="SCQS")
    seen, after = [], None
    while True:
        page = card_list.page(flt, sort, descending, after=after, limit=97)
        seen += page.rows
        if not page.has_more:
            break
        after = (page.rows[-1].sort_value(sort), page.rows[-1].id)
    keys = [(r.sort_value(sort), r.id) for r in seen]
    assert keys == sorted(keys, reverse=descending)
    if sort == "case_no":  # 〔2026〕9号 comes before 〔2026〕10号
        numbers = [r.case_no for r in seen]
        assert numbers == sorted(numbers, key=_as_a_clerk_reads, reverse=descending)
    assert len({r.id for r in seen}) == len(seen) == rows(
        "SELECT count(*) FROM card WHERE business_type = 'SCQS'")[0][0]


def test_filters_and_search_narrow_the_list(folder: StoreDir) -> None:
    folder.unlock("clerk", demo.DEMO_PASSWORD)
    own = card_list.page(CardFilter(business_type="SCDB"), limit=500).rows
    assert own and all(r.business_type == "SCDB" for r in own)
    flawed = card_list.page(CardFilter(problems_only=True), limit=500).rows
    assert flawed and all(r.problems for r in flawed)
    name = rows("SELECT case_name FROM card WHERE business_type = 'SCQS' LIMIT 1")[0][0]
    found = card_list.page(CardFilter(search=name[1:]), limit=500).rows
    assert found and all(name[1:] in r.case_name or name[1:] in r.case_no for r in found)


async def test_filtering_the_list_on_screen_and_opening_a_card(folder: StoreDir) -> None:
    app = build_app(folder, lang="en")
    async with app.run_test(size=(120, 30)) as pilot:
        await login(pilot, "clerk", demo.DEMO_PASSWORD)
        await pilot.press("f9")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CardListScreen)
        assert screen.current is not None and len(screen.current.rows) == 100
        await type_into(pilot, "#card-type", "scqs", enter=False)
        await settle(pilot)
        assert screen.current.rows and {r.business_type for r in screen.current.rows} == {"SCQS"}
        await type_into(pilot, "#card-search", "受贿", enter=False)  # 监委移送 (2026 tables)
        await settle(pilot)
        assert screen.current.rows and all("受贿" in r.case_name for r in screen.current.rows)
        screen.query_one("#card-table").focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CardDetailDialog)
        assert "History" in screen_text(pilot)


def _as_a_clerk_reads(case_no: str) -> tuple[str, int]:
    prefix, _, rest = case_no.partition("〕")
    return prefix, int(rest.removesuffix("号"))


async def test_sorting_the_list_by_keyboard(folder: StoreDir) -> None:
    app = build_app(folder, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "clerk", demo.DEMO_PASSWORD)
        await pilot.press("f9")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CardListScreen) and screen.current is not None
        await pilot.press("s")  # by case number, descending
        await settle(pilot)
        numbers = [r.case_key for r in screen.current.rows]
        assert numbers == sorted(numbers, reverse=True)
        assert "sorted by case number, descending" in screen_text(pilot)
        await pilot.press("d", "n")  # ascending, and the next page follows on
        await settle(pilot)
        table = screen.query_one("#card-table", DataTable)
        shown = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        assert len(shown) == 200 and shown == sorted(shown, key=_as_a_clerk_reads)
        assert "Case number ^" in str(table.columns[ColumnKey("case_no")].label)


def test_the_demo_generator_marks_only_real_problems(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path / "d")
    demo.ensure_demo(paths, cards=500)
    with StoreDir(paths) as folder:
        folder.unlock("clerk", demo.DEMO_PASSWORD)
        from store.cards import entry as cards
        from store.cards import review as card_review

        flagged = [r[0] for r in rows("SELECT id FROM card WHERE problems > 0")]
        assert flagged and all(cards.validate(card_review.get(i).as_input(), i).errors
                               for i in flagged)


async def test_review_from_the_list_accept_and_return(tmp_path: Path) -> None:
    from store.cards import entry as cards
    from store.cards import review as card_review
    from store.cards.entry import CardInput

    paths = DataPaths(tmp_path / "r")
    demo.ensure_demo(paths, cards=0)
    with StoreDir(paths) as folder:
        session = folder.unlock("clerk", demo.DEMO_PASSWORD)
        good, _c = cards.add(session, CardInput(
            department="D01", business_type="SCQS", case_no="某检刑诉〔2026〕1号",
            case_name="周某盗窃案", charge="C01", persons="1", accepted_on="20261009",
            concluded_on="20261118", outcome="TQGS", outcome_persons="1"))
        session.close()
        app = build_app(folder, lang="en")
        async with app.run_test(size=(120, 30)) as pilot:
            await login(pilot, "clerk", demo.DEMO_PASSWORD)
            assert "cards due by" in screen_text(pilot)  # the dashboard's cards panel
            await pilot.press("f9")
            await settle(pilot)
            await pilot.press("a")
            await settle(pilot)
            assert card_review.get(good).status == "accepted"
            await pilot.press("x")
            await settle(pilot)
            await type_into(pilot, "#reason", "案号与卷宗不符，请核对")
            await settle(pilot)
            record = card_review.get(good)
            assert (record.status, record.return_reason) == ("returned", "案号与卷宗不符，请核对")


async def test_change_correct_and_void_from_the_list(tmp_path: Path) -> None:
    from store.cards import entry as cards
    from store.cards import months
    from store.cards import review as card_review
    from store.cards.entry import CardInput

    paths = DataPaths(tmp_path / "c")
    demo.ensure_demo(paths, cards=0)
    with StoreDir(paths) as folder:
        session = folder.unlock("admin", demo.DEMO_PASSWORD)
        typed = CardInput(department="D01", business_type="SCQS", case_no="某检刑诉〔2026〕9号",
                          case_name="冯某盗窃案", charge="C01", persons="1",
                          accepted_on="20261109", concluded_on="20261118", outcome="TQGS",
                          outcome_persons="1")
        card_id, _c = cards.add(session, typed)
        card_review.accept(session, card_id)
        months.lock(session, "2026-11", "已报送")
        session.close()
        app = build_app(folder, lang="en")
        async with app.run_test(size=(120, 30)) as pilot:
            await login(pilot, "admin", demo.DEMO_PASSWORD)
            await pilot.press("f9")
            await settle(pilot)
            await pilot.press("e")
            await settle(pilot)
            await type_into(pilot, "#persons", "2", enter=False)
            await type_into(pilot, "#outcome_persons", "2", enter=False)
            await pilot.press("ctrl+s")
            await settle(pilot)
            await type_into(pilot, "#reason", "部门核对后更正人数")
            await settle(pilot)
            record = card_review.get(card_id)
            assert (record.persons, record.status) == (2, "reported")
            assert card_review.history(card_id)[-1].reason == "部门核对后更正人数"
            await pilot.press("delete")
            await settle(pilot)
            await type_into(pilot, "#reason", "重复录入")
            await settle(pilot)
            assert card_review.get(card_id).status == "reported"  # a reported card is not voided
            assert "cannot be voided" in str([n.message for n in app._notifications])


def test_the_search_index_follows_changes(tmp_path: Path) -> None:
    from dataclasses import replace

    from store.cards import entry as cards
    from store.cards import review as card_review
    from store.cards.entry import CardInput

    paths = DataPaths(tmp_path / "s")
    demo.ensure_demo(paths, cards=0)
    with StoreDir(paths) as folder:
        session = folder.unlock("admin", demo.DEMO_PASSWORD)
        typed = CardInput(department="D01", business_type="SCQS", case_no="某检刑诉〔2026〕77号",
                          case_name="卫某非法采矿案", charge="C01", persons="1",
                          accepted_on="20261009")
        card_id, _c = cards.add(session, typed)
        assert [r.id for r in card_list.page(CardFilter(search="非法采矿")).rows] == [card_id]
        assert [r.id for r in card_list.page(CardFilter(search="2026〕77")).rows] == [card_id]
        card_review.update(session, card_id, replace(typed, case_name="卫某滥伐林木案"))
        assert card_list.page(CardFilter(search="非法采矿")).rows == []
        assert [r.id for r in card_list.page(CardFilter(search="滥伐林木")).rows] == [card_id]
        session.close()


# --- the drill-down from the report's figures -------------------------------------------------


def test_every_figure_opens_exactly_the_cards_behind_it(session: object) -> None:
    from store.report import figures as report
    from tests.report_fixture import Case, P, behind, event, insert_cases, write

    insert_cases()
    mixed, = write([Case("2026-11", "D02", "SCDB", (P("BPDB"), P("PZDB"), P()), "2026-11")])
    event(mixed, "returned", "2026-11-12", "2026-11", status="void")  # a void event: none
    built = report.build("2026-11")
    checked = 0
    for period in report.PERIODS:
        expected = behind(*built.ranges[period])
        for department in ["", *built.departments]:
            for line in built.lines:
                flt = report.figure_filter(built, period, line.key, department or None)
                shown = {r.id for r in card_list.page(flt, limit=1000).rows}
                assert shown == expected.get((department, line.key), set()), (
                    period, department, line.key)
                if line.kind not in ("returned", "resent") and line.outcome is None:
                    assert len(shown) == built.count(period, line.key, department).cases
                checked += bool(shown)
    assert checked > 100
    outcome = report.figure_filter(built, "month", "SCDB:concluded/PZDB")
    assert mixed in {r.id for r in card_list.page(outcome).rows}  # a person has it


def test_a_check_opens_the_cases_it_found(session: object) -> None:
    from store.report import figures as report
    from tests.report_fixture import Case, P, write

    adult, _minor = write([
        Case("2026-11", "D01", "SCQS", (P("BQS", minor=0, kind="FTJ"),), "2026-11"),
        Case("2026-11", "D01", "SCQS", (P("BQS", minor=1, kind="FTJ"),), "2026-11")])
    found = report.build("2026-11").checks
    assert [c.code for c in found] == ["K06"]
    shown = card_list.page(report.check_filter(found[0])).rows
    assert [r.id for r in shown] == [adult]


async def test_the_cursor_stays_on_the_card_opened_and_acted_on(folder: StoreDir) -> None:
    """F9, Down ×4, Enter, Esc: the cursor is still on the card opened, not back at the top,
    so the next key (a, x, Delete) acts on that card (issue 18, point 1)."""
    app = build_app(folder, lang="en")
    async with app.run_test(size=(120, 30)) as pilot:
        await login(pilot, "clerk", demo.DEMO_PASSWORD)
        await pilot.press("f9")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CardListScreen) and screen.current is not None
        await pilot.press("down", "down", "down", "down")
        opened = screen.current.rows[4].id
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CardDetailDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, CardListScreen)
        table = screen.query_one("#card-table", DataTable)
        assert table.cursor_row == 4
        assert str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value) == \
            str(opened)
        await pilot.press("s")  # a new order starts at the top
        await settle(pilot)
        assert table.cursor_row == 0


async def test_a_drill_down_stays_one_when_the_clerk_searches_in_it(folder: StoreDir) -> None:
    """The cards behind a figure, narrowed by a search, are still only cards behind it."""
    folder.unlock("clerk", demo.DEMO_PASSWORD)
    behind = tuple(r[0] for r in rows("SELECT id FROM card WHERE business_type = 'SCQS'"
                                      " ORDER BY id LIMIT 5"))
    word = rows("SELECT substr(case_name, 1, 1) FROM card WHERE id = ?", (behind[0],))[0][0]
    app = build_app(folder, lang="en")
    async with app.run_test(size=(120, 30)) as pilot:
        await login(pilot, "clerk", demo.DEMO_PASSWORD)
        screen = CardListScreen(CardFilter(ids=behind), behind="five cards")
        await app.push_screen(screen)
        await settle(pilot)
        assert screen.current is not None and {r.id for r in screen.current.rows} == set(behind)
        await type_into(pilot, "#card-search", word, enter=False)
        await settle(pilot)
        shown = {r.id for r in screen.current.rows}
        assert behind[0] in shown and shown <= set(behind)
