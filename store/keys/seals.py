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

from store.i18n import _
from store.vault.database import execute, rows

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


def _meta(key: str) -> str | None:
    found = rows("SELECT value FROM meta WHERE key = ?", (key,))
    return str(found[0][0]) if found else None


def _set_meta(key: str, value: str) -> None:
    execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))


def store_has_key() -> bool:
    """Whether the store was given an administrators' key (stores made before 0.3.0 were not,
    until an administrator's first login)."""
    return _meta(CHECK_KEY) is not None


def key_matches(admin_key: bytes, store_id: str) -> bool:
    """Whether `admin_key` is this store's administrators' key."""
    recorded = _meta(CHECK_KEY)
    return bool(admin_key) and recorded is not None and hmac.compare_digest(
        recorded, _mac(admin_key, "check", store_id))


def install_key(admin_key: bytes, store_id: str) -> None:
    """Make `admin_key` the store's administrators' key (caller's transaction)."""
    _set_meta(CHECK_KEY, _mac(admin_key, "check", store_id))


def introduce(store_id: str) -> bytes:
    """A store from before seals: make its administrators' key and seal every operator record
    as it stands (caller's transaction, inside the upgrade). Returns the key, which only the
    upgrading administrator's keyslot receives; a rotation gives it to the others."""
    admin_key = new_key()
    install_key(admin_key, store_id)
    seal_all(admin_key, store_id)
    execute("DELETE FROM meta WHERE key = ?", (HEAD_SEAL_KEY,))  # sealed anew at the login
    return admin_key


def operator_seal(admin_key: bytes, store_id: str, name: str, role: str, status: str) -> str:
    return _mac(admin_key, "operator", store_id, name, role, status)


def seal_operator(admin_key: bytes, store_id: str, name: str) -> None:
    """Seal one operator's record as it now stands (caller's transaction)."""
    found = rows("SELECT role, status FROM operator WHERE name = ?", (name,))
    if found:
        role, status = found[0]
        execute("UPDATE operator SET seal = ? WHERE name = ?",
                (operator_seal(admin_key, store_id, name, str(role), str(status)), name))


def seal_all(admin_key: bytes, store_id: str, names: list[str] | None = None) -> None:
    for (name,) in rows("SELECT name FROM operator ORDER BY name"):
        if names is None or name in names:
            seal_operator(admin_key, store_id, str(name))


def seal_valid(admin_key: bytes, store_id: str, name: str) -> bool:
    found = rows("SELECT role, status, seal FROM operator WHERE name = ?", (name,))
    if not found:
        return False
    role, status, seal = found[0]
    return bool(seal) and hmac.compare_digest(
        str(seal), operator_seal(admin_key, store_id, name, str(role), str(status)))


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
    found = []
    for name, role, status, seal in rows(
            "SELECT name, role, status, seal FROM operator ORDER BY name"):
        expected = operator_seal(admin_key, store_id, str(name), str(role), str(status))
        if not seal or not hmac.compare_digest(str(seal), expected):
            found.append(Forged(str(name), str(role), str(status)))
    return found


def seal_head(admin_key: bytes, store_id: str) -> None:
    """Seal the audit chain's head as it stands (caller's transaction, after its entry)."""
    head = dict(rows("SELECT key, value FROM meta WHERE key IN "
                     "('audit_head_id', 'audit_head_hash')"))
    if "audit_head_id" not in head:
        return
    head_id, head_hash = str(head["audit_head_id"]), str(head["audit_head_hash"])
    _set_meta(HEAD_SEAL_KEY, json.dumps({
        "id": int(head_id), "hash": head_hash,
        "mac": _mac(admin_key, "head", store_id, head_id, head_hash)}))


def head_seal_problem(admin_key: bytes, store_id: str) -> str:
    """Why the sealed head does not hold ("" when it does, or none was sealed yet)."""
    raw = _meta(HEAD_SEAL_KEY)
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
    found = rows("SELECT hash FROM audit WHERE id = ?", (head_id,))
    if not found:
        return _("audit entry #{id}, sealed by an administrator, is missing").format(id=head_id)
    if found[0][0] != head_hash:
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
