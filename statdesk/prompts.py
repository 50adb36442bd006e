"""Passwords for the command line: from the terminal, or lines of standard input."""

from __future__ import annotations

import getpass
import sys
from typing import TextIO

from store.errors import InvalidInput
from store.i18n import _


class Passwords:
    """Hands out secrets in the order a command asks for them.

    With `--password-stdin` each secret is the next line of standard input:
    the acting operator's password first, then a new password and its
    confirmation; otherwise each is asked on the terminal without echo.
    """

    def __init__(self, from_stdin: bool, stream: TextIO | None = None) -> None:
        self.from_stdin = from_stdin
        self.stream = stream if stream is not None else sys.stdin

    def ask(self, prompt: str) -> str:
        what = prompt.strip().rstrip(":：").strip()
        if self.from_stdin:
            try:
                line = self.stream.readline()
            except UnicodeDecodeError:
                raise InvalidInput(_("standard input is not UTF-8 text")) from None
            if not line:
                raise InvalidInput(_("standard input ended before: {what}").format(what=what))
            return line.rstrip("\r\n")
        if not sys.stdin.isatty():
            raise InvalidInput(_("no terminal to ask for a password; use --password-stdin"))
        try:
            return getpass.getpass(prompt)
        except EOFError:
            raise InvalidInput(_("no answer given for: {what}").format(what=what)) from None

    def new_password(self, whose: str) -> tuple[str, str]:
        first = self.ask(_("New password for {name}: ").format(name=whose))
        second = self.ask(_("New password again: "))
        return first, second
