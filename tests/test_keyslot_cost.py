"""Keyslots use SQLCipher's PBKDF2-HMAC-SHA512 at ≥ 256,000 iterations unless a test lowers it."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.errors import WrongPassword
from store.vault import cipher, keyslots


def test_production_cost_unless_the_test_setting_is_present(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(cipher.TEST_KDF_ENV)
    assert cipher.kdf_iter() == cipher.PRODUCTION_KDF_ITER >= 256_000
    monkeypatch.setenv(cipher.TEST_KDF_ENV, "1000")
    assert cipher.kdf_iter() == 1000


def test_a_slot_opens_only_at_the_cost_it_was_written_with(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(cipher.TEST_KDF_ENV)
    slot = tmp_path / "k.key"
    content = keyslots.SlotContent("store", "k", b"\1" * 32, b"\2" * 16)
    keyslots.write_slot(slot, "a-long-password", content)
    assert keyslots.read_slot(slot, "a-long-password") == content
    conn = cipher.connect_passphrase(str(slot), "a-long-password", 1000)
    with pytest.raises(cipher.DatabaseError):
        conn.execute("SELECT * FROM slot").fetchall()
    conn.close()
    with pytest.raises(WrongPassword):
        keyslots.read_slot(slot, "another-password")


def test_a_password_that_looks_like_a_raw_key_still_goes_through_pbkdf2(tmp_path: Path) -> None:
    tricky = "x'" + "00" * 48 + "'"
    slot = tmp_path / "t.key"
    keyslots.write_slot(slot, tricky, keyslots.SlotContent("s", "t", b"\3" * 32, b"\4" * 16))
    assert keyslots.read_slot(slot, tricky).master_key == b"\3" * 32
    assert cipher.passphrase_literal(tricky) != tricky
