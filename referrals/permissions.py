"""Who sees which referral and who may move it. The only place referral scope is decided.

* Coordinators see every referral; counsellors those of the cases they see
  (``intake.permissions.cases_visible_to``).
* Partner users of an active organisation see only its referrals, and only once sent (a draft
  never leaves the network). They see the packet only while the referral is open
  (sent, accepted, in progress) and its consent stands (``can_open_packet``).
* Admins, like everyone without one of these roles, see none.

Views answer 404 outside ``referrals_visible_to`` (existence is not revealed); the table in
``referrals.transitions`` says which role may make which change.
"""

from __future__ import annotations

from django.db.models import QuerySet

from intake.permissions import cases_visible_to
from northstar.accounts.models import Role
from referrals.models import OPEN_STATUSES, Referral, ReferralStatus
from referrals.transitions import COORDINATOR, COUNSELLOR, PARTNER, SYSTEM, transition_for


def is_active_user(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def referrals_visible_to(user) -> QuerySet[Referral]:
    referrals = Referral.objects.all()
    if not is_active_user(user):
        return referrals.none()
    if user.is_coordinator:
        return referrals
    if user.is_counsellor:
        return referrals.filter(case__in=cases_visible_to(user))
    if user.has_role(Role.PARTNER):
        return referrals.filter(partner_id=user.organisation_id).exclude(
            status=ReferralStatus.DRAFT)
    return referrals.none()


def acting_roles(user) -> frozenset[str]:
    """The table roles ``user`` holds (``None`` is the system: SLA task, hooks)."""
    if user is None:
        return frozenset({SYSTEM})
    if not is_active_user(user):
        return frozenset()
    held = {COORDINATOR: user.is_coordinator, COUNSELLOR: user.is_counsellor,
            PARTNER: user.has_role(Role.PARTNER)}
    return frozenset(role for role, has in held.items() if has)


def can_transition(user, referral: Referral, to: str) -> bool:
    """Whether ``user`` (None: the system) may move ``referral`` to ``to`` now: the change is
    in the table, the user holds one of its roles, and the referral is in the user's scope."""
    rule = transition_for(referral.status, to)
    if rule is None or not (acting_roles(user) & rule.roles):
        return False
    if user is None:
        return True
    return referrals_visible_to(user).filter(pk=referral.pk).exists()


def can_prepare_referrals(user) -> bool:
    """Network staff with a case role prepare, send and withdraw referrals (scope is the
    case's: a counsellor only for the cases they see)."""
    return is_active_user(user) and (user.is_coordinator or user.is_counsellor)


def can_open_packet(user, referral: Referral) -> bool:
    """A partner user of the receiving organisation, while the referral is open, the packet
    has not been revoked and the consent it was sent under stands. (Network staff read the
    snapshot from the referral page; that is checked by the case scope.)"""
    return (is_active_user(user) and user.has_role(Role.PARTNER)
            and referral.partner_id == user.organisation_id
            and referral.status in OPEN_STATUSES
            and referral.packet is not None and referral.packet_revoked_at is None
            and (referral.consent is None or referral.consent.withdrawn_at is None))


def can_post_message(user, referral: Referral) -> bool:
    """Both sides may write while the referral is out of draft; the thread stays readable
    after it closes but takes no new messages then."""
    return referral.status in OPEN_STATUSES and is_active_user(user) and (
        (user.has_role(Role.PARTNER) and referral.partner_id == user.organisation_id)
        or can_prepare_referrals(user))
