"""The offline guard (rules A5, D3): this process never reaches a network.

An audit hook refuses every internet-family connect or send and every name
look-up. Local sockets (AF_UNIX, the socketpair asyncio uses) keep working.
It is defence in depth; the workstation's firewall stays the main control.
"""

from __future__ import annotations

import socket
import sys
from typing import Any

from statdesk.i18n import _

_INTERNET = (socket.AF_INET, socket.AF_INET6)
_LOOKUPS = frozenset({
    "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex",
    "socket.gethostbyaddr", "socket.getnameinfo",
})
_SENDS = frozenset({"socket.connect", "socket.sendto", "socket.sendmsg"})
_installed = False


class OfflineViolation(PermissionError):
    """A network operation the offline rules forbid."""


def refusal() -> str:
    return _("network access refused: the statistics computer is never connected to a "
             "network (rules A5, D3)")


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if event in _LOOKUPS:
        raise OfflineViolation(refusal())
    if event in _SENDS and args:
        family = getattr(args[0], "family", None)
        if family in _INTERNET:
            raise OfflineViolation(refusal())


def install() -> None:
    """Install the guard once per process (audit hooks cannot be removed)."""
    global _installed
    if not _installed:
        sys.addaudithook(_hook)
        _installed = True


def installed() -> bool:
    return _installed
