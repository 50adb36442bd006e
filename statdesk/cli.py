"""The `statdesk` command: the app with no subcommand, and subcommands for scripts.

Every error is one line on standard error and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from statdesk import argwords, guard, zero_command
from store import i18n
from store.errors import InvalidInput, StoreError
from store.i18n import _
from store.vault import paths

EXIT_ERROR, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED = 1, 2, 70, 130


class OneLineParser(argparse.ArgumentParser):
    """argparse that reports a usage error in one line, in the current language."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", argwords.Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, _("statdesk: {message} (see `{prog} --help`)").format(
            message=message, prog=self.prog) + "\n")


class VersionAction(argparse.Action):
    """`--version`: statdesk's, SQLCipher's and SQLite's versions and the schema number."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS,
                         help=str(kwargs.get("help", "")))

    def __call__(self, parser: argparse.ArgumentParser, *_args: object) -> NoReturn:
        from statdesk.about import report

        lines, whole = report()
        print("\n".join(lines), flush=True)
        parser.exit(0 if whole else EXIT_ERROR)


def _common(auth: bool) -> OneLineParser:
    """Options every subcommand takes, accepted before or after its name."""
    parent = OneLineParser(add_help=False)
    parent.add_argument("--data-dir", default=argparse.SUPPRESS, metavar=_("FOLDER"),
                        help=_("the data directory (default: $STATDESK_DATA_DIR or the "
                               "platform's data folder)"))
    parent.add_argument("--lang", choices=("zh", "en"), default=argparse.SUPPRESS,
                        help=_("language of messages"))
    if auth:
        parent.add_argument("--user", default=argparse.SUPPRESS, metavar=_("NAME"),
                            help=_("the acting operator"))
        parent.add_argument("--recovery", action="store_true", default=argparse.SUPPRESS,
                            help=_("act with the recovery code instead of an operator"))
    parent.add_argument("--password-stdin", action="store_true", default=argparse.SUPPRESS,
                        help=_("read passwords from standard input, one per line"))
    return parent


def build_parser() -> OneLineParser:
    argwords.install()
    plain, auth = _common(auth=False), _common(auth=True)
    parser = OneLineParser(prog="statdesk", parents=[auth],
                           description=_("统计资料管理台 — the statistics office's desk"))
    parser.add_argument("--version", action=VersionAction,
                        help=_("print the versions of statdesk, SQLCipher, SQLite and the schema"))
    sub = parser.add_subparsers(dest="command", metavar=_("COMMAND"), parser_class=OneLineParser)

    init = sub.add_parser("init", parents=[plain], help=_("create a new store"))
    init.add_argument("--admin", required=True, metavar=_("NAME"),
                      help=_("login name of the first administrator"))
    init.add_argument("--display-name", default="", metavar=_("NAME"),
                      help=_("the administrator's full name"))
    init.add_argument("--unit", default="", metavar=_("UNIT"),
                      help=_("the unit's name, e.g. 某某县人民检察院"))

    demo = sub.add_parser("demo", parents=[plain], help=_("a demo store to try statdesk"))
    demo.add_argument("--no-open", action="store_true", help=_("create it, do not open the app"))
    demo.add_argument("--cards", type=int, default=None, metavar=_("COUNT"),
                      help=_("how many sample cards (default: about three years' worth)"))

    sub.add_parser("selfcheck", parents=[plain],
                   help=_("check this installation: modules, styles, messages, encryption, Word, "
                          "and a headless start to the login screen"))

    user = sub.add_parser("user", help=_("operators: add, passwd, disable, list"))
    user_sub = user.add_subparsers(dest="action", metavar=_("ACTION"), required=True,
                                   parser_class=OneLineParser)
    add = user_sub.add_parser("add", parents=[auth], help=_("add an operator"))
    add.add_argument("name", metavar=_("NAME"), help=_("the new operator's login name"))
    add.add_argument("--role", choices=("clerk", "admin"), default="clerk",
                     help=_("clerk (the default) or admin"))
    add.add_argument("--display-name", default="", metavar=_("NAME"),
                     help=_("the operator's full name"))
    passwd = user_sub.add_parser("passwd", parents=[auth], help=_("change a password"))
    passwd.add_argument("name", nargs="?", metavar=_("NAME"), help=_("whose (default: yourself)"))
    passwd.add_argument("--leaked", action="store_true", help=_(
        "the old password may be known to someone: ask for a key rotation"))
    disable = user_sub.add_parser("disable", parents=[auth], help=_("disable an operator"))
    disable.add_argument("name", metavar=_("NAME"), help=_("the operator's login name"))
    disable.add_argument("--reason", default="", metavar=_("REASON"),
                         help=_("why, for the audit log"))
    user_sub.add_parser("list", parents=[auth], help=_("list the operators"))

    backup = sub.add_parser("backup", parents=[auth],
                            help=_("make a backup; verify or restore one"))
    backup.add_argument("--to", metavar=_("FOLDER"),
                        help=_("folder for the backup (default: backups/ in the data "
                               "directory)"))
    backup_sub = backup.add_subparsers(dest="backup_action", metavar=_("ACTION"),
                                       parser_class=OneLineParser)
    verify = backup_sub.add_parser("verify", parents=[auth], help=_("verify a backup file"))
    verify.add_argument("file", metavar=_("FILE"), help=_("the backup file"))
    for parent, name in ((backup_sub, "restore"), (sub, "restore")):
        restore = parent.add_parser(name, parents=[auth],
                                    help=_("replace the store with a backup (administrators)"))
        restore.add_argument("file", metavar=_("FILE"), help=_("the backup file"))
        restore.add_argument("--other-store", action="store_true",
                             help=_("allow a backup of another store"))

    audit = sub.add_parser("audit", help=_("the audit log"))
    audit_sub = audit.add_subparsers(dest="action", metavar=_("ACTION"), required=True,
                                     parser_class=OneLineParser)
    audit_verify = audit_sub.add_parser("verify", parents=[auth], help=_("check the audit chain"))
    audit_verify.add_argument("--deep", action="store_true",
                              help=_("also replay the log against every audited table: name "
                                     "each row changed, inserted or deleted outside statdesk"))

    key = sub.add_parser("key", help=_("the master key: rotate it, acknowledge a rollback"))
    key_sub = key.add_subparsers(dest="action", metavar=_("ACTION"), required=True,
                                 parser_class=OneLineParser)
    rotate = key_sub.add_parser("rotate", parents=[auth], help=_(
        "a new master key and keyslots; operators not named by --keep get one-time passwords"))
    rotate.add_argument("--keep", action="append", metavar=_("NAME"), help=_(
        "an operator present who types their current password to keep it (repeatable)"))
    ack = key_sub.add_parser("acknowledge-rollback", parents=[auth], help=_(
        "acknowledge a rollback that was noticed, with the reason"))
    ack.add_argument("--reason", required=True, metavar=_("REASON"),
                     help=_("what was found and done"))

    code_tables = sub.add_parser("codes", help=_("the code tables: the 2026 tables offered, "
                                                 "adopt them"))
    codes_sub = code_tables.add_subparsers(dest="action", metavar=_("ACTION"), required=True,
                                           parser_class=OneLineParser)
    codes_sub.add_parser("offered", parents=[auth], help=_(
        "list what adopting the 2026 code tables would add, rename and retire"))
    codes_sub.add_parser("adopt-2026", parents=[auth], help=_(
        "adopt the 2026 code tables (administrators); cards keep their codes"))

    monthly = sub.add_parser("report", parents=[auth], help=_("the monthly report"))
    monthly.add_argument("month", metavar=_("YYYY-MM"))
    monthly.add_argument("--docx", metavar=_("FILE"), help=_("write it as Word to FILE"))
    zero_command.add_parser(sub, monthly, auth)

    export = sub.add_parser("export", help=_("Word files: a checklist, a check-in report, the "
                                             "secrecy register, a destruction manifest or "
                                             "certificate"))
    export_sub = export.add_subparsers(dest="what", metavar=_("WHAT"), required=True,
                                       parser_class=OneLineParser)
    out_help = _("write it to FILE (default: exports/ in the data directory)")
    for name, help_text in (("checklist", _("the checklist of a run, to walk and sign")),
                            ("checkin", _("the quarterly check-in report of a run"))):
        one = export_sub.add_parser(name, parents=[auth], help=help_text)
        one.add_argument("run", metavar=_("RUN_ID"))
        one.add_argument("--out", metavar=_("FILE"), help=out_help)
    period = export_sub.add_parser("register", parents=[auth],
                                   help=_("the secrecy register of documents received between "
                                          "two dates"))
    period.add_argument("first", metavar=_("FIRST"))
    period.add_argument("last", metavar=_("LAST"))
    period.add_argument("--out", metavar=_("FILE"), help=out_help)
    for name, help_text in (("manifest", _("the destruction manifest of an approved batch, to "
                                           "sign (the batch is then printed for signing)")),
                            ("certificate", _("the destruction certificate of a batch carried "
                                              "out"))):
        one = export_sub.add_parser(name, parents=[auth], help=help_text)
        one.add_argument("batch", metavar=_("BATCH"),
                         help=_("the batch's number, e.g. 销-2026-001, or its id"))
        one.add_argument("--out", metavar=_("FILE"), help=out_help)
    verify = export_sub.add_parser("verify", parents=[auth], help=_(
        "check a destruction manifest or certificate (.docx) against the store: its SHA-256 "
        "computed again, each line that differs named"))
    verify.add_argument("file", metavar=_("FILE"))
    return parser


def _language_from(argv: Sequence[str]) -> str | None:
    """`--lang` is needed before the parser is built (its help texts are translated)."""
    for index, arg in enumerate(argv):
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
        if arg == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
    return None


def _undecodable(args: argparse.Namespace) -> str | None:
    """The first argument holding bytes that were not UTF-8 (they arrive as surrogates)."""
    for name, value in vars(args).items():
        if isinstance(value, str) and any("\ud800" <= ch <= "\udfff" for ch in value):
            return name
    return None


def _opens_app(args: argparse.Namespace) -> bool:
    return args.command is None or (args.command == "demo" and not args.no_open)


def _paths_of(args: argparse.Namespace | None) -> paths.DataPaths | None:
    """The data folder a failed command was working on (to name it, and its backups)."""
    if args is None:
        return None
    try:
        data_dir = getattr(args, "data_dir", None)
        if getattr(args, "command", None) == "demo" and not data_dir:
            return paths.DataPaths(paths.demo_root())
        return paths.resolve(data_dir)
    except Exception:  # naming the folder is a courtesy; the error is still told
        return None


def _explained(exc: BaseException, args: argparse.Namespace | None) -> StoreError | None:
    """A full disk, a read-only file or a damaged store as one line (None: unexpected)."""
    try:
        from store.vault import failure_words

        return failure_words.explain(exc, _paths_of(args))
    except Exception:
        return exc if isinstance(exc, StoreError) else None


def _test_cost_refused() -> bool:
    """The test-only keyslot cost is set but this is not the test suite: say so, start nothing."""
    from store.vault import cipher

    if not cipher.has_test_cost_setting() or cipher.allows_test_cost():
        return False
    print(_("statdesk: {env} is set; it weakens new passwords and is for the test suite only. "
            "Unset it and start statdesk again").format(env=cipher.TEST_KDF_ENV),
          file=sys.stderr)
    return True


def _say_notice(line: str) -> None:
    print(f"statdesk: {line}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    guard.install()
    os.umask(0o077)
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = _language_from(argv)
    if lang in i18n.LANGUAGES:
        i18n.set_language(lang)
    if _test_cost_refused():
        return EXIT_USAGE
    args = build_parser().parse_args(zero_command.routed(argv))
    if getattr(args, "data_dir", None) is not None and not args.data_dir.strip():
        print(_("statdesk: --data-dir is empty; name a folder, or leave the option out to use "
                "the usual data folder"), file=sys.stderr)
        return EXIT_USAGE
    if _opens_app(args) and lang is None and os.environ.get(i18n.ENV_LANG) is None:
        from statdesk import console

        if console.cannot_draw_chinese():
            print(console.MESSAGE, file=sys.stderr)
            return EXIT_USAGE
    from store.vault import folder

    folder.on_notice(_say_notice)
    try:
        bad = _undecodable(args)
        if bad is not None:
            raise InvalidInput(_("--{name} contains bytes that are not UTF-8 text").format(
                name=bad.replace("_", "-")))
        from statdesk import commands

        return commands.dispatch(args)
    except StoreError as exc:
        print(f"statdesk: {_explained(exc, args) or exc}", file=sys.stderr)
        return EXIT_ERROR
    except guard.OfflineViolation as exc:
        print(f"statdesk: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:  # `statdesk report … | head`: the reader has had enough
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print(_("statdesk: interrupted"), file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:
        if os.environ.get("STATDESK_DEBUG"):
            raise
        explained = _explained(exc, args)
        if explained is not None:
            print(f"statdesk: {explained}", file=sys.stderr)
            return EXIT_ERROR
        print(_("statdesk: unexpected error ({kind}): {what}").format(
            kind=type(exc).__name__, what=exc), file=sys.stderr)
        return EXIT_INTERNAL
    finally:
        folder.on_notice(None)
