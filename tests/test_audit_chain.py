"""The audit chain: every change audited in its transaction; tampering is found."""

from __future__ import annotations

from typing import Any

import pytest

from store import operators, settings
from store.errors import InvalidInput
from store.vault import cipher, keyslots
from store.vault.database import db
from store.vault.folder import StoreDir
from tests.conftest import ADMIN_PW, Store


def raw_connection(store: Store) -> Any:
    """The main database opened with the master key, as a tamperer with the key would."""
    slot = keyslots.read_slot(store.paths.keyslot("admin"), ADMIN_PW)
    return cipher.connect_raw(str(store.paths.db), slot.master_key, slot.salt)


def _fill(store: Store, n: int = 6) -> None:
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        for i in range(n):
            settings.set_value(session, "unit_name", f"单位{i}")


def _verify(store: Store, cli_run) -> Any:
    return cli_run(["audit", "verify", "--user", "admin", "--data-dir", str(store.root),
                    "--password-stdin"], f"{ADMIN_PW}\n")


def test_clean_chain_verifies(store: Store, cli_run) -> None:
    _fill(store)
    result = _verify(store, cli_run)
    assert result.code == 0
    assert "audit chain OK" in result.out


def test_change_is_audited_with_old_and_new_values(admin_dir: StoreDir) -> None:
    session = admin_dir.session  # type: ignore[attr-defined]
    settings.set_value(session, "idle_minutes", "15")
    from store.audit import log as audit

    entry = audit.recent(1)[0]
    assert (entry.action, entry.entity_id) == ("setting.change", "idle_minutes")
    assert entry.old == '{"value": "10"}' and entry.new == '{"value": "15"}'


def test_failed_change_writes_neither_change_nor_audit(admin_dir: StoreDir) -> None:
    from store.audit import log as audit

    session = admin_dir.session  # type: ignore[attr-defined]
    head = audit.recent(1)[0].id
    with pytest.raises(InvalidInput):
        settings.set_value(session, "idle_minutes", "0")
    with pytest.raises(InvalidInput):
        operators.add(session, "clerk", "clerk", "some-password-1")
    assert audit.recent(1)[0].id == head
    assert settings.get("idle_minutes") == "10"


def test_audit_entry_rolls_back_with_its_change(admin_dir: StoreDir) -> None:
    from store.audit import log as audit

    session = admin_dir.session  # type: ignore[attr-defined]
    head = audit.recent(1)[0].id
    with pytest.raises(RuntimeError), db.atomic():
        settings.set_value(session, "unit_name", "never saved")
        raise RuntimeError("power cut")
    assert audit.recent(1)[0].id == head
    assert settings.get("unit_name") != "never saved"


def test_append_outside_a_transaction_is_refused(admin_dir: StoreDir) -> None:
    session = admin_dir.session  # type: ignore[attr-defined]
    with pytest.raises(RuntimeError, match="transaction"):
        session.audit.append("admin", "sneaky")


TAMPERS = {
    "changed": ("UPDATE audit SET new = '{\"value\": \"假\"}' WHERE id = 5", 5,
                "changed or replaced"),
    "deleted": ("DELETE FROM audit WHERE id = 4", 4, "entry #4 is missing"),
    # the verifying login appends after the cut, so the gap shows as a missing entry
    "truncated": ("DELETE FROM audit WHERE id = (SELECT max(id) FROM audit)", None,
                  "is missing"),
}


@pytest.mark.parametrize("kind", list(TAMPERS))
def test_tampering_is_found(store: Store, cli_run, kind: str) -> None:
    _fill(store)
    sql, bad_id, words = TAMPERS[kind]
    conn = raw_connection(store)
    if bad_id is None:
        bad_id = conn.execute("SELECT max(id) FROM audit").fetchone()[0]
    conn.execute(sql)
    conn.close()
    result = _verify(store, cli_run)
    assert result.code == 1
    assert f"BROKEN at entry #{bad_id}" in result.err
    assert words in result.err


def test_swapped_entries_are_found(store: Store, cli_run) -> None:
    _fill(store)
    conn = raw_connection(store)
    cols = "ts, operator, action, entity, entity_id, old, new, note, prev_hash, hash"
    five = conn.execute(f"SELECT {cols} FROM audit WHERE id = 5").fetchone()
    six = conn.execute(f"SELECT {cols} FROM audit WHERE id = 6").fetchone()
    setter = ", ".join(f"{c.strip()} = ?" for c in cols.split(","))
    conn.execute(f"UPDATE audit SET {setter} WHERE id = 5", six)
    conn.execute(f"UPDATE audit SET {setter} WHERE id = 6", five)
    conn.close()
    result = _verify(store, cli_run)
    assert result.code == 1
    assert "BROKEN at entry #5" in result.err


def test_reordered_by_renumbering_is_found(store: Store, cli_run) -> None:
    _fill(store)
    conn = raw_connection(store)
    conn.execute("UPDATE audit SET id = 1000 WHERE id = 5")
    conn.execute("UPDATE audit SET id = 5 WHERE id = 6")
    conn.execute("UPDATE audit SET id = 6 WHERE id = 1000")
    conn.close()
    result = _verify(store, cli_run)
    assert result.code == 1 and "BROKEN at entry #5" in result.err


def test_rehashed_forgery_without_the_key_is_found(store: Store, cli_run) -> None:
    """A forger who recomputes plain SHA-256 hashes (not knowing the chain key) is caught."""
    import hashlib

    _fill(store)
    conn = raw_connection(store)
    conn.execute("UPDATE audit SET note = 'edited', hash = ? WHERE id = 3",
                 (hashlib.sha256(b"forged").hexdigest(),))
    conn.close()
    result = _verify(store, cli_run)
    assert result.code == 1 and "BROKEN at entry #3" in result.err


def test_cut_from_the_end_is_found_by_the_recorded_head(admin_dir: StoreDir) -> None:
    from store.vault.database import execute

    session = admin_dir.session  # type: ignore[attr-defined]
    settings.set_value(session, "unit_name", "甲")
    last = session.audit.verify().head_id
    execute("DELETE FROM audit WHERE id >= ?", (last - 1,))
    result = session.audit.verify()
    assert not result.ok and result.first_bad_id == last - 1
    assert f"entries #{last - 1}-#{last} are missing (the log was cut)" in result.describe()
