"""`statdesk codes offered | adopt-2026`: the 2026 code tables, offered to a store that has
the first ones, listed and adopted (administrators)."""

from __future__ import annotations

import argparse

from statdesk.common import acting_secret, authenticate, passwords_from, paths_from, say
from store.i18n import _, ngettext
from store.vault.folder import StoreDir


def cmd_codes(args: argparse.Namespace) -> int:
    from store.cards import code_admin

    with StoreDir(paths_from(args)) as folder:
        session = authenticate(folder, args, acting_secret(args, passwords_from(args)))
        try:
            offers = code_admin.offered()
            when = code_admin.adopted()
            if args.action == "offered":
                if when is not None:
                    say(_("The 2026 code tables are in use (adopted {when}).").format(
                        when=when[:10]))
                elif not offers:
                    say(_("The code tables already agree with the 2026 tables."))
                for offer in offers:
                    say("  " + offer.describe())
                if offers:
                    say(_("Adopt them with: statdesk codes adopt-2026 (administrators). "
                          "Cards keep their codes."))
                return 0
            changed = code_admin.adopt_2026(session)
            for offer in offers:
                say("  " + offer.describe())
            say(ngettext("The 2026 code tables are adopted: {n} entry changed; cards keep "
                         "their codes.",
                         "The 2026 code tables are adopted: {n} entries changed; cards keep "
                         "their codes.", changed).format(n=changed))
        finally:
            session.close()
    return 0
