"""A TOTP code works once: every accepted code must be newer than the last one accepted.

allauth refuses a replayed code by keeping a marker in the cache for one period (30 s), but
with ``MFA_TOTP_TOLERANCE = 1`` a code is valid for three periods (the previous, current and
next 30-second step), so a code seen over someone's shoulder could be replayed from another
browser for up to a minute more; and a cache flush or eviction would forget every marker.

Here, as RFC 6238 section 5.2 asks, the time step of the last accepted code is stored with the
authenticator (``Authenticator.data["last_step"]``, in the database, under a row lock) and a
code of that step or an earlier one is refused, in every session and on every worker. Setting
up TOTP records the step of the code that proved the new authenticator, so that code cannot
sign in either. ``install()`` (from ``AccountsConfig.ready``) replaces allauth's check; it stops
the process if a later allauth no longer has the method it replaces.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

LAST_STEP_KEY = "last_step"


def matching_step(secret: str, code: str) -> int | None:
    """The time step (within the tolerance) whose code ``code`` is, or None."""
    from allauth.core.internal.cryptokit import compare_user_code
    from allauth.mfa.totp.internal import auth

    for step in auth.yield_hotp_counters_from_time():
        if compare_user_code(actual=code, expected=auth.format_hotp_value(
                auth.hotp_value(secret, step))):
            return step
    return None


def accept_step(authenticator, step: int) -> bool:
    """Record ``step`` as used unless it (or a later step) already was. Atomic across
    sessions and processes: the authenticator's row is locked while deciding."""
    from allauth.mfa.models import Authenticator

    with transaction.atomic():
        row = Authenticator.objects.select_for_update().get(pk=authenticator.pk)
        last = row.data.get(LAST_STEP_KEY)
        if last is not None and step <= last:
            return False
        row.data[LAST_STEP_KEY] = step
        row.save(update_fields=["data"])
    authenticator.data = row.data
    return True


def validate_code_once(self, code: str) -> bool:
    """Replacement of ``allauth.mfa.totp.internal.auth.TOTP.validate_code``."""
    from allauth.mfa.utils import decrypt

    step = matching_step(decrypt(self.instance.data["secret"]), code or "")
    if step is None:
        return False
    return accept_step(self.instance, step)


def record_activation_code(request, authenticator) -> None:
    """A TOTP authenticator was just set up with the code in the request: mark that code's
    step used, so the same code cannot also complete a login."""
    from allauth.mfa.utils import decrypt

    code = request.POST.get("code", "") if request is not None else ""
    step = matching_step(decrypt(authenticator.data["secret"]), code)
    if step is not None:
        accept_step(authenticator, step)


def install() -> None:
    from allauth.mfa.totp.internal.auth import TOTP

    if not callable(getattr(TOTP, "validate_code", None)):
        raise ImproperlyConfigured(
            "allauth's TOTP class no longer has validate_code: review "
            "northstar/accounts/totp_replay.py before upgrading django-allauth.")
    TOTP.validate_code = validate_code_once
