"""The settings as one typed record: read once from the table, changed by a record or as typed,
each change audited with the text stored before and after."""

from __future__ import annotations

import ast
from dataclasses import fields, replace
from datetime import date
from pathlib import Path

import pytest

from store import settings
from store.audit import log as audit
from store.errors import FieldError, InvalidInput, StoreError
from store.settings import Settings
from store.vault.database import db
from store.vault.session import Session


def _store_text(key: str, text: str) -> None:
    """What a hand on the table (or an older statdesk) might have left there."""
    db.execute_sql("UPDATE setting SET value = ? WHERE key = ?", (text, key))


def test_a_new_store_reads_every_setting_typed(session: Session) -> None:
    found = settings.current()
    assert found == replace(Settings(), unit_name="测试县人民检察院")
    assert (found.idle_minutes, found.cutoff_day, found.key_ranks) == (10, 25, ("R3", "R4"))
    assert [f.name for f in fields(Settings)] == list(settings.KEYS)
    for key in settings.KEYS:  # every field has its row and its name in words
        assert settings.get(key) == found.text(key)
        assert settings.words(key)


def test_every_setting_says_what_it_means_its_default_and_unit() -> None:
    source = ast.parse(Path(settings.__file__).read_text(encoding="utf-8"))
    record = next(node for node in source.body
                  if isinstance(node, ast.ClassDef) and node.name == "Settings")
    documented = {}
    for field, after in zip(record.body, record.body[1:], strict=False):
        if isinstance(field, ast.AnnAssign) and isinstance(field.target, ast.Name):
            said = after.value.value if isinstance(after, ast.Expr) and isinstance(
                after.value, ast.Constant) else ""
            documented[field.target.id] = str(said)
    assert set(documented) == set(settings.KEYS)
    for key, said in documented.items():
        assert "Default" in said, key


def test_every_stored_setting_is_parsed(session: Session) -> None:
    for key, text in {"unit_name": "某县院", "idle_minutes": "15", "language": "en",
                      "cutoff_day": "26", "major_amount": "1000000", "key_ranks": "R4",
                      "swing_percent": "50", "item_number_pattern": "载-{n:03d}",
                      "loan_max_days": "14", "spot_check_percent": "20",
                      "backup_keep_months": "6", "backup_keep_days": "60",
                      "has_subunits": "是"}.items():
        settings.set_value(session, key, text)
    assert settings.current() == Settings(
        unit_name="某县院", idle_minutes=15, language="en", cutoff_day=26, major_amount=1000000,
        key_ranks=("R4",), swing_percent=50, item_number_pattern="载-{n:03d}",
        loan_max_days=14, spot_check_percent=20, backup_keep_months=6, backup_keep_days=60,
        has_subunits=True)
    assert settings.get("has_subunits") == "yes"


@pytest.mark.parametrize("typed", ["月末", "月底", "end", " End of Month ", "0", "ｅｎｄ"])
def test_the_cut_off_may_be_the_end_of_the_month(session: Session, typed: str) -> None:
    """Issue 17 (8): before, only a day from 1 to 28 could be the cut-off."""
    assert settings.set_value(session, "cutoff_day", typed) == "月末"
    found = settings.current()
    assert found.cutoff_day == 0 and found.text("cutoff_day") == "月末"
    assert [found.cutoff_date(m) for m in ("2026-02", "2028-02", "2026-11", "2026-12")] == [
        date(2026, 2, 28), date(2028, 2, 29), date(2026, 11, 30), date(2026, 12, 31)]
    assert replace(found, cutoff_day=25).cutoff_date("2026-02") == date(2026, 2, 25)


def test_a_unit_has_no_sub_units_unless_it_says_so(session: Session) -> None:
    assert settings.current().has_subunits is False and settings.get("has_subunits") == "no"
    for typed, stored in (("yes", "yes"), ("否", "no"), ("Y", "yes"), ("0", "no")):
        assert settings.set_value(session, "has_subunits", typed) == stored
    with pytest.raises(FieldError, match="yes or no"):
        settings.set_value(session, "has_subunits", "maybe")


def test_a_setting_never_stored_reads_as_its_default(session: Session) -> None:
    db.execute_sql("DELETE FROM setting WHERE key = 'spot_check_percent'")
    assert settings.current().spot_check_percent == Settings().spot_check_percent == 10
    assert settings.texts()["spot_check_percent"] == "10"


@pytest.mark.parametrize(("key", "text"), [("idle_minutes", "ten"), ("cutoff_day", "31"),
                                           ("language", "fr"), ("key_ranks", ""),
                                           ("item_number_pattern", "no number"),
                                           ("has_subunits", "maybe"), ("cutoff_day", "²")])
def test_a_bad_stored_value_is_one_clear_store_error(session: Session, key: str,
                                                     text: str) -> None:
    _store_text(key, text)
    with pytest.raises(StoreError) as refused:
        settings.current()
    said = str(refused.value)
    assert str(settings.words(key)) in said and text in said and "set it again" in said
    assert not isinstance(refused.value, InvalidInput)  # not the clerk's typing: the table's
    assert settings.texts()[key] == text  # the settings screen still shows it, to put right


def test_a_typed_change_is_audited_like_a_typed_one(session: Session) -> None:
    head = audit.recent(1)[0].id
    now = settings.change(session, replace(settings.current(), idle_minutes=15,
                                           key_ranks=("R2", "R3")))
    assert (now.idle_minutes, now.key_ranks) == (15, ("R2", "R3"))
    assert settings.get("idle_minutes") == "15" and settings.get("key_ranks") == "R2,R3"
    changed = {e.entity_id: (e.old, e.new) for e in audit.recent(5) if e.id > head}
    assert changed == {"idle_minutes": ('{"value": "10"}', '{"value": "15"}'),
                       "key_ranks": ('{"value": "R3,R4"}', '{"value": "R2,R3"}')}
    after = audit.recent(1)[0].id
    assert settings.change(session, now) == now  # nothing differs: nothing written
    assert audit.recent(1)[0].id == after


def test_a_refused_change_names_its_setting_and_writes_nothing(session: Session) -> None:
    head = audit.recent(1)[0].id
    with pytest.raises(FieldError) as refused:
        settings.set_values(session, {"unit_name": "新名称", "cutoff_day": "29"})
    assert refused.value.field == "cutoff_day" and "from 1 to 28" in str(refused.value)
    with pytest.raises(FieldError):
        settings.change(session, replace(settings.current(), idle_minutes=0))
    assert settings.current().unit_name == "测试县人民检察院"
    assert audit.recent(1)[0].id == head
