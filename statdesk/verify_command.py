"""`statdesk export verify FILE.docx`: a destruction manifest or certificate read back, its
SHA-256 computed again from its lines (exports.canonical) and compared with the digest printed
in it and with the store's record of its batch, found by the batch number printed in it.

Exit 0: it matches (the batch and the digest are said); 1: it does not, each line that differs
named; 2: the file cannot be read, is not a manifest or certificate, or names no batch on
record. One line each, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from statdesk.common import acting_secret, authenticate, passwords_from, paths_from, say
from store.errors import InvalidInput
from store.i18n import _

MATCHES, DIFFERS, UNREADABLE = 0, 1, 2


def _refused(line: str) -> int:
    print(f"statdesk: {line}", file=sys.stderr)
    return UNREADABLE


def cmd_verify(args: argparse.Namespace) -> int:
    from exports import canonical, destruction_files
    from store.destruction import batches as destruction
    from store.vault.folder import StoreDir

    path = Path(args.file)
    try:
        found = destruction_files.read(path)  # read before the password is asked
    except InvalidInput as exc:
        return _refused(str(exc))
    with StoreDir(paths_from(args)) as folder:
        session = authenticate(folder, args, acting_secret(args, passwords_from(args)))
        try:
            batch_id = destruction.id_of(found.number)
            batch = destruction.get(batch_id) if batch_id is not None else None
        finally:
            session.close()
    if batch is None:
        return _refused(_("{path} names batch {number}, which is not on record").format(
            path=path, number=found.number))
    manifest = found.kind == "manifest"
    text = batch.list_text if manifest else batch.certificate_text
    recorded = batch.list_sha256 if manifest else batch.certificate_sha256
    if not text:
        if manifest and recorded and found.printed == recorded:
            say(_("{path}: the SHA-256 printed is the one on record for batch {number}, but the "
                  "list was printed before statdesk stated how its digest is computed (over "
                  "the store's codes): it cannot be computed again from the file").format(
                path=path, number=batch.number))
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
    said = _("OK: {path} is the manifest of batch {number} as recorded; SHA-256 {sha}") \
        if manifest else _("OK: {path} is the certificate of batch {number} as recorded; "
                           "SHA-256 {sha}")
    say(said.format(path=path, number=batch.number, sha=computed))
    return MATCHES
