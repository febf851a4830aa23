"""Writes on accounts: invitations, acceptance, roles, deactivation. All audited."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from northstar.accounts.models import ROLE_FLAGS, Invitation, Organisation, Role, User
from northstar.audit.services import audit_record


class InvitationInvalid(Exception):
    """The token is unknown, used, revoked or expired (one message for all: no oracle)."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def validate_roles_for_organisation(roles: set[Role], organisation: Organisation) -> None:
    if not roles:
        raise ValidationError(_("Choose at least one role."), code="no_role")
    if organisation.is_partner:
        if roles != {Role.PARTNER}:
            raise ValidationError(
                _("A partner organisation's users hold the partner role only."),
                code="partner_exclusive",
            )
    elif Role.PARTNER in roles:
        raise ValidationError(
            _("The partner role belongs to users of a partner organisation."),
            code="partner_needs_partner_org",
        )


@transaction.atomic
def invitation_create(
    *, actor: User, email: str, organisation: Organisation, roles: set[Role]
) -> tuple[Invitation, str]:
    """Create an invitation and e-mail its single-use link. Returns it and the raw token."""
    email = email.strip().lower()
    validate_roles_for_organisation(roles, organisation)
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(_("An account with this e-mail address already exists."),
                              code="exists")
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    invitation = Invitation.objects.create(
        email=email,
        organisation=organisation,
        roles=sorted(role.value for role in roles),
        token_hash=hash_token(token),
        invited_by=actor,
        created_at=now,
        expires_at=now + timedelta(hours=settings.INVITATION_TTL_HOURS),
    )
    audit_record("invitation.created", actor=actor, target=invitation,
                 details={"roles": invitation.roles, "organisation": organisation.pk})
    link = settings.SITE_URL.rstrip("/") + reverse("accounts:invitation_open",
                                                  kwargs={"token": token})
    transaction.on_commit(lambda: send_invitation_email(invitation.email, link, invitation))
    return invitation, token


def send_invitation_email(email: str, link: str, invitation: Invitation) -> None:
    context = {"link": link, "hours": settings.INVITATION_TTL_HOURS,
               "organisation": invitation.organisation.name}
    send_mail(
        subject=_("Your Northstar invitation"),
        message=render_to_string("accounts/email/invitation.txt", context),
        from_email=None,
        recipient_list=[email],
    )


def invitation_for_token(token: str, *, lock: bool = False) -> Invitation:
    invitations = Invitation.objects.select_related("organisation")
    if lock:
        invitations = invitations.select_for_update(of=("self",))
    invitation = invitations.filter(token_hash=hash_token(token)).first()
    if invitation is None or not invitation.is_usable():
        raise InvitationInvalid
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, full_name: str, password: str) -> User:
    """Create the invited account. The token works once; the row lock makes that exact."""
    invitation = invitation_for_token(token, lock=True)
    candidate = User(email=invitation.email, full_name=full_name)
    validate_password(password, user=candidate)
    flags = {ROLE_FLAGS[Role(role)]: True for role in invitation.roles}
    user = User.objects.create_user(
        email=invitation.email, password=password, full_name=full_name,
        organisation=invitation.organisation, **flags,
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    invitation.accepted_at = timezone.now()
    invitation.accepted_user = user
    invitation.save(update_fields=["accepted_at", "accepted_user"])
    audit_record("invitation.accepted", actor=user, target=invitation,
                 details={"user": user.pk})
    return user


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> None:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        return
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record("invitation.revoked", actor=actor, target=invitation)


@transaction.atomic
def user_roles_set(*, actor: User, user: User, roles: set[Role],
                   keep_session_key: str | None = None) -> User:
    """Replace a user's roles. Refuses combinations the organisation does not allow, an admin
    removing their own admin role (an admin cannot lock everyone out by accident), and an admin
    giving themselves a role (a case role opens case files: another admin decides that, and
    the audit log shows who).
    Removing a role ends the user's sessions but ``keep_session_key`` (the admin's own, when
    they change their own roles)."""
    user = User.objects.select_for_update(of=("self",)).select_related("organisation").get(
        pk=user.pk)
    if user.organisation is None:
        raise ValidationError(_("This account has no organisation."), code="no_organisation")
    validate_roles_for_organisation(roles, user.organisation)
    if user.pk == actor.pk and Role.ADMIN not in roles:
        raise ValidationError(_("You cannot remove your own administrator role."),
                              code="self_demotion")
    before = sorted(role.value for role in user.roles)
    if user.pk == actor.pk and {Role(role) for role in roles} - set(user.roles):
        raise ValidationError(_("You cannot give yourself a role: another administrator has "
                                "to. An administrator reads case files only when someone "
                                "else has given them a case role."), code="self_grant")
    for role, flag in ROLE_FLAGS.items():
        setattr(user, flag, role in roles)
    user.save(update_fields=list(ROLE_FLAGS.values()))
    after = sorted(role.value for role in user.roles)
    if before != after:
        audit_record("user.roles_changed", actor=actor, target=user,
                     details={"before": before, "after": after})
    if set(before) - set(after):
        user_sessions_end(user, keep=keep_session_key)  # sign in again, with what is left
    return user


def user_sessions_end(user: User, *, keep: str | None = None) -> int:
    """Delete every session signed in as ``user`` but the one keyed ``keep`` (database
    sessions: SESSION_ENGINE), so that nothing an old session held survives a deactivation or
    a removed role, even if the account is reactivated later. Returns how many ended."""
    from importlib import import_module

    store = import_module(settings.SESSION_ENGINE).SessionStore
    model = store.get_model_class()
    ended = [session.session_key
             for session in model.objects.filter(expire_date__gt=timezone.now()).iterator()
             if session.session_key != keep
             and session.get_decoded().get(SESSION_KEY) == str(user.pk)]
    model.objects.filter(session_key__in=ended).delete()
    if ended:
        audit_record("auth.sessions_ended", target=user, details={"sessions": len(ended)})
    return len(ended)


@transaction.atomic
def user_set_active(*, actor: User, user: User, active: bool) -> User:
    if user.pk == actor.pk and not active:
        raise ValidationError(_("You cannot deactivate your own account."), code="self")
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit_record("user.activated" if active else "user.deactivated", actor=actor,
                     target=user)
    if not active:
        user_sessions_end(user)
    return user


def user_set_language(*, user: User, language: str) -> User:
    """Remember the interface language a signed-in user chose (a staff language only).

    Not audited: a display preference, not a read or change of anything confidential.
    """
    codes = {code for code, _name in settings.STAFF_LANGUAGES}
    if language not in codes:
        raise ValidationError(_("This language is not available for staff screens."))
    if user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
    return user
