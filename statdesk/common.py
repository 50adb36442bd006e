"""What every subcommand shares: the line it prints, the data folder it works on, the secrets
it asks for and the session it unlocks with them.

The command modules (commands, backup_commands, export_command, key_command, report_command)
import this module and none of each other, so `commands.dispatch` can load each of them only
when its subcommand runs without making an import circle.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from statdesk.prompts import Passwords
from store.errors import InvalidInput, NotAllowed
from store.i18n import _, ngettext
from store.vault import paths

if TYPE_CHECKING:
    from store.vault.folder import StoreDir
    from store.vault.session import Session


def say(line: str = "") -> None:
    print(line, flush=True)


def paths_from(args: argparse.Namespace) -> paths.DataPaths:
    return paths.resolve(getattr(args, "data_dir", None))


def passwords_from(args: argparse.Namespace) -> Passwords:
    return Passwords(bool(getattr(args, "password_stdin", False)))


def acting_secret(args: argparse.Namespace, secrets: Passwords) -> str:
    """The acting operator's password (or the recovery code), asked first."""
    if getattr(args, "recovery", False):
        return secrets.ask(_("Recovery code: "))
    user = getattr(args, "user", None)
    if not user:
        raise InvalidInput(_("say who is acting: --user NAME (or --recovery)"))
    return secrets.ask(_("Password for {name}: ").format(name=user))


def authenticate(folder: StoreDir, args: argparse.Namespace, secret: str) -> Session:
    """Unlock as `--user` (password) or with `--recovery` (the recovery code)."""
    folder.require_store()
    if getattr(args, "recovery", False):
        session = folder.recover(secret)
    else:
        session = folder.unlock(args.user, secret)
    if session.failed_attempts:
        print(ngettext("note: {n} failed unlock attempt for {name} since the last login; it is "
                       "in the audit log",
                       "note: {n} failed unlock attempts for {name} since the last login; they "
                       "are in the audit log", session.failed_attempts).format(
                  n=session.failed_attempts, name=session.actor.name), file=sys.stderr)
    for notice in session.notices:
        print(_("statdesk: WARNING: {what}").format(what=notice), file=sys.stderr)
    if session.must_change_password and not _changing_own_password(args, session):
        name = session.actor.name
        session.close()
        raise NotAllowed(_("{name} logged in with a one-time password: change it first with "
                           "`statdesk user passwd --user {name}`").format(name=name))
    if session.upgraded is not None:
        done = session.upgraded
        print(_("note: the store was upgraded from statdesk {old} (schema {old_schema}) to {new} "
                "(schema {new_schema}); the store as it was is kept in backups/{backup}").format(
                    old=done.from_version, old_schema=done.from_schema, new=done.to_version,
                    new_schema=done.to_schema, backup=done.backup), file=sys.stderr)
    return session


def _changing_own_password(args: argparse.Namespace, session: Session) -> bool:
    return getattr(args, "command", None) == "user" and getattr(args, "action", None) == \
        "passwd" and getattr(args, "name", None) in (None, session.actor.name)
