"""allauth adapters.

* Sign-up is closed: accounts come from invitations.
* Setting up the first second factor right after signing in needs no second password entry
  (the password was just typed); any later MFA change still asks to reauthenticate.
* A deactivated account's right password is answered like a wrong one (allauth would send it
  to an "account inactive" page, telling whoever typed it that the account exists and that the
  password is right), and it counts against the failed-login limit like a wrong one.
* The session key changes as soon as the password is accepted (allauth changes it only at the
  end of the login, after the second factor): a session id planted before the login never
  carries the half-finished login (session fixation).
* MFA secrets are encrypted with our keyring instead of allauth's default (derived from
  SECRET_KEY), so they rotate with the other keys and a leaked SECRET_KEY does not expose them.
"""

import contextlib
import time

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.core.exceptions import ValidationError

from northstar.security.crypto import decrypt_text, encrypt_text

MFA_ASSOCIATED_DATA = "mfa.authenticator.secret"


def is_first_factor_setup_after_login(request) -> bool:
    from northstar.accounts.mfa import user_has_mfa
    from northstar.accounts.receivers import LOGIN_AT_KEY

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user_has_mfa(user):
        return False
    logged_in_at = request.session.get(LOGIN_AT_KEY, 0)
    return time.time() - logged_in_at < settings.ACCOUNT_REAUTHENTICATION_TIMEOUT


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        request = self.request or context.request
        if app == "allauth.mfa" and request is not None \
                and is_first_factor_setup_after_login(request):
            return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def authenticate(self, request, **credentials):
        user = super().authenticate(request, **credentials)
        if user is not None and not user.is_active:
            # allauth rolled back the failed-login count on "success": count it again.
            # Over the limit now: the next attempt says so, as after a wrong password.
            with contextlib.suppress(ValidationError):
                self.pre_authenticate(request, **credentials)
            return None
        return user

    def pre_login(self, request, user, **kwargs):
        response = super().pre_login(request, user, **kwargs)
        if response is None:
            request.session.cycle_key()
        return response


class MFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return encrypt_text(text, MFA_ASSOCIATED_DATA)

    def decrypt(self, encrypted_text: str) -> str:
        return decrypt_text(encrypted_text, MFA_ASSOCIATED_DATA)
