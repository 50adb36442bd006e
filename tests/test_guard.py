"""The offline guard (A5, D3) refuses a real connection from inside the app process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

from tests.conftest import REPO, Store


def _listener() -> socket.socket:
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    server.settimeout(0.5)
    return server


def _accepted(server: socket.socket) -> bool:
    try:
        conn, _addr = server.accept()
    except (TimeoutError, OSError):
        return False
    conn.close()
    return True


def test_guard_refuses_connect_inside_the_app(store: Store) -> None:
    server = _listener()
    port = server.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    # Control: without the guard, the same connect reaches the listener.
    control = subprocess.run(
        [sys.executable, "-c", f"import socket; socket.create_connection(('127.0.0.1', {port}))"],
        capture_output=True, text=True, timeout=30)
    assert control.returncode == 0, control.stderr
    assert _accepted(server)
    proc = subprocess.run(
        [sys.executable, str(REPO / "tests" / "guard_child.py"), str(store.root), str(port)],
        capture_output=True, text=True, timeout=120, env=env)
    assert "REFUSED" in proc.stdout, proc.stdout + proc.stderr
    assert "rules A5, D3" in proc.stdout
    assert "LOOKUP REFUSED" in proc.stdout
    assert "LISTEN REFUSED" in proc.stdout
    assert "LOCAL ok" in proc.stdout  # the app's own local sockets still work
    assert "CONNECTED" not in proc.stdout
    assert not _accepted(server)
    server.close()
