"""The demo store's sample cards: three years, realistic shares, and a size for benchmarks."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.cards import entry as cards
from store.cards import review as card_review
from store.demo import build as demo
from store.vault.database import rows
from store.vault.folder import StoreDir
from store.vault.paths import DataPaths


@pytest.fixture
def demo_paths(tmp_path: Path) -> DataPaths:
    paths = DataPaths(tmp_path / "demo")
    demo.ensure_demo(paths)
    return paths


def test_three_years_of_cards_with_seasons_and_problems(demo_paths: DataPaths) -> None:
    with StoreDir(demo_paths) as folder:
        session = folder.unlock("clerk", demo.DEMO_PASSWORD)
        total = rows("SELECT count(*) FROM card")[0][0]
        assert 7000 < total < 11000
        by_type = dict(rows("SELECT business_type, count(*) FROM card GROUP BY 1"))
        assert by_type["SCQS"] > by_type["SCDB"] > by_type["MSXZ"] > by_type["ZZLA"] > 0
        february = rows("SELECT count(*) FROM card WHERE substr(accepted_on, 6, 2) = '02'")[0][0]
        december = rows("SELECT count(*) FROM card WHERE substr(accepted_on, 6, 2) = '12'")[0][0]
        assert february < december
        returned = dict(rows("SELECT status, count(*) FROM card GROUP BY 1")).get("returned", 0)
        assert 0.02 < returned / total < 0.08
        sample = rows("SELECT id FROM card WHERE status = 'accepted' ORDER BY id LIMIT 50")
        for (card_id,) in sample:  # accepted demo cards pass every error rule
            checked = cards.validate(card_review.get(card_id).as_input(), card_id)
            assert checked.errors == [], (card_id, [v.code for v in checked.errors])
        session.close()


def test_benchmark_sizes_come_from_the_same_generator(tmp_path: Path, cli_run) -> None:
    result = cli_run(["demo", "--no-open", "--cards", "1234", "--data-dir",
                      str(tmp_path / "big")])
    assert result.code == 0, result.err
    with StoreDir(DataPaths(tmp_path / "big")) as folder:
        folder.unlock("admin", demo.DEMO_PASSWORD)
        assert rows("SELECT count(*) FROM card") == [(1234,)]
    again = cli_run(["demo", "--no-open", "--cards", "10", "--data-dir", str(tmp_path / "big")])
    assert again.code == 1 and "exists already" in again.err
