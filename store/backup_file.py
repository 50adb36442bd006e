"""The backup file (`.sdbk`): a tar holding the encrypted snapshot, the keyslots and a manifest.

The snapshot and the keyslots are SQLCipher files, encrypted as they are on
disk; the manifest (JSON) lists every part with its size and SHA-256, the
record counts and the audit head, and carries no case data. `manifest.hmac`
is keyed from the master key: once the snapshot is opened, it proves the
manifest was written by this store.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import os
import tarfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from store.errors import StoreError
from store.i18n import _

FORMAT = "statdesk-backup-1"
MANIFEST = "manifest.json"
MANIFEST_MAC = "manifest.hmac"
SNAPSHOT = "statdesk.db"
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


def write(target: Path, parts: list[tuple[str, Path]], manifest: Callable[[], dict[str, Any]],
          master_key: bytes, progress: Progress | None = None) -> str:
    """Pack the parts, then the manifest (with every part's hash) and its MAC; fsync.

    `manifest()` is asked for only after the parts are written, so the snapshot can be
    checked while it is packed. Returns the SHA-256 of the whole file.
    """
    listed: dict[str, dict[str, Any]] = {}
    done = 0
    with open(target, "wb") as raw:
        out = _HashingWriter(raw)
        tar = tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT)  # noqa: SIM115
        for arcname, path in parts:
            info = tar.gettarinfo(str(path), arcname)
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            with open(path, "rb") as handle:
                hashing = _Hashing(handle, progress, done)
                tar.addfile(info, io.BufferedReader(hashing, CHUNK))
            done = hashing.done
            listed[arcname] = {"size": info.size, "sha256": hashing.digest.hexdigest()}
        content = {**manifest(), "format": FORMAT, "parts": listed}
        body = json.dumps(content, ensure_ascii=False, indent=1, sort_keys=True).encode()
        for name, data in ((MANIFEST, body),
                           (MANIFEST_MAC, manifest_mac(master_key, body).encode())):
            info = tarfile.TarInfo(name)
            info.size, info.mtime = len(data), int(os.path.getmtime(parts[0][1]))
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
            safe = name == SNAPSHOT or (name.startswith("keys/") and "/" not in name[5:]
                                        and ".." not in name)
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
    if not _well_formed(manifest):
        raise BackupError(_("the backup's manifest is damaged"))
    return Unpacked(manifest, manifest_bytes, mac, hashes, folder)


def _well_formed(manifest: Any) -> bool:
    """The manifest has the shape this format writes (a tampered one may not)."""
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        return False
    parts, counts = manifest.get("parts"), manifest.get("counts")
    return (isinstance(parts, dict) and isinstance(counts, dict)
            and isinstance(manifest.get("store_id"), str)
            and all(isinstance(v, dict) and isinstance(v.get("sha256"), str)
                    for v in parts.values())
            and all(isinstance(v, int) for v in counts.values()))


def _check_trailer(path: Path, end: int) -> None:
    """After the archive's last member only zero blocks may follow: nothing added or cut."""
    with open(path, "rb") as raw:
        raw.seek(end)
        rest = raw.read()
    if len(rest) < 1024 or rest.count(0) != len(rest):
        raise BackupError(_("the backup's end was changed, cut or added to"))
