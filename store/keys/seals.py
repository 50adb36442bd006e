"""What only administrators can write: the administrators' key, and the seals made with it.

Every operator's keyslot unwraps the master key, so a clerk holding sqlcipher3
can write any row of the database. What makes someone an administrator (their
operator record) and the audit chain's head at the moments that matter are
therefore sealed with a second key, the administrators' key, which only
administrators' keyslots and the recovery slot hold. A record a clerk rewrote
carries a seal that does not verify; a head a clerk rewrote does not match its
seal. Only a holder of the administrators' key can check a seal, so these checks
run when an administrator logs in and in an administrator's `audit verify`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from typing import NamedTuple

from store.audit import log as audit
from store.i18n import _
from store.vault import meta
from store.vault.database import execute, record, records, scalar

KEY_BYTES = 32
SCHEMA = 17
"""The migration that gave operator records their seal (stores from before get a key then)."""
CHECK_KEY = "admin_key_check"
"""The `meta` key holding a check value of the administrators' key (not the key)."""
HEAD_SEAL_KEY = "audit_seal"
"""The `meta` key holding the last sealed audit head."""


def new_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def _mac(admin_key: bytes, *parts: object) -> str:
    payload = json.dumps([str(p) for p in parts], ensure_ascii=False, separators=(",", ":"))
    return hmac.new(admin_key, payload.encode("utf-8"), hashlib.sha256).hexdigest()


def store_has_key() -> bool:
    """Whether the store was given an administrators' key (stores made before 0.3.0 were not,
    until an administrator's first login)."""
    return meta.get(CHECK_KEY) is not None


def key_matches(admin_key: bytes, store_id: str) -> bool:
    """Whether `admin_key` is this store's administrators' key."""
    recorded = meta.get(CHECK_KEY)
    return bool(admin_key) and recorded is not None and hmac.compare_digest(
        recorded, _mac(admin_key, "check", store_id))


def install_key(admin_key: bytes, store_id: str) -> None:
    """Make `admin_key` the store's administrators' key (caller's transaction)."""
    meta.put(CHECK_KEY, _mac(admin_key, "check", store_id))


def introduce(store_id: str) -> bytes:
    """A store from before seals: make its administrators' key and seal every operator record
    as it stands (caller's transaction, inside the upgrade). Returns the key, which only the
    upgrading administrator's keyslot receives; a rotation gives it to the others."""
    admin_key = new_key()
    install_key(admin_key, store_id)
    seal_all(admin_key, store_id)
    meta.drop(HEAD_SEAL_KEY)  # sealed anew at the login
    return admin_key


def operator_seal(admin_key: bytes, store_id: str, name: str, role: str, status: str) -> str:
    return _mac(admin_key, "operator", store_id, name, role, status)


class _Sealed(NamedTuple):
    """What an operator's seal covers (name, role, status), and the seal."""

    name: str
    role: str
    status: str
    seal: str

    def expected(self, admin_key: bytes, store_id: str) -> str:
        """The seal the record should carry as it now stands."""
        return operator_seal(admin_key, store_id, self.name, self.role, self.status)

    def holds(self, admin_key: bytes, store_id: str) -> bool:
        """Whether the seal verifies (a value written outside statdesk may be of any type)."""
        return bool(self.seal) and hmac.compare_digest(str(self.seal),
                                                       self.expected(admin_key, store_id))


_SEALED = "SELECT name, role, status, seal FROM operator"
"""Operators' records are read here by their columns: `store.operators`, which declares the
model, imports this module."""


def _sealed(name: str) -> _Sealed | None:
    return record(_Sealed, f"{_SEALED} WHERE name = ?", (name,))


def _seal(admin_key: bytes, store_id: str, found: _Sealed) -> None:
    execute("UPDATE operator SET seal = ? WHERE name = ?",
            (found.expected(admin_key, store_id), found.name))


def seal_operator(admin_key: bytes, store_id: str, name: str) -> None:
    """Seal one operator's record as it now stands (caller's transaction)."""
    found = _sealed(name)
    if found is not None:
        _seal(admin_key, store_id, found)


def seal_all(admin_key: bytes, store_id: str, names: list[str] | None = None) -> None:
    for found in records(_Sealed, f"{_SEALED} ORDER BY name"):
        if names is None or found.name in names:
            _seal(admin_key, store_id, found)


def seal_valid(admin_key: bytes, store_id: str, name: str) -> bool:
    found = _sealed(name)
    return found is not None and found.holds(admin_key, store_id)


@dataclass(frozen=True)
class Forged:
    """An operator record whose seal does not verify: written outside statdesk."""

    name: str
    role: str
    status: str

    def describe(self) -> str:
        return _("operator record \"{name}\" (role {role}, {status}) was written outside "
                 "statdesk: its seal does not verify").format(
            name=self.name, role=self.role, status=self.status)


def forged_operators(admin_key: bytes, store_id: str) -> list[Forged]:
    """Every operator record whose seal does not verify under the administrators' key."""
    return [Forged(str(found.name), str(found.role), str(found.status))
            for found in records(_Sealed, f"{_SEALED} ORDER BY name")
            if not found.holds(admin_key, store_id)]


def seal_head(admin_key: bytes, store_id: str) -> None:
    """Seal the audit chain's head as it stands (caller's transaction, after its entry)."""
    head = audit.head()
    if not head.id:
        return
    meta.put(HEAD_SEAL_KEY, json.dumps({
        "id": head.id, "hash": head.hash,
        "mac": _mac(admin_key, "head", store_id, str(head.id), head.hash)}))


def head_seal_problem(admin_key: bytes, store_id: str) -> str:
    """Why the sealed head does not hold ("" when it does, or none was sealed yet)."""
    raw = meta.get(HEAD_SEAL_KEY)
    if raw is None:
        return ""
    try:
        sealed = json.loads(raw)
        head_id, head_hash, mac = int(sealed["id"]), str(sealed["hash"]), str(sealed["mac"])
    except (ValueError, KeyError, TypeError):
        return _("the sealed audit head is damaged or was written outside statdesk")
    if not hmac.compare_digest(mac, _mac(admin_key, "head", store_id, str(head_id), head_hash)):
        return _("the sealed audit head was written outside statdesk (its seal does not "
                 "verify)")
    found = scalar("SELECT hash FROM audit WHERE id = ?", (head_id,))
    if found is None:
        return _("audit entry #{id}, sealed by an administrator, is missing").format(id=head_id)
    if found != head_hash:
        return _("audit entry #{id}, sealed by an administrator, was rewritten since").format(
            id=head_id)
    return ""


def problems(admin_key: bytes, store_id: str) -> list[str]:
    """What `audit verify` adds for a holder of the administrators' key: every forged operator
    record, and a sealed head that does not hold."""
    if not store_has_key():
        return [_("the store's check of the administrators' key is missing (removed outside "
                  "statdesk)")]
    if not key_matches(admin_key, store_id):
        return []
    found = [forged.describe() for forged in forged_operators(admin_key, store_id)]
    head = head_seal_problem(admin_key, store_id)
    return [*found, head] if head else found
