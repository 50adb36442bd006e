"""Child of the guard test: start statdesk the real way, then try the network from inside."""

from __future__ import annotations

import asyncio
import os
import socket
import sys

os.environ.setdefault("STATDESK_TEST_KDF_ITER", "1000")

from statdesk import cli
from store.vault import cipher
from tui import app as tui_app

cipher.allow_test_cost()  # a child of the test suite


def headless_run(self: tui_app.StatdeskApp) -> None:
    """Stand-in for App.run: the same app, headless, trying to connect while it runs."""

    async def go() -> None:
        async with self.run_test():
            try:
                socket.create_connection(("127.0.0.1", int(sys.argv[2])), timeout=3).close()
                print("CONNECTED", flush=True)
            except PermissionError as exc:
                print(f"REFUSED {exc}", flush=True)
            try:
                socket.getaddrinfo("localhost", 80)
                print("RESOLVED", flush=True)
            except PermissionError:
                print("LOOKUP REFUSED", flush=True)
            try:
                socket.socket(socket.AF_INET, socket.SOCK_STREAM).bind(("0.0.0.0", 0))
                print("LISTENING", flush=True)
            except PermissionError:
                print("LISTEN REFUSED", flush=True)
            left, right = socket.socketpair()
            left.sendall(b"ok")
            print("LOCAL " + right.recv(2).decode(), flush=True)

    asyncio.run(go())


tui_app.StatdeskApp.run = headless_run  # type: ignore[method-assign,assignment]
raise SystemExit(cli.main(["--data-dir", sys.argv[1]]))
