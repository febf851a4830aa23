"""Mark a session MFA-verified when allauth reports a factor used or newly set up.

allauth exposes these moments only as signals; see ``northstar.accounts.mfa``.
"""

from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from django.contrib.auth import signals as auth_signals
from django.dispatch import receiver
from django.utils import timezone

from northstar.accounts.mfa import mark_session_mfa_verified
from northstar.accounts.totp_replay import record_activation_code

LOGIN_AT_KEY = "northstar_login_at"
SECOND_FACTORS = {Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN,
                  Authenticator.Type.RECOVERY_CODES}


@receiver(mfa_signals.authenticator_used, dispatch_uid="mfa_used_marks_session")
def mfa_used(sender, request, user, authenticator, **kwargs):
    if authenticator.type in SECOND_FACTORS:
        mark_session_mfa_verified(request, user)


@receiver(mfa_signals.authenticator_added, dispatch_uid="mfa_added_marks_session")
def mfa_added(sender, request, user, authenticator, **kwargs):
    if authenticator.type in {Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN}:
        mark_session_mfa_verified(request, user)
    if authenticator.type == Authenticator.Type.TOTP:
        record_activation_code(request, authenticator)


@receiver(auth_signals.user_logged_in, dispatch_uid="login_starts_absolute_clock")
def login_started(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[LOGIN_AT_KEY] = timezone.now().timestamp()
