"""TOTP helpers for demo accounts and tests (never used by request handling)."""

from __future__ import annotations

import time

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt

from northstar.accounts.models import User

TOTP_PERIOD = 30


def totp_enable(user: User, secret: str) -> None:
    """Give ``user`` a TOTP authenticator with ``secret`` and recovery codes (idempotent)."""
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, secret)
    if not Authenticator.objects.filter(user=user,
                                        type=Authenticator.Type.RECOVERY_CODES).exists():
        RecoveryCodes.activate(user)


def totp_secret_of(user: User) -> str:
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return decrypt(authenticator.data["secret"])


def totp_code(secret: str, at: float | None = None) -> str:
    counter = int(at if at is not None else time.time()) // TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


def totp_url(user: User, secret: str) -> str:
    from allauth.mfa.adapter import get_adapter

    return get_adapter().build_totp_url(user, secret)
