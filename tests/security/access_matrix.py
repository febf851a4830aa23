"""The access-control matrix: every URL pattern × persona × method → expected status.

``test_access_matrix.py`` walks the URL resolver and fails when a pattern has no row here, so
a new URL cannot ship without someone deciding who may use it. Each issue adds its rows.

Row.who: "public" (anyone), "nobody" (no policy: 403 for all), "before_mfa" (signed in, MFA
not yet done), "signed_in" (any
MFA-verified user), "superuser", or a set of roles. ``get``/``post`` are the statuses for a
persona the row allows; everyone else gets the policy's refusal (302 to login for anonymous and
deactivated users, 302 to MFA set-up for a password-only session, 403 for other roles).
``overrides`` pin a status for one (persona, method) where the view itself decides (e.g. the
login page sends a signed-in user home).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

PERSONAS = (
    "anonymous",
    "counsellor",
    "coordinator",
    "partner",
    "admin",
    "superuser",
    "password_only",
    "deactivated",
)
SIGNED_IN_PERSONAS = ("counsellor", "coordinator", "partner", "admin", "superuser")


@dataclass(frozen=True)
class Row:
    who: str | frozenset[str]
    get: int = 200
    post: int = 405
    kwargs: Callable[[], dict] | None = None
    overrides: dict[tuple[str, str], int] = field(default_factory=dict)


def _signed_in(method: str, status: int) -> dict[tuple[str, str], int]:
    return {(persona, method): status for persona in SIGNED_IN_PERSONAS}


def _invitation_kwargs() -> dict:
    from django.utils import timezone

    from northstar.accounts.models import Invitation
    from tests.factories import UserFactory, network_organisation

    invitation = Invitation.objects.create(
        email="invitee@staff.example", organisation=network_organisation(),
        roles=["counsellor"], token_hash="x" * 64, invited_by=UserFactory(admin=True),
        expires_at=timezone.now() + timezone.timedelta(hours=1),
    )
    return {"pk": invitation.pk}


def _user_kwargs() -> dict:
    from tests.factories import UserFactory

    return {"pk": UserFactory(counsellor=True).pk}


ADMIN = frozenset({"admin"})

MATRIX: dict[str, Row] = {
    # --- foundation ------------------------------------------------------------------------
    "home": Row("signed_in"),
    "healthz": Row("public"),
    "set_language": Row("public", get=302, post=302),
    "accounts:invitation_open": Row("public", get=404, post=405,
                                    kwargs=lambda: {"token": "no-such-token"}),
    "accounts:invitation_accept": Row("public", get=404, post=404),
    "accounts:user_list": Row(ADMIN),
    "accounts:user_edit": Row(ADMIN, get=200, post=200, kwargs=_user_kwargs),
    "accounts:user_set_active": Row(ADMIN, get=405, post=302, kwargs=_user_kwargs),
    "accounts:invitation_create": Row(ADMIN, get=200, post=200),
    "accounts:invitation_revoke": Row(ADMIN, get=405, post=302, kwargs=_invitation_kwargs),
    "audit:log": Row(ADMIN),
    # --- allauth ---------------------------------------------------------------------------
    "account_login": Row("public", get=200, post=200,
                         overrides={**_signed_in("GET", 302), **_signed_in("POST", 302),
                                    ("password_only", "GET"): 302,
                                    ("password_only", "POST"): 302}),
    "account_logout": Row("before_mfa", get=200, post=302),
    "account_signup": Row("public", get=200, post=200,
                          overrides={**_signed_in("GET", 302), **_signed_in("POST", 302),
                                     ("password_only", "GET"): 302,
                                     ("password_only", "POST"): 302}),
    "account_inactive": Row("public"),
    "account_reset_password": Row("public", get=200, post=200),
    "account_reset_password_done": Row("public"),
    "account_reset_password_from_key": Row(
        "public", get=200, post=200, kwargs=lambda: {"uidb36": "zz", "key": "bad-key"}),
    "account_reset_password_from_key_done": Row("public"),
    "account_change_password": Row("signed_in", get=200, post=200),
    "account_set_password": Row("signed_in", get=302, post=302),
    "account_email": Row("signed_in", get=200, post=302),
    "account_reauthenticate": Row("before_mfa", get=200, post=200),
    "account_email_verification_sent": Row("public"),
    "account_confirm_email": Row("public", get=200, post=404, kwargs=lambda: {"key": "bad"}),
    "account_confirm_login_code": Row("nobody", get=403, post=403),  # login by code: off
    "mfa_index": Row("signed_in"),
    "mfa_authenticate": Row("public", get=302, post=302),
    "mfa_reauthenticate": Row("signed_in", get=302, post=302),
    "mfa_activate_totp": Row("before_mfa", get=200, post=200),
    "mfa_deactivate_totp": Row("signed_in", get=404, post=404),  # test users have no TOTP
    "mfa_view_recovery_codes": Row("before_mfa", get=404, post=405),
    "mfa_generate_recovery_codes": Row("signed_in", get=200, post=200),
    "mfa_download_recovery_codes": Row("before_mfa", get=404, post=404),
}

# The Django admin: every one of its patterns is for superusers only.
ADMIN_SITE_ROW = Row("superuser", get=200, post=200)
