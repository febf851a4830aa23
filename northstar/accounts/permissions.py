"""Access policies: the one place where roles decide who reaches which view.

Every view declares a policy with ``@access(...)``. ``AccessPolicyMiddleware`` enforces it
before the view runs; a view without a policy (ours or a library's not listed below) is
refused with 403, so a new URL is closed until someone decides who may use it. Object-level
scope (which case, which referral) is decided by the ``*_visible_to(user)`` querysets of each
app's permissions module, and out-of-scope objects are 404.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import ResolverMatch

from northstar.accounts.models import Role


@dataclass(frozen=True)
class Policy:
    """Who may reach a view.

    ``anonymous``: no sign-in needed. ``before_mfa``: reachable by a session that has not
    completed MFA (the MFA set-up pages, logout). ``roles``: any of these roles; empty means
    any signed-in, MFA-verified user. ``api``: answer 401/403 in JSON instead of redirecting.
    """

    name: str
    anonymous: bool = False
    before_mfa: bool = False
    roles: frozenset[Role] = field(default_factory=frozenset)
    superuser: bool = False
    api: bool = False

    def allows(self, user) -> bool:
        if self.anonymous:
            return True
        if not user.is_authenticated:
            return False
        if self.superuser:
            return user.is_superuser and user.is_staff
        return not self.roles or any(user.has_role(role) for role in self.roles)


PUBLIC = Policy("public", anonymous=True, before_mfa=True)
MFA_SETUP = Policy("mfa-setup", before_mfa=True)
SIGNED_IN = Policy("signed-in")
SIGNED_IN_API = Policy("signed-in-api", api=True)  # background requests of our own pages
SUPERUSER = Policy("superuser", superuser=True)


def roles(*allowed: Role, api: bool = False) -> Policy:
    names = "+".join(sorted(role.value for role in allowed))
    return Policy(f"roles:{names}", roles=frozenset(allowed), api=api)


ADMIN_ONLY = roles(Role.ADMIN)
CASE_WORKERS = roles(Role.COUNSELLOR, Role.COORDINATOR)


def access(policy: Policy) -> Callable:
    """Declare the access policy of a view function (or of a class-based view)."""

    def decorate(view):
        view.access_policy = policy
        return view

    return decorate


# allauth's views, by URL name. Anything allauth adds in a later release is denied until listed.
# Not listed, so refused to everyone: ``account_email`` (an account's address is the one its
# invitation was sent to; letting a session add another would let whoever holds it have
# password resets sent there) and ``account_confirm_login_code`` (login by code is off).
THIRD_PARTY_POLICIES: dict[str, Policy] = {
    "account_login": PUBLIC,
    "account_logout": Policy("logout", before_mfa=True),
    "account_signup": PUBLIC,  # answers "sign-up is closed"
    "account_inactive": PUBLIC,
    "account_reset_password": PUBLIC,
    "account_reset_password_done": PUBLIC,
    "account_reset_password_from_key": PUBLIC,
    "account_reset_password_from_key_done": PUBLIC,
    "account_change_password": SIGNED_IN,
    "account_set_password": SIGNED_IN,
    "account_reauthenticate": MFA_SETUP,
    "account_email_verification_sent": PUBLIC,
    "account_confirm_email": PUBLIC,
    "mfa_index": SIGNED_IN,
    "mfa_authenticate": PUBLIC,  # the second step of login; allauth checks its own stage
    "mfa_reauthenticate": SIGNED_IN,
    "mfa_activate_totp": MFA_SETUP,
    "mfa_deactivate_totp": SIGNED_IN,
    "mfa_view_recovery_codes": MFA_SETUP,
    "mfa_generate_recovery_codes": SIGNED_IN,
    "mfa_download_recovery_codes": MFA_SETUP,
}


def policy_for(match: ResolverMatch) -> Policy | None:
    """The policy of the resolved view, or None (deny) when nobody declared one."""
    view = match.func
    policy = getattr(view, "access_policy", None)
    if policy is None and hasattr(view, "view_class"):
        policy = getattr(view.view_class, "access_policy", None)
    if policy is not None:
        return policy
    if "admin" in match.app_names:
        return SUPERUSER
    return THIRD_PARTY_POLICIES.get(match.url_name or "")
