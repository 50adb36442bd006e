"""What each subcommand does, on top of the store services: init, demo, user and audit here;
`dispatch` loads the module of any other subcommand when it runs. What they all share (the
acting operator, the data folder, the line printed) is in statdesk.common."""

from __future__ import annotations

import argparse
import logging
import sys
from typing import TYPE_CHECKING

from statdesk.common import acting_secret, authenticate, passwords_from, paths_from, say
from statdesk.prompts import Passwords
from store.errors import InvalidInput, StoreExists
from store.i18n import N_, _, ngettext
from store.vault import cipher, paths, policy
from store.vault.folder import StoreDir

if TYPE_CHECKING:
    from store.vault.session import Session


ROLE_WORDS = {"admin": N_("administrator"), "clerk": N_("clerk")}
STATUS_WORDS = {"active": N_("active"), "disabled": N_("DISABLED")}
"""An operator's role and state in words (`user list`), as the operators screen says them."""


def _padded(text: str, columns: int) -> str:
    """`text` and spaces to fill `columns` terminal columns (a Chinese character takes two)."""
    import unicodedata

    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(columns - used, 0)


def _warn_weak_cost() -> None:
    """A keyslot was just written: say so if the test-only cost was in force."""
    if cipher.kdf_iter() < cipher.PRODUCTION_KDF_ITER:
        print(_("statdesk: warning: {env} is set, so that keyslot uses a weak, test-only cost; "
                "unset it and change the password").format(env=cipher.TEST_KDF_ENV),
              file=sys.stderr)


def _new_password(secrets: Passwords, whose: str) -> str:
    first, second = secrets.new_password(whose)
    policy.check_password(first)
    policy.check_confirmation(first, second)
    return first


def cmd_init(args: argparse.Namespace) -> int:
    where = paths_from(args)
    secrets = passwords_from(args)
    # Everything typed is checked before the folder is touched.
    if where.db.exists() or where.keys.exists():
        raise StoreExists(_("a statdesk store already exists at {root}; nothing was changed")
                          .format(root=where.root))
    name = policy.check_name(args.admin)
    policy.check_text(args.unit, _("unit name"))
    policy.check_text(args.display_name, _("full name"))
    password = _new_password(secrets, name)

    def announce(code: str) -> None:
        say(_("RECOVERY CODE — shown only this once. Write it down, seal it in the safe:"))
        say()
        say(f"    {code}")
        say()
        say(_("It unlocks the store if every password is lost (`--recovery`)."))

    with StoreDir(where, create=True) as folder:
        new = folder.init(name, password, args.unit, args.display_name, announce=announce)
        new.session.close()
    say(_("Created a statdesk store at {root} with administrator {name}.").format(
        root=where.root, name=name))
    _warn_weak_cost()
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from store.demo import build as demo

    data_dir = getattr(args, "data_dir", None)
    where = paths.resolve(data_dir) if data_dir else paths.DataPaths(paths.demo_root())
    if args.cards is not None and not 0 <= args.cards <= 10_000_000:
        raise InvalidInput(_("--cards takes a number from 0 to 10000000"))
    from exports import destruction_files  # the demo's printed batches keep their manifest's text

    result = demo.ensure_demo(where, args.cards, printed=destruction_files.printed_text)
    say((_("Created the demo store at {root}") if result.created
          else _("The demo store is at {root}")).format(root=where.root))
    say(_("Demo operators (for trying only):"))
    for name, role, display in result.operators:
        say("  " + _("{name} {role} {display}   password: {pw}").format(
            name=f"{name:<6}", role=f"{role:<6}", display=display, pw=result.password))
    if args.no_open or not (sys.stdin.isatty() and sys.stdout.isatty()):
        say(_("Open it with: statdesk --data-dir {root}").format(root=where.root))
        return 0
    return run_app(where, args)


def cmd_user(args: argparse.Namespace) -> int:
    from store import operators

    secrets = passwords_from(args)
    # Every secret is read and every typed value checked before the store is unlocked,
    # so bad input leaves the store exactly as it was.
    if args.action == "passwd" and not args.name and getattr(args, "recovery", False):
        raise InvalidInput(_("with --recovery, say whose password: user passwd NAME"))
    target = policy.check_name(args.name) if getattr(args, "name", None) else None
    acting = acting_secret(args, secrets)
    new_password = ""
    if args.action in ("add", "passwd"):
        new_password = _new_password(secrets, target or str(getattr(args, "user", "")))
    with StoreDir(paths_from(args)) as folder:
        folder.require_store()
        session = authenticate(folder, args, acting)
        if args.action == "add":
            assert target is not None
            operators.add(session, target, args.role, new_password, args.display_name)
            say(_("Added operator {name} ({role}).").format(name=target, role=args.role))
            _warn_weak_cost()
        elif args.action == "passwd":
            name = target or session.actor.name
            operators.change_password(session, name, new_password,
                                      leaked=bool(getattr(args, "leaked", False)))
            say(_("Password changed for {name}.").format(name=name))
            if getattr(args, "leaked", False):
                say(_("A key rotation is now due: the old keyslot inside earlier backups still "
                      "opens the store until `statdesk key rotate`."))
            _warn_weak_cost()
        elif args.action == "disable":
            assert target is not None
            operators.disable(session, target, args.reason)
            say(_("Disabled operator {name}; their keyslot is destroyed.").format(name=target))
            say(_("A key rotation is now due: a keyslot of {name} inside an earlier backup still "
                  "opens the store until `statdesk key rotate`.").format(name=target))
        else:
            for op in operators.list_operators():
                role, status = _(ROLE_WORDS.get(op.role, op.role)), _(STATUS_WORDS.get(
                    op.status, op.status))
                say(f"{op.name:<16} {_padded(role, 14)} {_padded(status, 9)} {op.display_name}")
        session.close()
    return 0


SHOWN_FINDINGS = 100
"""Rows `audit verify --deep` names one per line; the rest are counted."""


def cmd_audit(args: argparse.Namespace) -> int:
    if getattr(args, "deep", False):
        return _audit_deep(args)
    with StoreDir(paths_from(args)) as folder:
        session = authenticate(folder, args, acting_secret(args, passwords_from(args)))
        result = session.audit.verify()
        sealed = _sealed_problems(session)
        session.close()
    for problem in sealed:
        print(f"statdesk: {problem}", file=sys.stderr)
    if result.ok and not sealed:
        say(result.describe())
        return 0
    if not result.ok:
        print(f"statdesk: {result.describe()}", file=sys.stderr)
    return 1


def _sealed_problems(session: Session) -> list[str]:
    """What only a holder of the administrators' key can check: forged operator records and a
    rewritten sealed head."""
    from store.keys import seals

    return seals.problems(session.admin_key, session.store_id) if session.admin_key else []


def _audit_deep(args: argparse.Namespace) -> int:
    """The chain, each entry's rows, and every audited row against the log: OK, or one line
    per problem (rows on standard output, the verdict on standard error)."""
    from store.audit import replay

    with StoreDir(paths_from(args)) as folder:
        session = authenticate(folder, args, acting_secret(args, passwords_from(args)))
        result = replay.verify_deep(session.audit)
        sealed = _sealed_problems(session)
        session.close()
    for problem in sealed:
        print(f"statdesk: {problem}", file=sys.stderr)
    if result.ok and not sealed:
        for line in result.lines():
            say(line)
        return 0
    for line in result.broken():
        print(f"statdesk: {line}", file=sys.stderr)
    for line in result.finding_lines(SHOWN_FINDINGS):
        say(line)
    if result.total:
        print(f"statdesk: {result.summary()}", file=sys.stderr)
    return 1


def run_app(where: paths.DataPaths, args: argparse.Namespace) -> int:
    """Open the Textual app on a data directory."""
    faults = _Faults()
    logging.getLogger("statdesk").addHandler(faults)
    try:
        with StoreDir(where, create=True) as folder:  # no store yet: the app walks through one
            from tui.app import build_app

            app = build_app(folder, lang=getattr(args, "lang", None))
            app.run()
    finally:
        logging.getLogger("statdesk").removeHandler(faults)
        faults.print()
    return 0


class _Faults(logging.Handler):
    """Unexpected faults the app met, with tracebacks: kept in memory (nothing is written to
    disk beside the store), printed once the app's screen is gone."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[str] = []
        self.setFormatter(logging.Formatter("%(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(self.format(record))

    def print(self) -> None:
        if self.records:
            count = len(self.records)
            print("statdesk: " + ngettext(
                "the app met {n} unexpected error; for whoever maintains it:",
                "the app met {n} unexpected errors; for whoever maintains it:",
                count).format(n=count), file=sys.stderr)
            for text in self.records:
                print(text, file=sys.stderr)


def dispatch(args: argparse.Namespace) -> int:
    if args.command is None:
        return run_app(paths_from(args), args)  # the database layer loads only on unlock
    if args.command in ("backup", "restore"):
        from statdesk import backup_commands

        handler = backup_commands.cmd_backup if args.command == "backup" \
            else backup_commands.cmd_restore
        return handler(args)
    if args.command == "report":
        from statdesk.report_command import cmd_report

        return cmd_report(args)
    if args.command == "report-zero":
        from statdesk.zero_command import cmd_zero

        return cmd_zero(args)
    if args.command == "export":
        from statdesk.export_command import cmd_export

        return cmd_export(args)
    if args.command == "codes":
        from statdesk.codes_command import cmd_codes

        return cmd_codes(args)
    if args.command == "key":
        from statdesk.key_command import cmd_key

        return cmd_key(args)
    if args.command == "selfcheck":
        from statdesk import selfcheck

        return selfcheck.run(paths_from(args), say)
    handlers = {"init": cmd_init, "demo": cmd_demo, "user": cmd_user, "audit": cmd_audit}
    return handlers[args.command](args)
