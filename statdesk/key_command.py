"""`statdesk key`: rotate the master key; acknowledge a rollback that was noticed."""

from __future__ import annotations

import argparse

from statdesk.common import acting_secret, authenticate, passwords_from, paths_from, say
from store.errors import InvalidInput
from store.i18n import _, ngettext
from store.vault import policy
from store.vault.folder import StoreDir


def cmd_key(args: argparse.Namespace) -> int:
    if args.action == "rotate":
        return _rotate(args)
    return _acknowledge(args)


def _rotate(args: argparse.Namespace) -> int:
    from store.keys import rotation

    secrets = passwords_from(args)
    # Every secret is read before the store is unlocked: bad input changes nothing.
    acting = acting_secret(args, secrets)
    keep = [policy.check_name(name) for name in (args.keep or [])]
    passwords = {name: secrets.ask(_("Current password of {name} (present): ").format(name=name))
                 for name in keep}
    if not getattr(args, "recovery", False):
        passwords[args.user] = acting

    def announce(result: rotation.Rotated) -> None:
        say(_("NEW RECOVERY CODE — shown only this once. Write it down, seal it in the safe; "
              "the old one no longer opens the store:"))
        say()
        say(f"    {result.recovery_code}")
        say()
        if result.one_time:
            say(_("One-time passwords — write each on paper and hand it over in person; each "
                  "must be changed at the first login:"))
            for name, password in sorted(result.one_time.items()):
                say(f"    {name:<16} {password}")
            say()

    with StoreDir(paths_from(args)) as folder:
        session = authenticate(folder, args, acting)
        done = rotation.rotate(folder, session, passwords, announce=announce)
        session.close()
    remade = len(done.operators) + 1  # the recovery keyslot too
    say(ngettext("The master key was rotated in {s:.1f} s: {n} keyslot re-made; keyslots from "
                 "before, copied or inside earlier backups, no longer open this store (earlier "
                 "backups keep their own key).",
                 "The master key was rotated in {s:.1f} s: {n} keyslots re-made; keyslots from "
                 "before, copied or inside earlier backups, no longer open this store (earlier "
                 "backups keep their own key).", remade).format(s=done.seconds, n=remade))
    return 0


def _acknowledge(args: argparse.Namespace) -> int:
    from store.keys import rollback

    reason = (args.reason or "").strip()
    if not reason:
        raise InvalidInput(_("say why the rollback is acknowledged: --reason TEXT"))
    secrets = passwords_from(args)
    acting = acting_secret(args, secrets)
    with StoreDir(paths_from(args)) as folder:
        session = authenticate(folder, args, acting)
        rollback.acknowledge(session, reason)
        session.close()
    say(_("The rollback is acknowledged; the reason is in the audit log."))
    return 0
