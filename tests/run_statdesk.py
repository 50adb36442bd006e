"""`statdesk` as a child of the test suite: the test-only keyslot cost is allowed here.

The real `statdesk` refuses to start while STATDESK_TEST_KDF_ITER is set; tests that run
the command in a child process start it through this file instead (`conftest.STATDESK`).
"""

from __future__ import annotations

from statdesk import cli
from store.vault import cipher

cipher.allow_test_cost()
raise SystemExit(cli.main())
