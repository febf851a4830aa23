"""Reads for the home page (``/``): one section per role the user holds.

Each section is built by the selectors of the app that owns its data (their scope rules
apply: a counsellor's caseload, a coordinator's queues, a partner's organisation only) and
costs a fixed number of queries, whatever the number of cases or referrals.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from intake.models import CaseStatus, ErasureRequest
from intake.selectors import caseload_counts, caseload_for
from northstar.accounts.models import Role, User
from northstar.accounts.selectors import pending_invitations
from referrals.selectors import (
    CoordinatorHome,
    coordinator_home_for,
    portal_queue_counts,
    portal_queue_for,
)

HOME_LENGTH = 5


@dataclass
class CounsellorHome:
    cases: list
    drafts: list
    counts: dict[str, int]


@dataclass
class PartnerHome:
    new_referrals: list
    counts: dict[str, int]


@dataclass
class AdminHome:
    pending_erasures: list
    counts: dict[str, int]


@dataclass
class Home:
    roles: frozenset[Role]
    counsellor: CounsellorHome | None = None
    coordinator: CoordinatorHome | None = None
    partner: PartnerHome | None = None
    admin: AdminHome | None = None
    now: object = field(default_factory=timezone.now)


def counsellor_home_for(user) -> CounsellorHome:
    """The user's caseload, most urgent first, and the drafts to finish (three queries)."""
    caseload = caseload_for(user)
    return CounsellorHome(
        cases=list(caseload.exclude(status=CaseStatus.DRAFT)[:HOME_LENGTH]),
        drafts=list(caseload.filter(status=CaseStatus.DRAFT)[:HOME_LENGTH]),
        counts=caseload_counts(user))


def partner_home_for(user) -> PartnerHome:
    """New referrals to the user's organisation, oldest first, and the queue counts."""
    return PartnerHome(new_referrals=list(portal_queue_for(user, "new")[:HOME_LENGTH]),
                       counts=portal_queue_counts(user))


def admin_home_for(user) -> AdminHome:
    """Accounts, pending invitations and erasure requests waiting for a decision. An
    administrator sees case numbers here, never case files."""
    counts = User.objects.aggregate(active_users=Count("pk", filter=Q(is_active=True)))
    counts["pending_invitations"] = pending_invitations().filter(
        expires_at__gt=timezone.now()).count()
    pending = ErasureRequest.objects.filter(decided_at__isnull=True).select_related(
        "case", "requested_by").order_by("requested_at", "id")
    counts["pending_erasures"] = pending.count()
    return AdminHome(pending_erasures=list(pending[:HOME_LENGTH]), counts=counts)


def home_for(user) -> Home:
    """Every section the user's roles call for (a person with several roles sees each)."""
    now = timezone.now()
    home = Home(roles=user.roles, now=now)
    if user.is_counsellor:
        home.counsellor = counsellor_home_for(user)
    if user.is_coordinator:
        home.coordinator = coordinator_home_for(user, now=now, length=HOME_LENGTH)
    if user.acts_for_active_partner:
        home.partner = partner_home_for(user)
    if user.is_network_admin:
        home.admin = admin_home_for(user)
    return home
