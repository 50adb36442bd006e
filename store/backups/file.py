"""The backup file (`.sdbk`): a tar holding the encrypted snapshot, the keyslots and manifests.

Format 2 (written now) says nothing without a key. Its parts are SQLCipher
files: the snapshot `statdesk.db`, each keyslot under a neutral name
(`keys/slot-N.key` with its checksum `keys/slot-N.key.sha256`, the recovery
slot among them, numbered in a random order) and the sealed manifest
`manifest.db` (see `store.backup_manifest`: store, who, when, counts, audit
head, whose slot is which, the other key files), keyed with the master key.
The plaintext `manifest.json` holds only the format and each part's size and
SHA-256, so anyone can check the file is whole; `manifest.hmac`, keyed from
the master key, proves that list was written with the snapshot's key.

Format 1 (read only: older backups) packed the keyslots under their own
names (`keys/NAME.key`, every file of `keys/`) and kept the store id, who took
it, the record counts and the audit head in the plaintext `manifest.json`.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import os
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from store.backups import manifest as backup_manifest
from store.errors import StoreError
from store.i18n import _

FORMAT = "statdesk-backup-2"
FORMAT_1 = "statdesk-backup-1"
"""The first format: keyslots under their own names, the manifest in plaintext (read only)."""
MANIFEST = "manifest.json"
MANIFEST_MAC = "manifest.hmac"
SNAPSHOT = "statdesk.db"
SEALED = backup_manifest.SEALED
SUFFIX = ".sdbk"
PARTIAL = ".part"
CHUNK = 1 << 20
_MAC_INFO = b"statdesk backup manifest v1"

Progress = Callable[[int], None]
"""Called with the bytes handled so far."""


class BackupError(StoreError):
    """A backup file cannot be written, read or trusted."""


def manifest_mac(master_key: bytes, manifest: bytes) -> str:
    key = hmac.new(master_key, _MAC_INFO, hashlib.sha256).digest()
    return hmac.new(key, manifest, hashlib.sha256).hexdigest()


def _copy(source: IO[bytes], target: IO[bytes] | None, size: int, progress: Progress | None,
          done: int) -> str:
    digest = hashlib.sha256()
    left = size
    while left > 0:
        chunk = source.read(min(CHUNK, left))
        if not chunk:
            raise BackupError(_("the backup is truncated"))
        digest.update(chunk)
        if target is not None:
            target.write(chunk)
        left -= len(chunk)
        done += len(chunk)
        if progress is not None:
            progress(done)
    return digest.hexdigest()


class _Hashing(io.RawIOBase):
    """Reads a file for tarfile while hashing it, so each part is read once."""

    def __init__(self, handle: IO[bytes], progress: Progress | None, start: int) -> None:
        self.handle, self.digest = handle, hashlib.sha256()
        self.progress, self.done = progress, start

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.handle.read(len(buffer))
        self.digest.update(data)
        buffer[:len(data)] = data
        self.done += len(data)
        if self.progress is not None:
            self.progress(self.done)
        return len(data)


class _HashingWriter(io.RawIOBase):
    """The output file, hashed as it is written: the whole file's SHA-256 without re-reading."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle, self.digest, self.position = handle, hashlib.sha256(), 0

    def writable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.position

    def write(self, data: Any) -> int:
        self.digest.update(data)
        written = self.handle.write(data)
        self.position += written
        return written


def write(target: Path, snapshot: Path, key_files: list[Path],
          manifest: Callable[[], dict[str, Any]], master_key: bytes, salt: bytes,
          progress: Progress | None = None) -> str:
    """Pack the snapshot and the keyslots (neutral names), then the sealed manifest, then the
    outer manifest (each part's size and hash) and its MAC; fsync.

    `manifest()` is asked for only after the parts are written, so the snapshot can be
    checked while it is packed; what it returns is sealed in `manifest.db`, written
    beside the snapshot. Returns the SHA-256 of the whole file.
    """
    slots, slot_names, other_files = backup_manifest.neutral_members(key_files)
    listed: dict[str, dict[str, Any]] = {}
    done = 0
    stamp = int(os.path.getmtime(snapshot))  # one time for every member: no slot's own dates

    def add(tar: tarfile.TarFile, arcname: str, path: Path) -> None:
        nonlocal done
        info = tar.gettarinfo(str(path), arcname)
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        info.mtime, info.mode = stamp, 0o600
        with open(path, "rb") as handle:
            hashing = _Hashing(handle, progress, done)
            tar.addfile(info, io.BufferedReader(hashing, CHUNK))
        done = hashing.done
        listed[arcname] = {"size": info.size, "sha256": hashing.digest.hexdigest()}

    with open(target, "wb") as raw:
        out = _HashingWriter(raw)
        tar = tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT)  # noqa: SIM115
        for arcname, path in [(SNAPSHOT, snapshot), *slots]:
            add(tar, arcname, path)
        sealed = snapshot.with_name(SEALED)
        backup_manifest.write(sealed, master_key, salt, manifest(), slot_names, other_files)
        add(tar, SEALED, sealed)
        body = json.dumps({"format": FORMAT, "parts": listed}, indent=1,
                          sort_keys=True).encode()
        for name, data in ((MANIFEST, body),
                           (MANIFEST_MAC, manifest_mac(master_key, body).encode())):
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(data), stamp, 0o600
            tar.addfile(info, io.BytesIO(data))
        tar.close()
        raw.flush()
        os.fsync(raw.fileno())
    return out.digest.hexdigest()


@dataclass
class Unpacked:
    """What a backup file holds, read and hashed once; parts written to `folder`."""

    manifest: dict[str, Any]
    manifest_bytes: bytes
    mac: str
    hashes: dict[str, str]
    folder: Path | None

    @property
    def sealed(self) -> bool:
        """Format 2: what the backup says of its store is in `manifest.db`, under the key."""
        return self.manifest.get("format") == FORMAT

    def problems(self) -> list[str]:
        """Parts missing, extra or whose hash or size differ from the manifest."""
        found: list[str] = []
        listed: dict[str, Any] = self.manifest.get("parts", {})
        for name, expected in listed.items():
            if name not in self.hashes:
                found.append(_("part {name} is missing").format(name=name))
            elif self.hashes[name] != expected.get("sha256"):
                found.append(_("part {name} was changed (its SHA-256 differs)").format(name=name))
        for name in self.hashes:
            if name not in listed:
                found.append(_("part {name} is not in the manifest").format(name=name))
        return found


def _members(tar: tarfile.TarFile) -> Iterator[tarfile.TarInfo]:
    try:
        yield from tar
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise BackupError(_("the backup is truncated or damaged ({why})").format(why=exc)) from exc


def unpack(path: Path, folder: Path | None, progress: Progress | None = None) -> Unpacked:
    """Read every part once: hash it, and (given a folder) write the snapshot and keyslots there."""
    try:
        return _unpack(path, folder, progress)
    except (tarfile.TarError, EOFError, UnicodeError) as exc:
        raise BackupError(_("the backup is truncated or damaged ({why})").format(why=exc)) from exc


def _unpack(path: Path, folder: Path | None, progress: Progress | None) -> Unpacked:
    manifest_bytes, mac = b"", ""
    hashes: dict[str, str] = {}
    done = 0
    try:
        tar = tarfile.open(path, mode="r:")  # noqa: SIM115 - closed by the `with` below
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(_("{file} is not a statdesk backup").format(file=path.name)) from exc
    with tar:
        for member in _members(tar):
            name = member.name
            safe = name in (SNAPSHOT, SEALED) or (name.startswith("keys/") and "/" not in
                                                  name[5:] and ".." not in name)
            handle = tar.extractfile(member) if member.isfile() else None
            if handle is None:
                raise BackupError(_("{file} is not a statdesk backup").format(file=path.name))
            if name in (MANIFEST, MANIFEST_MAC):  # small: read whole
                data = handle.read()
                if len(data) != member.size:
                    raise BackupError(_("the backup is truncated"))
                if name == MANIFEST:
                    manifest_bytes = data
                else:
                    mac = data.decode("ascii", "replace")
                continue
            if not safe:
                raise BackupError(_("{file} holds an unexpected part {name}").format(
                    file=path.name, name=name))
            if folder is None:
                hashes[name] = _copy(handle, None, member.size, progress, done)
            else:
                out = folder / name
                out.parent.mkdir(parents=True, exist_ok=True)
                with open(out, "wb") as target:
                    hashes[name] = _copy(handle, target, member.size, progress, done)
            done += member.size
        end = tar.offset
    _check_trailer(path, end)
    if not manifest_bytes:
        raise BackupError(_("{file} is not a statdesk backup, or its end is damaged (no "
                            "manifest)").format(file=path.name))
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError as exc:
        raise BackupError(_("the backup's manifest is damaged")) from exc
    _refuse_unknown_format(manifest)
    if not _well_formed(manifest):
        raise BackupError(_("the backup's manifest is damaged"))
    return Unpacked(manifest, manifest_bytes, mac, hashes, folder)


def _refuse_unknown_format(manifest: Any) -> None:
    """A later format is named as such, not as damage."""
    found = manifest.get("format") if isinstance(manifest, dict) else None
    if isinstance(found, str) and found.startswith("statdesk-backup-") and \
            found not in (FORMAT, FORMAT_1):
        raise BackupError(_("the backup is in format {format}, written by a newer statdesk: "
                            "install that statdesk to read it").format(format=found[:40]))


def _well_formed(manifest: Any) -> bool:
    """The manifest has the shape one of the formats writes (a tampered one may not)."""
    if not isinstance(manifest, dict):
        return False
    parts = manifest.get("parts")
    if not (isinstance(parts, dict) and all(isinstance(v, dict) and isinstance(v.get("sha256"),
                                                                              str)
                                            for v in parts.values())):
        return False
    if manifest.get("format") == FORMAT:
        return SNAPSHOT in parts and SEALED in parts
    counts = manifest.get("counts")
    return (manifest.get("format") == FORMAT_1 and isinstance(counts, dict)
            and isinstance(manifest.get("store_id"), str)
            and all(isinstance(v, int) for v in counts.values()))


def _small_member(tar: tarfile.TarFile, name: str) -> bytes:
    member = tar.getmember(name)
    handle = tar.extractfile(member) if member.isfile() and member.size < 1 << 26 else None
    if handle is None:
        raise BackupError(_("the backup's manifest is damaged"))
    data = handle.read()
    if len(data) != member.size:
        raise BackupError(_("the backup is truncated"))
    return data


def peek(path: Path, master_key: bytes, salt: bytes) -> dict[str, Any] | None:
    """What a backup says of its store (store_id, taken_at, audit_head, kind, …), read with
    the master key without unpacking the snapshot; None when this key did not write it
    (another store's, or from before a key rotation) or the file cannot be read."""
    try:
        with tarfile.open(path, mode="r:") as tar:
            body = _small_member(tar, MANIFEST)
            mac = _small_member(tar, MANIFEST_MAC).decode("ascii").strip()
            outer = json.loads(body)
            if not _well_formed(outer) or not hmac.compare_digest(
                    mac.encode(), manifest_mac(master_key, body).encode()):
                return None
            if outer["format"] == FORMAT_1:
                return dict(outer)
            data = _small_member(tar, SEALED)
        if hashlib.sha256(data).hexdigest() != outer["parts"][SEALED]["sha256"]:
            return None
        with tempfile.TemporaryDirectory(prefix="statdesk-peek-") as scratch:
            copy = Path(scratch) / SEALED
            copy.write_bytes(data)
            sealed = backup_manifest.read(copy, master_key, salt)
    except (tarfile.TarError, KeyError, EOFError, OSError, ValueError, StoreError):
        return None
    return None if sealed is None else {**sealed.content, "format": FORMAT,
                                        "parts": outer["parts"]}


def _check_trailer(path: Path, end: int) -> None:
    """After the archive's last member only zero blocks may follow: nothing added or cut."""
    with open(path, "rb") as raw:
        raw.seek(end)
        rest = raw.read()
    if len(rest) < 1024 or rest.count(0) != len(rest):
        raise BackupError(_("the backup's end was changed, cut or added to"))
