"""The demo store's sample cases: three years on the 2026 code tables, realistic shares, cases
with their persons and events, and a size for benchmarks."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest

from store.cards import codes
from store.cards import entry as cards
from store.cards import review as card_review
from store.demo import build as demo
from store.vault.database import rows
from store.vault.folder import StoreDir
from store.vault.paths import DataPaths
from store.vault.session import Session
from tests.conftest import CliResult


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    paths = DataPaths(tmp_path_factory.mktemp("demo") / "demo")
    demo.ensure_demo(paths)
    with StoreDir(paths) as folder:
        session = folder.unlock("clerk", demo.DEMO_PASSWORD)
        yield session
        session.close()


def test_three_years_of_cards_with_seasons_and_problems(demo_store: Session) -> None:
    total = rows("SELECT count(*) FROM card")[0][0]
    assert 7000 < total < 11000
    by_type = dict(rows("SELECT business_type, count(*) FROM card GROUP BY 1"))
    assert by_type["SCQS"] > by_type["SCDB"] > by_type["MSJC"] > by_type["XZJC"] > 0
    february = rows("SELECT count(*) FROM card WHERE substr(accepted_on, 6, 2) = '02'")[0][0]
    december = rows("SELECT count(*) FROM card WHERE substr(accepted_on, 6, 2) = '12'")[0][0]
    assert february < december
    returned = dict(rows("SELECT status, count(*) FROM card GROUP BY 1")).get("returned", 0)
    assert 0.02 < returned / total < 0.08
    sample = rows("SELECT id FROM card WHERE status IN ('accepted', 'reported')"
                  " ORDER BY random() LIMIT 80")
    for (card_id,) in sample:  # counted demo cards pass every error rule
        checked = cards.validate(card_review.get(card_id).as_input(), card_id)
        assert checked.errors == [], (card_id, [v.code for v in checked.errors])
    for (card_id,) in rows("SELECT id FROM card WHERE status = 'returned' LIMIT 30"):
        assert cards.validate(card_review.get(card_id).as_input(), card_id).errors


def test_no_county_anticorruption_bureau(demo_store: Session) -> None:
    """No 自侦 反贪 (ZZLA) or 民事行政 (MSXZ) card, no retired code at all: bribery, embezzlement
    and misappropriation come from the supervisory commission as 审查起诉 cases; the county
    investigates only judicial staff's crimes, a few cases a year at most."""
    retired = {(c.kind, c.code) for kind in codes.KINDS
               for c in codes.all_codes(kind, include_retired=True) if c.status == "retired"}
    used = set(rows("SELECT DISTINCT 'business_type', business_type FROM card UNION"
                    " SELECT DISTINCT 'department', department FROM card UNION"
                    " SELECT DISTINCT 'outcome', outcome FROM card WHERE outcome != '' UNION"
                    " SELECT DISTINCT 'charge', charge FROM card WHERE charge != '' UNION"
                    " SELECT DISTINCT 'outcome', outcome FROM card_person WHERE outcome != ''"))
    assert not used & retired and ("business_type", "ZZLA") not in used
    referred = dict(rows("SELECT charge, count(*) FROM card WHERE business_type = 'SCQS' AND"
                         " department = 'D02' AND charge IN ('C12', 'C13', 'C14') GROUP BY 1"))
    assert set(referred) == {"C12", "C13", "C14"} and referred["C13"] >= referred["C12"]
    assert rows("SELECT count(*) FROM card WHERE charge IN ('C12', 'C13', 'C14')"
                " AND business_type NOT IN ('SCDB', 'SCQS')") == [(0,)]
    decided = rows("SELECT count(*) FROM card_person p JOIN card c ON c.id = p.card_id WHERE"
                   " c.business_type = 'SCDB' AND p.outcome_kind = 'JD' AND c.charge = 'C13'")
    assert decided[0][0] > 0  # the procuratorate decides the arrest (决定逮捕)
    own = rows("SELECT substr(accepted_on, 1, 4), count(*), min(charge IN ("
               "'C15', 'C16', 'C17', 'C18', 'C19', 'C20', 'C21', 'C22', 'C23', 'C24', 'C25',"
               " 'C26', 'C27', 'C28')) FROM card WHERE business_type = 'ZCZW' GROUP BY 1")
    assert own and all(n <= 6 and judicial for _year, n, judicial in own)


def _recomputed() -> dict[int, tuple[int, str, int, int, int]]:
    """Each card's persons, outcome, outcome persons, 认罪认罚 persons and mixed, from its
    person rows (the first outcome in the code table's order; its own outcome without any)."""
    order = {c.code: n for n, c in enumerate(codes.all_codes("outcome", include_retired=True))}
    people: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for card_id, outcome, plea in rows("SELECT card_id, outcome, plea FROM card_person"
                                       " WHERE status = 'active' ORDER BY card_id, seq"):
        people[card_id].append((outcome, plea))
    found = {}
    for card_id, outcome in rows("SELECT id, outcome FROM card"):
        persons = people.get(card_id, [])
        if persons:
            outcomes = {o for o, _p in persons if o}
            outcome = min(outcomes, key=lambda o: order[o]) if outcomes else ""
        concerned = sum(1 for o, _p in persons if outcome and o == outcome)
        mixed = int(bool(outcome) and any(o != outcome for o, _p in persons))
        found[card_id] = (len(persons), outcome, concerned, sum(p for _o, p in persons), mixed)
    return found


def test_every_card_has_its_persons_in_step(demo_store: Session) -> None:
    stored = {r[0]: tuple(r[1:]) for r in rows(
        "SELECT id, persons, outcome, outcome_persons, plea_persons, mixed FROM card")}
    assert stored == _recomputed()
    criminal = rows("SELECT count(*) FROM card WHERE business_type IN ('SCDB', 'SCQS', 'ZCZW')"
                    " AND persons = 0")
    assert criminal == [(0,)]
    sizes = Counter(n for (n,) in rows("SELECT persons FROM card WHERE business_type = 'SCQS'"))
    assert sizes[1] > sizes[2] > 0 and sizes[5] > 0 and 6 not in sizes
    mixed = rows("SELECT count(*) FROM card WHERE mixed = 1 AND status IN ('accepted',"
                 " 'reported') AND business_type = 'SCQS'")[0][0]
    assert mixed > 50  # some prosecuted, some not
    [(pleas, persons)] = rows("SELECT sum(p.plea), count(*) FROM card_person p JOIN card c ON"
                              " c.id = p.card_id WHERE c.business_type = 'SCQS'")
    assert 0.8 < pleas / persons < 0.9  # 认罪认罚 for about 85%
    minors = dict(rows("SELECT p.outcome_kind, count(*) FROM card_person p JOIN card c ON"
                       " c.id = p.card_id WHERE p.minor = 1 AND c.status IN ('accepted',"
                       " 'reported') GROUP BY 1"))
    assert minors.get("FTJ", 0) > 0
    assert rows("SELECT count(*) FROM card_person p JOIN card c ON c.id = p.card_id WHERE"
                " p.outcome_kind = 'FTJ' AND p.minor = 0 AND c.status IN ('accepted',"
                " 'reported')") == [(0,)]  # 附条件不起诉 only for minors
    custody = dict(rows("SELECT custody, count(*) FROM card_person GROUP BY 1"))
    assert set(custody) == {"", "JY", "QB", "JS"} and custody["QB"] > custody["JS"]


def test_cases_span_months_with_events_and_some_are_open(demo_store: Session) -> None:
    spanning = rows("SELECT count(*) FROM card WHERE concluded_month > month")[0][0]
    assert spanning > 1000
    assert rows("SELECT count(*) FROM card WHERE concluded_month != '' AND"
                " concluded_month < month") == [(0,)]
    events = dict(rows("SELECT kind, count(*) FROM card_event GROUP BY 1"))
    assert events["returned"] >= events["resent"] > 100 and events["extended"] > 10
    assert rows("SELECT count(*) FROM card_event e JOIN card c ON c.id = e.card_id"
                " WHERE c.business_type != 'SCQS' OR e.on_day < c.accepted_on OR"
                " (c.concluded_on != '' AND e.on_day > c.concluded_on)") == [(0,)]
    assert rows("SELECT count(*) FROM card_event e WHERE kind = 'resent' AND NOT EXISTS"
                " (SELECT 1 FROM card_event r WHERE r.card_id = e.card_id AND"
                " r.kind = 'returned' AND r.on_day <= e.on_day)") == [(0,)]
    open_cases = dict(rows("SELECT business_type, count(*) FROM card WHERE concluded_on = ''"
                           " AND status IN ('accepted', 'reported', 'submitted') GROUP BY 1"))
    assert open_cases["SCQS"] > 20 and sum(open_cases.values()) < 0.05 * rows(
        "SELECT count(*) FROM card")[0][0]
    assert rows("SELECT count(*) FROM card WHERE concluded_on = '' AND (outcome != '' OR"
                " concluded_month != '')") == [(0,)]


def test_stages_of_a_case_share_its_unified_number(demo_store: Session) -> None:
    """审查逮捕 and then 审查起诉 of the same case, linked by its 统一受案号."""
    assert rows("SELECT count(*) FROM card WHERE unified_no = ''") == [(0,)]
    pairs = rows("SELECT a.accepted_on, b.accepted_on, a.department = b.department FROM card a"
                 " JOIN card b ON a.unified_no = b.unified_no AND a.business_type = 'SCDB'"
                 " AND b.business_type = 'SCQS'")
    assert len(pairs) > 1000
    assert all(arrest <= prosecution and same for arrest, prosecution, same in pairs)
    assert rows("SELECT count(*) FROM (SELECT unified_no FROM card GROUP BY unified_no,"
                " business_type HAVING count(*) > 1)") == [(0,)]


def test_benchmark_sizes_come_from_the_same_generator(tmp_path: Path, cli_run) -> None:  # type: ignore[no-untyped-def]
    result: CliResult = cli_run(["demo", "--no-open", "--cards", "1234", "--data-dir",
                                 str(tmp_path / "big")])
    assert result.code == 0, result.err
    with StoreDir(DataPaths(tmp_path / "big")) as folder:
        folder.unlock("admin", demo.DEMO_PASSWORD)
        assert rows("SELECT count(*) FROM card") == [(1234,)]
        assert rows("SELECT count(DISTINCT card_id) FROM card_person")[0][0] > 800
        assert rows("SELECT count(*) FROM card_event")[0][0] > 0
        assert _recomputed() == {r[0]: tuple(r[1:]) for r in rows(
            "SELECT id, persons, outcome, outcome_persons, plea_persons, mixed FROM card")}
    again = cli_run(["demo", "--no-open", "--cards", "10", "--data-dir", str(tmp_path / "big")])
    assert again.code == 1 and "exists already" in again.err
