"""Verify a backup file: every hash, the manifest's origin, SQLite's and SQLCipher's checks."""

from __future__ import annotations

import hashlib
import hmac
import shutil
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from store.backups import file as backup_file
from store.backups import manifest as backup_manifest
from store.backups.file import BackupError, Unpacked
from store.backups.make import SnapshotFacts, snapshot_facts
from store.errors import KeyslotError, StoreError, WrongPassword
from store.i18n import _
from store.vault import keyslots, recovery

KeySource = Callable[[Unpacked], tuple[bytes, bytes, str]]
"""Given the unpacked backup: (master key, salt, whose key it was), or a StoreError."""


def _columns(text: str) -> int:
    """How many columns `text` takes on a terminal (wide characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


@dataclass(frozen=True)
class Check:
    what: str
    ok: bool
    detail: str = ""

    def line(self) -> str:
        """"passed  what: detail", the marks padded to one width on screen (a Chinese
        character takes two columns)."""
        marks = (_("passed"), _("FAILED"))
        mark = marks[0] if self.ok else marks[1]
        width = max(_columns(m) for m in marks)
        line = _("{mark} {what}").format(mark=mark + " " * (width - _columns(mark)),
                                         what=self.what)
        return _("{line}: {detail}").format(line=line, detail=self.detail) if self.detail \
            else line


@dataclass
class VerifyReport:
    """Each check done, in order; the first failure stops the rest."""

    file: Path
    checks: list[Check] = field(default_factory=list)
    manifest: dict[str, Any] = field(default_factory=dict)
    facts: SnapshotFacts | None = None
    key_material: tuple[bytes, bytes] | None = field(default=None, repr=False)
    """The snapshot's key, once found (kept in memory only, for a restore)."""
    live_store_id: str | None = None
    """The store the verifying operator is logged in to, if any."""

    @property
    def other_store(self) -> bool:
        """The backup names a store other than the live one (sound or not)."""
        named = self.manifest.get("store_id")
        return self.live_store_id is not None and isinstance(named, str) and bool(named) \
            and named != self.live_store_id

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(c.ok for c in self.checks)

    @property
    def failure(self) -> str:
        bad = next((c for c in self.checks if not c.ok), None)
        return f"{bad.what}: {bad.detail}" if bad else ""

    def add(self, what: str, ok: bool, detail: str = "") -> bool:
        self.checks.append(Check(what, ok, detail))
        return ok


def _sealed(unpacked: Unpacked, key: bytes, salt: bytes) -> backup_manifest.Sealed | None:
    assert unpacked.folder is not None
    return backup_manifest.read(unpacked.folder / backup_manifest.SEALED, key, salt)


def from_keys(master_key: bytes, salt: bytes, store_id: str, who: str) -> KeySource:
    """The key of an open session: good for backups of the same store under the same key."""

    def source(unpacked: Unpacked) -> tuple[bytes, bytes, str]:
        if unpacked.sealed:
            sealed = _sealed(unpacked, master_key, salt)
            if sealed is None:
                raise BackupError(_("the backup was made under another master key (another "
                                    "store's backup, or one from before a key rotation)"))
            named = sealed.content.get("store_id")
        else:
            named = unpacked.manifest.get("store_id")
        if named != store_id:
            raise BackupError(_("the backup belongs to another store"))
        return master_key, salt, _("the session of {name}").format(name=who)
    return source


def _slot_labelled(unpacked: Unpacked, secret: str, label: str) -> keyslots.SlotContent:
    """The backup's keyslot that `secret` opens and that says it is `label`'s.

    Format 2 names no slot's holder outside the key, so the secret is tried on each
    of the backup's slots in turn (one key derivation per slot).
    """
    assert unpacked.folder is not None
    slots = sorted(unpacked.folder.glob("keys/slot-*.key"),
                   key=lambda p: (len(p.name), p.name))
    failure: StoreError | None = None
    for slot in slots:
        try:
            content = keyslots.read_slot(slot, secret)
        except WrongPassword:
            continue
        except KeyslotError as exc:
            failure = exc
            continue
        if content.label == label:
            return content
    raise failure or WrongPassword(_("wrong password, or the backup holds no keyslot of {name}")
                                   .format(name=label))


def from_password(name: str, password: str) -> KeySource:
    """The operator's keyslot inside the backup, opened with their password then."""

    def source(unpacked: Unpacked) -> tuple[bytes, bytes, str]:
        assert unpacked.folder is not None
        if unpacked.sealed:
            content = _slot_labelled(unpacked, password, name)
        else:
            slot = unpacked.folder / "keys" / f"{name}.key"
            if not slot.exists():
                raise KeyslotError(_("the backup has no keyslot for {name}").format(name=name))
            content = keyslots.read_slot(slot, password)
        return content.master_key, content.salt, _("{name}'s keyslot").format(name=name)
    return source


def from_recovery(code: str) -> KeySource:
    def source(unpacked: Unpacked) -> tuple[bytes, bytes, str]:
        assert unpacked.folder is not None
        if not recovery.looks_valid(code):
            raise WrongPassword(_("that is not a recovery code: 30 letters and digits in "
                                  "groups of five"))
        try:
            if unpacked.sealed:
                content = _slot_labelled(unpacked, recovery.normalize(code), "recovery")
            else:
                content = keyslots.read_slot(unpacked.folder / "keys" / "recovery.slot",
                                             recovery.normalize(code))
        except WrongPassword:
            raise WrongPassword(_("wrong recovery code")) from None
        return content.master_key, content.salt, _("the recovery code")
    return source


def first_of(*sources: KeySource) -> KeySource:
    """Try each source in turn; the last one's error if none opens the snapshot."""

    def source(unpacked: Unpacked) -> tuple[bytes, bytes, str]:
        error: StoreError = BackupError(_("no key to open the backup"))
        for candidate in sources:
            try:
                return candidate(unpacked)
            except StoreError as exc:
                error = exc
        raise error
    return source


def _whole_file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(backup_file.CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _keyslot_problems(folder: Path) -> list[str]:
    """Each keyslot in the backup against its own checksum file (a restore depends on them)."""
    found = []
    for slot in sorted(folder.glob("keys/*")):
        if slot.suffix in (".key", ".slot"):
            sidecar = slot.with_name(slot.name + ".sha256")
            recorded = sidecar.read_text().split()[0] if sidecar.exists() else ""
            if recorded != hashlib.sha256(slot.read_bytes()).hexdigest():
                found.append(_("keyslot {name} does not match its checksum").format(
                    name=slot.name))
    return found


def verify(path: Path, key_source: KeySource, progress: Callable[[float], None] | None = None,
           keep_snapshot: Path | None = None, expected_sha256: str | None = None,
           work_root: Path | None = None, live_store_id: str | None = None) -> VerifyReport:
    """Check a backup file; with `keep_snapshot`, the checked snapshot is moved there
    (and its keyslots, under their own names, beside it in `<keep_snapshot>.keys`).

    `expected_sha256` is the whole file's hash recorded when this store made it;
    `work_root` is where the parts are unpacked (the data folder: /tmp may be small);
    `live_store_id`, the store the operator is logged in to (see `other_store`).
    """
    report = VerifyReport(path, live_store_id=live_store_id)
    if not path.is_file():
        report.add(_("read the file"), False, (_("{file} is a folder, not a backup file")
                                               if path.is_dir() else
                                               _("{file} does not exist")).format(file=path))
        return report
    size = max(path.stat().st_size, 1)
    if expected_sha256 is not None:
        same = _whole_file_sha256(path) == expected_sha256
        if not report.add(_("SHA-256 of the whole file against the record"), same,
                          "" if same else _("the file changed since it was made")):
            return report
    try:
        work = Path(tempfile.mkdtemp(prefix=".verify-", dir=work_root))
    except OSError as exc:
        report.add(_("read every part of the file"), False, str(exc))
        return report
    try:
        try:
            unpacked = backup_file.unpack(
                path, work, lambda n: progress(0.5 * n / size) if progress else None)
        except (BackupError, OSError) as exc:
            space = isinstance(exc, OSError) and exc.errno in (28, 122)
            report.add(_("read every part of the file"), False,
                       _("no room to unpack it in {folder}").format(folder=work.parent)
                       if space else str(exc))
            return report
        report.manifest = unpacked.manifest
        report.add(_("read every part of the file"), True,
                   _("{n} parts").format(n=len(unpacked.hashes)))
        problems = unpacked.problems() + _keyslot_problems(work)
        if not report.add(_("SHA-256 of every part against the manifest"), not problems,
                          "; ".join(problems)):
            return report
        try:
            key, salt, who = key_source(unpacked)
        except StoreError as exc:
            report.add(_("open the snapshot's key"), False, str(exc))
            return report
        report.add(_("open the snapshot's key"), True, who)
        report.key_material = (key, salt)
        expected = backup_file.manifest_mac(key, unpacked.manifest_bytes)
        genuine = hmac.compare_digest(expected.encode(),
                                      unpacked.mac.strip().encode("utf-8", "replace"))
        if not report.add(_("the manifest was written with the snapshot's key"), genuine,
                          "" if genuine else _("its MAC does not match")):
            return report
        if unpacked.sealed and not _open_sealed(report, unpacked, key, salt):
            return report
        if progress:
            progress(0.6)
        facts = snapshot_facts(work / backup_file.SNAPSHOT, key, salt)
        report.facts = facts
        if not report.add(_("SQLCipher's integrity check"), not facts.cipher_problems,
                          "; ".join(facts.cipher_problems[:3])):
            return report
        if not report.add(_("SQLite's integrity check"), not facts.integrity_problems,
                          "; ".join(facts.integrity_problems[:3])):
            return report
        counts = report.manifest.get("counts", {})
        differ = [f"{t}: {facts.counts.get(t)} != {n}" for t, n in counts.items()
                  if facts.counts.get(t) != n]
        if not report.add(_("record counts against the manifest"), not differ and facts.counts
                          == counts, "; ".join(differ) or _("{n} tables").format(n=len(counts))):
            return report
        report.add(_("the snapshot is of the store the manifest names"),
                   facts.store_id == report.manifest.get("store_id"))
        if progress:
            progress(1.0)
        if keep_snapshot is not None and report.ok:
            shutil.move(str(work / backup_file.SNAPSHOT), keep_snapshot)
            keys = keep_snapshot.parent / (keep_snapshot.name + ".keys")
            shutil.move(str(work / "keys"), keys)
        return report
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _open_sealed(report: VerifyReport, unpacked: Unpacked, key: bytes, salt: bytes) -> bool:
    """Read the sealed manifest into the report and give the keyslots their names back."""
    assert unpacked.folder is not None
    try:
        sealed = _sealed(unpacked, key, salt)
        if sealed is not None:
            backup_manifest.put_back_names(unpacked.folder / "keys", sealed)
    except (StoreError, OSError) as exc:
        return report.add(_("open the sealed manifest"), False, str(exc))
    if sealed is None:
        return report.add(_("open the sealed manifest"), False,
                          _("it does not open with the snapshot's key"))
    report.manifest = {**sealed.content, "format": unpacked.manifest.get("format"),
                       "parts": unpacked.manifest.get("parts", {})}
    return report.add(_("open the sealed manifest"), True)
