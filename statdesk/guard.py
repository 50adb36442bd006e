"""The offline guard (rules A5, D3): this process never reaches a network.

An audit hook refuses to create any socket but a local (AF_UNIX) one, and
refuses every internet-family connect, bind or send and every name look-up.
Local sockets (the socketpair asyncio uses on Linux) keep working. It is
defence in depth; the workstation's firewall stays the main control.
(On Windows asyncio's socketpair is a loopback TCP pair, which this refuses:
the workstation runs Linux.)
"""

from __future__ import annotations

import socket
import sys
from typing import Any

from store.i18n import _

_INTERNET = (socket.AF_INET, socket.AF_INET6)
_LOOKUPS = frozenset({
    "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex",
    "socket.gethostbyaddr", "socket.getnameinfo",
})
_SENDS = frozenset({"socket.connect", "socket.sendto", "socket.sendmsg", "socket.bind"})
_LOCAL = getattr(socket, "AF_UNIX", None)
_installed = False


class OfflineViolation(PermissionError):
    """A network operation the offline rules forbid."""


def refusal() -> str:
    return _("network access refused: the statistics computer is never connected to a "
             "network (rules A5, D3)")


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if event in _LOOKUPS:
        raise OfflineViolation(refusal())
    if event == "socket.__new__" and len(args) > 1 and args[1] != _LOCAL:
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
