"""Small helpers shared by tests."""

from __future__ import annotations

import os

import pytest

from northstar.accounts.mfa import SESSION_KEY

IN_CI = os.environ.get("CI") == "true"
DEFAULT_PASSWORD = "correct-horse-battery-9"


def require(condition: bool, reason: str) -> None:
    """Skip with ``reason`` when a service is absent; in CI (CI=true) fail instead."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{reason} — required when CI=true")
    pytest.skip(reason)


def sign_in(client, user, *, mfa: bool = True):
    """Log ``user`` in on ``client``; with ``mfa`` the session counts as MFA-verified (as after
    a real TOTP step, which tests/accounts/test_login_flow.py exercises end to end)."""
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    if mfa:
        session = client.session
        session[SESSION_KEY] = str(user.pk)
        session.save()
    return client
