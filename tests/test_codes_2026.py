"""The 2026 code tables: a new store starts on them (the first tables' ZZLA 自侦, MSXZ 民事行政,
THBZ 退回补充侦查 and a county's 提出抗诉 retired); a store from before keeps its codes and is
offered them — on the dashboard, on the code tables screen, by `statdesk codes` — and adopting
them is one audited step that leaves every card's codes as they were."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from store import clock, migrations, operators
from store.audit import log as audit
from store.cards import code_admin, codes
from store.cards import entry as cards
from store.cards.seed_codes import CODES_2026, JUDICIAL_STAFF_CHARGES
from store.errors import NotAllowed
from store.vault.database import db, execute, rows
from store.vault.folder import StoreDir
from store.vault.paths import DataPaths
from store.vault.session import Session
from tests.conftest import ADMIN_PW, CLERK_PW, CliResult, Store

Cli = Callable[..., CliResult]
OLD = 17
"""The schema of a store made before the 2026 tables (statdesk 0.3)."""

BRIBERY_REFERRED = cards.CardInput(
    department="D02", business_type="SCQS", case_no="某检刑诉〔2026〕88号",
    case_name="王某受贿案", charge="C13", persons="1", accepted_on="2026-11-03",
    concluded_on="2026-11-24", outcome="TQGS", custody="JY", plea="1",
    unified_no="4105222026000088")
"""A bribery case referred by the supervisory commission (监委移送审查起诉), as 2026 has them."""
OWN_BRIBERY = cards.CardInput(
    department="D06", business_type="ZZLA", case_no="某检反贪〔2026〕7号", case_name="李某受贿案",
    charge="C13", persons="1", accepted_on="2026-11-02", amount="120000", rank="R2",
    major="auto")
"""The same case as the first tables had it: investigated by the county's own 反贪."""
JUDICIAL_STAFF = cards.CardInput(
    department="D03", business_type="ZCZW", case_no="某检侦〔2026〕1号", case_name="赵某徇私枉法案",
    charge="C22", persons="1", accepted_on="2026-09-01", concluded_on="2026-11-20",
    outcome="YSQS", amount="0", rank="R2", major="auto", custody="QB")


def _errors(typed: cards.CardInput) -> list[str]:
    return [v.code for v in cards.validate(typed).errors]


def test_a_new_store_starts_on_the_2026_tables(session: Session) -> None:
    active = {kind: [c.code for c in codes.all_codes(kind)] for kind in codes.KINDS}
    assert active == {kind: [e.code for e in entries] for kind, entries in CODES_2026.items()}
    for kind, code in (("business_type", "ZZLA"), ("business_type", "MSXZ"),
                       ("outcome", "THBZ"), ("outcome", "TCKS"), ("department", "D06")):
        found = codes.get(kind, code)
        assert found is not None and found.status == "retired", (kind, code)
    assert [c.code for c in codes.outcomes_for("SCQS")] == ["TQGS", "BQS", "ZZSC"]
    assert [c.code for c in codes.outcomes_for("ZCZW")] == ["YSQS", "CXAJ"]
    civil = codes.outcomes_for("MSJC") + codes.outcomes_for("XZJC")
    assert civil and not [c for c in civil if "提出抗诉" in c.name_zh]  # 提请抗诉 only
    assert [c.name_zh for c in codes.outcomes_for("XSJD") if "抗诉" in c.name_zh] == [
        "提出抗诉（二审）", "提请抗诉"]
    names = {c.code: c.name_zh for c in codes.all_codes("charge")}
    assert sorted(names[c] for c in JUDICIAL_STAFF_CHARGES) == sorted([
        "非法拘禁罪", "非法搜查罪", "刑讯逼供罪", "暴力取证罪", "虐待被监管人罪", "滥用职权罪",
        "玩忽职守罪", "徇私枉法罪", "民事、行政枉法裁判罪", "执行判决、裁定失职罪",
        "执行判决、裁定滥用职权罪", "私放在押人员罪", "失职致使在押人员脱逃罪",
        "徇私舞弊减刑、假释、暂予监外执行罪"])
    assert code_admin.offered() == [] and code_admin.adopted() is not None
    [adopted] = [e for e in audit.recent(50) if e.action == "code.adopt"]
    said = json.loads(adopted.new or "{}")
    assert {"business_type:ZZLA", "outcome:TCKS", "department:D06"} <= set(said["retired"])
    assert "business_type:ZCZW" in said["added"] and "outcome:YSQS" in said["moved"]


def test_a_county_no_longer_investigates_bribery_itself(session: Session) -> None:
    """The old behaviour is gone: a 受贿 case opened by the county's own 反贪 is refused (its
    business type and department are retired); the same charge arrives as 审查起诉 from the
    supervisory commission, and judicial staff's crimes are the county's own investigations."""
    assert "R20" in _errors(OWN_BRIBERY)
    assert _errors(BRIBERY_REFERRED) == []
    assert _errors(JUDICIAL_STAFF) == []
    assert "R02" in _errors(replace(BRIBERY_REFERRED, outcome="THBZ"))  # 退查 is an event now


def test_office_entries_stay_and_outcomes_of_retired_types_go(session: Session) -> None:
    """Adopting retires what the first tables had and 2026 has not; an entry the office added
    itself stays, unless it is an outcome of a business type that is retired."""
    _first_tables(session)
    code_admin.add(session, "department", "D09", "检察技术信息部", "Technology Department", "jsxx")
    code_admin.add(session, "outcome", "ZZLX", "自侦另案处理", "handled separately", "zzlx", "ZZLA")
    offers = {(o.change, o.kind, o.code) for o in code_admin.offered()}
    assert ("retire", "outcome", "ZZLX") in offers
    assert not [o for o in offers if o[2] == "D09"]
    code_admin.adopt_2026(session)
    assert codes.get("department", "D09").status == "active"  # type: ignore[union-attr]
    assert codes.get("outcome", "ZZLX").status == "retired"  # type: ignore[union-attr]
    with pytest.raises(NotAllowed, match="in use already"):
        code_admin.adopt_2026(session)


def _first_tables(session: Session) -> None:
    """Put this store back on the first tables, as a store made before 2026 has them."""
    from store.cards.seed_codes import seed_sql
    from store.vault import meta

    with db.atomic():
        execute("DELETE FROM code")
        for statement in seed_sql():
            execute(statement)
        meta.drop(code_admin.ADOPTED_KEY)
        session.audit.append(session.actor.name, "code.change", "code", "first tables")


# --- a store made before the 2026 tables -----------------------------------------------------


@pytest.fixture(scope="module")
def schema_17(tmp_path_factory: pytest.TempPathFactory) -> DataPaths:
    """A store made by statdesk 0.3 (schema 17) on the first tables, with a 反贪 card (ZZLA,
    移送起诉) and a clerk; closed."""
    paths = DataPaths(tmp_path_factory.mktemp("old") / "data")
    shipped = migrations.available()
    with pytest.MonkeyPatch.context() as old:
        old.setattr(migrations, "available", lambda: shipped[:OLD])
        old.setattr(clock, "now", lambda: datetime(2025, 6, 30, 9).astimezone())
        old.setattr(code_admin, "adopt_2026", lambda session: 0)
        with StoreDir(paths, create=True) as folder:
            session = folder.init("admin", ADMIN_PW, "测试县人民检察院", "王管理").session
            operators.add(session, "clerk", "clerk", CLERK_PW, "李统计")
            with db.atomic():
                execute("INSERT INTO card (department, business_type, case_no, case_name,"
                        " charge, persons, accepted_on, concluded_on, outcome, outcome_persons,"
                        " amount, rank, major, month, status, entered_by, entered_at,"
                        " updated_by, updated_at) VALUES ('D06', 'ZZLA', '某检反贪〔2025〕3号',"
                        " '李某受贿案', 'C13', 1, '2025-03-03', '2025-06-10', 'YSQS', 1,"
                        " 120000, 'R2', '', '2025-06', 'accepted', 'admin', 't', 'admin', 't')")
                session.audit.append("admin", "card.add", "card", "1")
            session.close()
    return paths


@pytest.fixture
def upgraded(schema_17: DataPaths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
             ) -> DataPaths:
    """A copy of the schema-17 store, upgraded by this statdesk at its first login; closed."""
    paths = DataPaths(tmp_path / "data")
    shutil.copytree(schema_17.root, paths.root)
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 30, 9).astimezone())
    with StoreDir(paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        assert session.upgraded is not None and session.upgraded.from_schema == OLD
        session.close()
    return paths


def test_an_existing_store_keeps_its_codes_and_is_offered_them(upgraded: DataPaths) -> None:
    with StoreDir(upgraded) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        assert codes.get("business_type", "ZZLA").status == "active"  # type: ignore[union-attr]
        assert codes.get("business_type", "ZCZW") is None and code_admin.adopted() is None
        assert codes.get("outcome", "YSQS").parent == "ZZLA"  # type: ignore[union-attr]
        # 退回补充侦查 stopped being an outcome with the upgrade itself (m0018), tables or not
        assert codes.get("outcome", "THBZ").status == "retired"  # type: ignore[union-attr]
        offers = {(o.change, o.kind, o.code): o for o in code_admin.offered()}
        assert {("add", "business_type", "ZCZW"), ("retire", "business_type", "ZZLA"),
                ("retire", "outcome", "TCKS"), ("move", "outcome", "YSQS"),
                ("rename", "business_type", "GYSS"), ("add", "department", "D07")} <= set(offers)
        assert offers[("rename", "business_type", "GYSS")].describe() == \
            "renamed: GYSS 公益诉讼 -> 公益诉讼检察"
        clerk = folder.unlock("clerk", CLERK_PW)
        with pytest.raises(NotAllowed):
            code_admin.adopt_2026(clerk)
        assert codes.get("business_type", "ZZLA").status == "active"  # type: ignore[union-attr]
        session.close()


def test_statdesk_codes_lists_and_adopts_them(upgraded: DataPaths, cli_run: Cli) -> None:
    auth = ["--data-dir", str(upgraded.root), "--user", "admin", "--password-stdin"]
    listed = cli_run(["codes", "offered", *auth], f"{ADMIN_PW}\n")
    assert listed.code == 0, listed.err
    assert "retired: ZZLA Own investigation" in listed.out
    assert "moved to another business type: YSQS sent for prosecution (ZZLA -> ZCZW)" in listed.out
    assert "statdesk codes adopt-2026" in listed.out
    with StoreDir(upgraded) as folder:
        folder.unlock("admin", ADMIN_PW)
        before = rows("SELECT * FROM card ORDER BY id")
        head = audit.recent(1)[0].id
        folder.close()
    done = cli_run(["codes", "adopt-2026", *auth], f"{ADMIN_PW}\n")
    assert done.code == 0, done.err
    assert "The 2026 code tables are adopted" in done.out
    with StoreDir(upgraded) as folder:
        folder.unlock("admin", ADMIN_PW)
        entries = [e for e in audit.recent(20) if e.id > head]
        assert [e.action for e in entries if e.action.startswith("code.")] == ["code.adopt"]
        assert rows("SELECT * FROM card ORDER BY id") == before  # cards keep their codes
        assert rows("SELECT business_type, outcome FROM card") == [("ZZLA", "YSQS")]
        zzla = codes.get("business_type", "ZZLA")
        assert zzla is not None and zzla.status == "retired" and zzla.name_zh == "自侦立案侦查"
        assert [c.code for c in codes.all_codes("business_type")] == [
            e.code for e in CODES_2026["business_type"]]
        assert code_admin.offered() == []
        folder.close()
    again = cli_run(["codes", "adopt-2026", *auth], f"{ADMIN_PW}\n")
    assert again.code == 1 and "in use already" in again.err
    shown = cli_run(["codes", "offered", *auth], f"{ADMIN_PW}\n")
    assert shown.code == 0 and "The 2026 code tables are in use (adopted 2026-" in shown.out


async def test_the_dashboard_says_so_and_the_code_tables_adopt_them(upgraded: DataPaths
                                                                    ) -> None:
    from tests.tui_support import login, screen_text, settle
    from tui import glyphs
    from tui.app import build_app
    from tui.dialogs.code_offer import CodeOfferDialog
    from tui.screens.codes import CodesScreen
    from tui.screens.dashboard import DashboardScreen

    with StoreDir(upgraded) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=(100, 30)) as pilot:
            await login(pilot, "admin", ADMIN_PW)
            await settle(pilot)
            while not isinstance(app.screen, DashboardScreen):  # what the upgrade said
                await pilot.press("enter")
                await settle(pilot)
            said = screen_text(pilot)
            assert "The 2026 code tables are offered" in said and "F5 Ctrl+T o" in said
            await pilot.press("f5")
            await settle(pilot)
            await pilot.press("ctrl+t")
            await settle(pilot)
            assert isinstance(app.screen, CodesScreen)
            await pilot.press("o")
            await settle(pilot)
            assert isinstance(app.screen, CodeOfferDialog)
            shown = screen_text(pilot)
            assert "retired: ZZLA Own investigation" in shown and "Business types" in shown
            assert "renamed: GYSS 公益诉讼 -> 公益诉讼检察" in shown
            assert [ch for ch in said + shown if not glyphs.drawn(ch) and ch != "\n"] == []
            await pilot.press("escape")  # not now: nothing changes
            await settle(pilot)
            assert isinstance(app.screen, CodesScreen) and code_admin.adopted() is None
            await pilot.press("o")
            await settle(pilot)
            await pilot.press("y")
            await settle(pilot)
            assert isinstance(app.screen, CodesScreen) and code_admin.adopted() is not None
            assert codes.get("business_type", "ZZLA").status == "retired"  # type: ignore[union-attr]
            await pilot.press("o")  # nothing more to adopt: said, no dialog
            await settle(pilot)
            assert isinstance(app.screen, CodesScreen)
            await pilot.press("escape", "escape")
            await settle(pilot)
            assert isinstance(app.screen, DashboardScreen)
            assert "The 2026 code tables are offered" not in screen_text(pilot)


async def test_a_new_store_shows_no_offer(store: Store) -> None:
    from tests.tui_support import login, screen_text, settle
    from tui.app import build_app

    with StoreDir(store.paths) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=(100, 30)) as pilot:
            await login(pilot, "admin", ADMIN_PW)
            await settle(pilot)
            assert code_admin.adopted() is not None
            assert "code tables are offered" not in screen_text(pilot)
