"""All rows of the access-control matrix (see ``matrix_base`` for the format).

Each app keeps its rows in ``tests/security/matrix_<app>.py`` as ``ROWS``; this module merges
them. ``test_access_matrix.py`` fails when a URL pattern has no row.
"""

from __future__ import annotations

from tests.security import (
    matrix_eligibility,
    matrix_help,
    matrix_intake,
    matrix_intake_documents,
    matrix_referrals,
    matrix_referrals_core,
    matrix_shell,
    matrix_stats,
)
from tests.security.matrix_base import OTHER_METHODS, PERSONAS, Row, signed_in_overrides

__all__ = ["ADMIN_SITE_ROW", "MATRIX", "PERSONAS", "Row"]


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
# allauth sends anyone already signed in (even before MFA) away from login and sign-up pages.
SIGNED_IN_SENT_AWAY = {
    **signed_in_overrides("GET", 302), **signed_in_overrides("POST", 302),
    ("password_only", "GET"): 302, ("password_only", "POST"): 302,
}

MATRIX: dict[str, Row] = {
    # --- foundation ------------------------------------------------------------------------
    "home": Row("signed_in"),
    "healthz": Row("public"),
    # Django's set_language changes nothing but for a POST and redirects whatever the method.
    "set_language": Row("public", get=302, post=302, overrides={
        (persona, method): 302 for persona in PERSONAS for method in OTHER_METHODS}),
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
    "account_login": Row("public", get=200, post=200, overrides=SIGNED_IN_SENT_AWAY),
    "account_logout": Row("before_mfa", get=200, post=302),
    "account_signup": Row("public", get=200, post=200, overrides=SIGNED_IN_SENT_AWAY),
    "account_inactive": Row("public"),
    "account_reset_password": Row("public", get=200, post=200),
    "account_reset_password_done": Row("public"),
    "account_reset_password_from_key": Row(
        "public", get=200, post=200, kwargs=lambda: {"uidb36": "zz", "key": "bad-key"}),
    "account_reset_password_from_key_done": Row("public"),
    "account_change_password": Row("signed_in", get=200, post=200),
    "account_set_password": Row("signed_in", get=302, post=302),
    # Nobody manages e-mail addresses: an account keeps its invitation's address.
    "account_email": Row("nobody", get=403, post=403),
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

for module in (matrix_intake, matrix_intake_documents, matrix_eligibility, matrix_referrals,
               matrix_referrals_core, matrix_stats, matrix_help, matrix_shell):
    overlap = set(MATRIX) & set(module.ROWS)
    assert not overlap, f"rows defined twice: {overlap}"
    MATRIX.update(module.ROWS)

# The Django admin: every one of its patterns is for superusers only.
ADMIN_SITE_ROW = Row("superuser", get=200, post=200)
