"""`statdesk export checklist|checkin RUN_ID`, `statdesk export register FIRST LAST` and
`statdesk export manifest|certificate BATCH`: the Word files of the checklist runs, the secrecy
register and the destruction batches, for scripts (`--out FILE`, or the data folder's
exports/). Each file is logged in the audit trail like one made in the app. `statdesk export
verify FILE` checks a manifest or certificate against the store (statdesk.verify_command)."""

from __future__ import annotations

import argparse
import re
import unicodedata
from pathlib import Path

from statdesk.common import acting_secret, authenticate, passwords_from, paths_from, say
from store.errors import InvalidInput
from store.i18n import _


def run_number(text: str) -> int:
    """A run's number as typed: `12` or `#12` (full-width digits too)."""
    value = unicodedata.normalize("NFKC", text).strip().removeprefix("#")
    if not value.isascii() or not value.isdigit() or not 0 < int(value) < 2**63:
        raise InvalidInput(_("a checklist run is named by its number, e.g. 12 (not \"{text}\")")
                           .format(text=text))
    return int(value)


def batch_reference(text: str) -> str:
    """A destruction batch as typed: its number 销-2026-001 or its id (12, #12), full-width
    forms folded; looked up once the store is open."""
    value = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    digits = value.removeprefix("#")
    if digits.isascii() and digits.isdigit():
        if 0 < int(digits) < 2**63:
            return value
    elif re.fullmatch(r"销-[0-9]{4}-[0-9]+", value):
        return value
    raise InvalidInput(_("a destruction batch is named by its number, e.g. 销-2026-001, or its "
                         "id (not \"{text}\")").format(text=text))


def cmd_export(args: argparse.Namespace) -> int:
    if args.what == "verify":
        from statdesk.verify_command import cmd_verify

        return cmd_verify(args)
    from exports import check_files, destruction_files
    from store.dates import parse_date
    from store.vault.folder import StoreDir

    # What was typed is checked before the password is asked.
    if args.what == "register":
        first, last = parse_date(args.first), parse_date(args.last)
        if last < first:
            raise InvalidInput(_("the range ends before it begins"))
    elif args.what in ("manifest", "certificate"):
        batch = batch_reference(args.batch)
    else:
        run_id = run_number(args.run)
    out = Path(args.out) if args.out else None
    with StoreDir(paths_from(args)) as folder:
        session = authenticate(folder, args, acting_secret(args, passwords_from(args)))
        try:
            if args.what == "register":
                path = check_files.register(session, first.isoformat(), last.isoformat(), out)
            elif args.what == "checkin":
                path = check_files.checkin_report(session, run_id, out)
            elif args.what == "manifest":
                path = destruction_files.manifest(session, destruction_files.find(batch).id,
                                                  out)
            elif args.what == "certificate":
                path = destruction_files.certificate(
                    session, destruction_files.find(batch).id, out)
            else:
                path = check_files.checklist(session, run_id, out)
        finally:
            session.close()
    say(_("Written: {path}").format(path=path))
    return 0
