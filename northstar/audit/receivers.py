"""Authentication events from Django and allauth, written to the audit log.

Signals are the only hook these libraries offer for login, logout, failed logins and MFA
changes; everything of our own is audited explicitly in services. No credentials, e-mail
addresses or IP addresses are recorded: the request id links an event to its request.
"""

from allauth.mfa import signals as mfa_signals
from django.contrib.auth import signals as auth_signals
from django.dispatch import receiver

from northstar.audit.services import audit_record


@receiver(auth_signals.user_logged_in, dispatch_uid="audit_login")
def audit_login(sender, request, user, **kwargs):
    audit_record("auth.login", actor=user, target=user)


@receiver(auth_signals.user_logged_out, dispatch_uid="audit_logout")
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record("auth.logout", actor=user, target=user)


@receiver(auth_signals.user_login_failed, dispatch_uid="audit_login_failed")
def audit_login_failed(sender, credentials, request=None, **kwargs):
    """Record the targeted account's id (if it exists), never the address typed."""
    from django.contrib.auth import get_user_model

    email = str(credentials.get("email") or credentials.get("username") or "")
    target_id = (
        get_user_model().objects.filter(email__iexact=email).values_list("pk", flat=True).first()
        if email
        else None
    )
    audit_record("auth.login_failed", object_type="accounts.user" if target_id else "",
                 object_id=target_id or "")


def _mfa_event(action):
    def handler(sender, request, user, authenticator, **kwargs):
        audit_record(action, actor=user, target=user, details={"type": authenticator.type})

    return handler


audit_mfa_added = _mfa_event("mfa.added")
audit_mfa_removed = _mfa_event("mfa.removed")
audit_mfa_reset = _mfa_event("mfa.reset")
mfa_signals.authenticator_added.connect(audit_mfa_added, dispatch_uid="audit_mfa_added")
mfa_signals.authenticator_removed.connect(audit_mfa_removed, dispatch_uid="audit_mfa_removed")
mfa_signals.authenticator_reset.connect(audit_mfa_reset, dispatch_uid="audit_mfa_reset")
