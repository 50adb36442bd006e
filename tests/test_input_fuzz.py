"""Hypothesis: whatever is typed, the store answers with a clear error or accepts it."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store.errors import StoreError
from store.vault import policy
from store.vault.folder import StoreDir
from tests.conftest import Store, tree_digest


@given(st.text(max_size=80))
def test_any_name_is_accepted_or_refused_clearly(name: str) -> None:
    try:
        checked = policy.check_name(name)
    except StoreError as exc:
        assert exc.message and "\n" not in exc.message
    else:
        assert 1 <= len(checked) <= 32 and checked.lower() not in policy.RESERVED_NAMES


@given(st.text(max_size=300))
def test_any_password_is_accepted_or_refused_clearly(password: str) -> None:
    try:
        policy.check_password(password)
    except StoreError as exc:
        assert exc.message
    else:
        assert policy.MIN_PASSWORD <= len(password) <= policy.MAX_PASSWORD


@pytest.mark.usefixtures("store")
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(max_size=40), password=st.text(max_size=40))
def test_random_logins_never_crash_or_touch_the_store(store: Store, name: str,
                                                      password: str) -> None:
    before = tree_digest(store.root)
    with StoreDir(store.paths) as folder:
        folder.failures.clear(name.strip())
        try:
            folder.unlock(name, password)
        except StoreError as exc:
            assert exc.message
        else:
            pytest.fail("a random login unlocked the store")
    assert tree_digest(store.root) == before
