"""Whether this session has completed multi-factor authentication.

allauth logs a TOTP user in only after the second factor; a user without an authenticator is
logged in after the password alone. We mark the session when a factor is used (login,
reauthentication) or first set up (which proves possession of the new factor), and
``AccessPolicyMiddleware`` sends unmarked sessions to MFA set-up.
"""

SESSION_KEY = "northstar_mfa_user"


def mark_session_mfa_verified(request, user) -> None:
    """The session now counts as fully signed in: give it a new id first (session fixation:
    an id known before this moment, e.g. of a password-only session, must not carry it)."""
    request.session.cycle_key()
    request.session[SESSION_KEY] = str(user.pk)


def session_is_mfa_verified(request) -> bool:
    user = request.user
    return user.is_authenticated and request.session.get(SESSION_KEY) == str(user.pk)


def user_has_mfa(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()
