"""SQLCipher in one place: the only cipher statdesk uses (no crypto of our own).

The main database is opened with a random raw key plus a fixed salt, so opening
it costs no key derivation and every snapshot of it carries the same header.
Keyslots are small SQLCipher files keyed by a password through PBKDF2.
"""

from __future__ import annotations

import os
import threading
import unicodedata
from typing import Any

from sqlcipher3 import dbapi2 as sqlcipher

from store.vault.paths import SQLITE_HEADER

PRODUCTION_KDF_ITER = 256_000
"""SQLCipher 4's PBKDF2-HMAC-SHA512 cost for keyslots."""

TEST_KDF_ENV = "STATDESK_TEST_KDF_ITER"
"""The one setting that lowers the keyslot cost; test suites only (see `allow_test_cost`)."""

MIN_KDF_ITER = 1_000
MAX_KDF_ITER = 10_000_000
"""The costs a keyslot may record: the test suite's (1,000) up to far above production's.
A recorded cost outside them was not written by statdesk, and is never used."""

KEY_BYTES = 32
SALT_BYTES = 16

DatabaseError = sqlcipher.DatabaseError
Connection = sqlcipher.Connection

_quiet_lock = threading.Lock()
_quiet_done = False
_test_cost_allowed = False


def quiet_cipher_log() -> None:
    """Stop SQLCipher printing "hmac check failed" over the screen on a wrong key."""
    global _quiet_done
    with _quiet_lock:
        if not _quiet_done:
            conn = sqlcipher.connect(":memory:")
            conn.execute("PRAGMA cipher_log_level = NONE")
            conn.close()
            _quiet_done = True


def allow_test_cost() -> None:
    """Only the test suite calls this: from then on `TEST_KDF_ENV` lowers the keyslot cost.

    Without it the variable is ignored, so a workstation where it is set still writes
    keyslots at production cost (and the `statdesk` command refuses to start there).
    """
    global _test_cost_allowed
    _test_cost_allowed = True


def allows_test_cost() -> bool:
    """Whether this process is the test suite (it called `allow_test_cost`)."""
    return _test_cost_allowed


def has_test_cost_setting() -> bool:
    """Whether `TEST_KDF_ENV` is set at all (whatever its value)."""
    return TEST_KDF_ENV in os.environ


def kdf_iter() -> int:
    """PBKDF2 iterations for keyslots: production cost unless the test suite lowers it."""
    raw = os.environ.get(TEST_KDF_ENV, "")
    if _test_cost_allowed and sane_cost(raw):
        return int(raw)
    return PRODUCTION_KDF_ITER


def sane_cost(text: str) -> bool:
    """Whether `text` is a keyslot cost statdesk could have written (digits, within limits)."""
    return text.isascii() and text.isdigit() and len(text) <= len(str(MAX_KDF_ITER)) \
        and MIN_KDF_ITER <= int(text) <= MAX_KDF_ITER


def raw_key_literal(key: bytes, salt: bytes) -> str:
    """The `x'…'` form of a raw key with its salt (96 hex digits)."""
    if len(key) != KEY_BYTES or len(salt) != SALT_BYTES:
        raise ValueError("raw key must be 32 bytes and salt 16 bytes")
    return f"x'{key.hex()}{salt.hex()}'"


def passphrase_literal(secret: str) -> str:
    """A password as a key string that SQL quoting and `x'…'` can never confuse.

    The password's UTF-8 (NFC) is hex-encoded, so a password that looks like a
    raw key is still run through PBKDF2.
    """
    # surrogatepass: text that is not valid UTF-8 can never be a set password; it simply
    # fails to unlock instead of raising.
    return unicodedata.normalize("NFC", secret).encode("utf-8", "surrogatepass").hex()


def connect_raw(path: str, key: bytes, salt: bytes, **params: Any) -> Any:
    """Open a database with the raw master key; caller applies further pragmas."""
    quiet_cipher_log()
    conn = sqlcipher.connect(path, isolation_level=None, **params)
    try:
        conn.execute(f'PRAGMA key = "{raw_key_literal(key, salt)}"')
        conn.execute("PRAGMA temp_store = MEMORY")
    except Exception:
        conn.close()
        raise
    return conn


def connect_passphrase(path: str, secret: str, iterations: int) -> Any:
    """Open a keyslot file with a password at the given PBKDF2 cost."""
    quiet_cipher_log()
    conn = sqlcipher.connect(path, isolation_level=None)
    try:
        conn.execute(f"PRAGMA key = '{passphrase_literal(secret)}'")
        conn.execute("PRAGMA cipher_kdf_algorithm = PBKDF2_HMAC_SHA512")
        conn.execute(f"PRAGMA kdf_iter = {int(iterations)}")
        conn.execute("PRAGMA temp_store = MEMORY")
    except Exception:
        conn.close()
        raise
    return conn


__all__ = ["SQLITE_HEADER", "Connection", "DatabaseError", "allow_test_cost", "connect_passphrase",
           "connect_raw", "kdf_iter", "quiet_cipher_log", "raw_key_literal"]
