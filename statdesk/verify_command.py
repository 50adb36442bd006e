"""`statdesk export verify FILE.docx`: a destruction manifest or certificate read back, its
SHA-256 computed again from its lines (exports.canonical) and compared with the digest printed
in it and with the store's record of its batch, found by the batch number printed in it.

Exit 0: it matches (the batch and the digest are said); 1: it does not, each line that differs
named; 2: the file cannot be read, is not a manifest or certificate, or names no batch on
record. One line each, never a traceback.

Before it is read the file is checked to be a regular file (a FIFO or a device would hang the
read) of at most `MAX_FILE`, whose text (word/document.xml) is at most `MAX_TEXT`
uncompressed; it is read once, into memory, and those bytes are both hashed and read back.
The store's record of the batch is checked against its audit entries before it is trusted,
and the file's SHA-256 is looked up among the files exported: lines that match in a file
statdesk did not export vouch for those lines only (exit 1).
"""

from __future__ import annotations

import argparse
import errno
import hashlib
import io
import os
import stat
import sys
import zipfile
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, cast

from statdesk.common import acting_secret, authenticate, passwords_from, paths_from, say
from store.errors import InvalidInput
from store.i18n import _

if TYPE_CHECKING:
    from exports import canonical

MATCHES, DIFFERS, UNREADABLE = 0, 1, 2
MAX_TEXT = 50 * 1024 * 1024
"""The largest word/document.xml read, uncompressed (a manifest of thousands of lines is a few
MB)."""
MAX_FILE = 50 * 1024 * 1024
"""The largest file read (into memory): a manifest or certificate holds no pictures."""
_FAILED_READS = (RuntimeError, NotImplementedError, EOFError, MemoryError, zlib.error,
                 zipfile.BadZipFile, KeyError, ValueError, OverflowError)
"""What zipfile and zlib raise on a damaged, encrypted or oddly compressed package."""


def _refused(line: str) -> int:
    print(f"statdesk: {line}", file=sys.stderr)
    return UNREADABLE


def _not_word(path: Path) -> InvalidInput:
    return InvalidInput(_("{path} is not a Word (.docx) file").format(path=path))


def _bytes(path: Path) -> bytes:
    """The bytes of the regular file at `path` (InvalidInput when it is missing, unreadable,
    larger than `MAX_FILE`, or not a regular file: checked by stat before it is opened, then
    opened without blocking and checked again by fstat before a byte is read, so a FIFO or a
    device put in its place meanwhile never hangs either)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # a FIFO, a device, a folder
            raise _not_word(path)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
                     | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise InvalidInput(_("no file {path}").format(path=path)) from None
    except OSError as exc:
        if exc.errno in (errno.ENXIO, errno.EISDIR):  # a FIFO with no writer; a folder
            raise _not_word(path) from None
        raise InvalidInput(_("cannot read {path}: {why}").format(
            path=path, why=exc.strerror or exc)) from None
    try:
        with os.fdopen(fd, "rb", closefd=True) as source:
            found = os.fstat(source.fileno())
            if not stat.S_ISREG(found.st_mode):
                raise _not_word(path)
            data = source.read(MAX_FILE + 1) if found.st_size <= MAX_FILE else None
    except OSError as exc:
        raise InvalidInput(_("cannot read {path}: {why}").format(
            path=path, why=exc.strerror or exc)) from None
    if data is None or len(data) > MAX_FILE:  # grown since it was stat'ed: still too large
        raise InvalidInput(_("{path} is too large to be a destruction manifest or "
                             "certificate: the file is over {size} MB").format(
            path=path, size=MAX_FILE // (1024 * 1024)))
    return data


def _too_large(path: Path, package: zipfile.ZipFile) -> bool:
    """Its word/document.xml is declared larger than `MAX_TEXT` uncompressed (a package with
    no such part is left for the reader to refuse)."""
    try:
        return package.getinfo("word/document.xml").file_size > MAX_TEXT
    except KeyError:
        return False


def _read(path: Path) -> tuple[canonical.Read, str]:
    """The file read back as a manifest or certificate, and the SHA-256 of its bytes: read
    once into memory (never copied to disk: a manifest names classified items), so the bytes
    hashed are the bytes read."""
    from exports import destruction_files

    data = _bytes(path)
    held = io.BytesIO(data)
    try:
        with zipfile.ZipFile(held) as package:
            too_large = _too_large(path, package)
        held.seek(0)
        if too_large:
            raise InvalidInput(_("{path} is too large to be a destruction manifest or "
                                 "certificate: its text is over {size} MB uncompressed").format(
                path=path, size=MAX_TEXT // (1024 * 1024)))
        # zipfile reads a file object as it reads a path; what is said names the path given
        found = destruction_files.read(cast(Path, held))
    except InvalidInput as exc:
        raise InvalidInput(str(exc).replace(str(held), str(path))) from None
    except (OSError, *_FAILED_READS):
        raise _not_word(path) from None
    return found, hashlib.sha256(data).hexdigest()


def cmd_verify(args: argparse.Namespace) -> int:
    from exports import canonical
    from store.destruction import batches as destruction
    from store.destruction import printed
    from store.vault.folder import StoreDir

    path = Path(args.file)
    try:
        found, file_sha = _read(path)  # read before the password is asked
    except InvalidInput as exc:
        return _refused(str(exc))
    manifest = found.kind == "manifest"
    with StoreDir(paths_from(args)) as folder:
        session = authenticate(folder, args, acting_secret(args, passwords_from(args)))
        try:
            batch_id = destruction.id_of(found.number)
            batch = destruction.get(batch_id) if batch_id is not None else None
            sound = batch is None or printed.record_sound(batch)
            exported = printed.exported_on(found.kind, found.number, file_sha)
        finally:
            session.close()
    if batch is None:
        return _refused(_("{path} names batch {number}, which is not on record").format(
            path=path, number=found.number))
    if not sound:
        say(_("the store's record of batch {number} was changed outside statdesk: run "
              "statdesk audit verify --deep").format(number=batch.number))
        return DIFFERS
    text = batch.list_text if manifest else batch.certificate_text
    recorded = batch.list_sha256 if manifest else batch.certificate_sha256
    if not text:
        if manifest and recorded:  # printed before 0.6.0: digest over the store's codes
            if found.printed == recorded:
                said = _("{path}: the SHA-256 printed is the one on record for batch {number}, "
                         "but the list was printed before statdesk 0.6.0, its digest computed "
                         "over the store's codes: it cannot be computed again from the file")
            else:
                said = _("{path}: the SHA-256 printed is not the one on record for batch "
                         "{number} ({recorded}); the list was printed before statdesk 0.6.0, "
                         "its digest computed over the store's codes: it cannot be computed "
                         "again from the file")
            say(said.format(path=path, number=batch.number, recorded=recorded))
            if exported:
                say("  " + _("the file is the one exported on {day}").format(day=exported))
            return DIFFERS
        said = _("batch {number} has no manifest printed on record") if manifest \
            else _("batch {number} has no certificate written on record")
        return _refused(said.format(number=batch.number))
    computed = destruction.text_digest(found.text)
    problems = canonical.differences(found.lines, text.split(canonical.LINE))
    if found.printed != recorded:
        problems.append(_("the SHA-256 printed in the file is “{printed}”, the record's is "
                          "“{recorded}”").format(printed=found.printed or "—",
                                                 recorded=recorded))
    if computed != found.printed and not problems:
        problems.append(_("the file's lines give SHA-256 {computed}, not the one printed in it")
                        .format(computed=computed))
    if problems:
        say(_("{path} does not match the record of batch {number}:").format(
            path=path, number=batch.number))
        for line in problems:
            say(f"  {line}")
        return DIFFERS
    if exported is None:
        say(_("{path}: the printed lines match the record of batch {number}, but this file is "
              "not one statdesk exported (it was edited or re-saved): what it prints outside "
              "those lines (totals, signatures, hidden text) is not vouched for").format(
            path=path, number=batch.number))
        return DIFFERS
    said = _("OK: {path} is the manifest of batch {number} as recorded; SHA-256 {sha}") \
        if manifest else _("OK: {path} is the certificate of batch {number} as recorded; "
                           "SHA-256 {sha}")
    say(said.format(path=path, number=batch.number, sha=computed) + "; "
        + _("the file is the one exported on {day}").format(day=exported))
    return MATCHES
