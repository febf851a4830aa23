"""Reads on referrals. Every one starts from the user's scope (``referrals_visible_to``) or,
for a case, from the case the view already fetched in scope."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from intake.models import Case, CaseStatus
from intake.permissions import cases_visible_to
from referrals import packets
from referrals.directory.selectors import has_valid_agreement
from referrals.directory.suggestions import (
    AcceptanceHistory,
    PartnerSuggestion,
    partner_suggestions_for,
)
from referrals.models import (
    FINAL_STATUSES,
    Referral,
    ReferralEvent,
    ReferralMessage,
)
from referrals.models import ReferralStatus as S
from referrals.outbox import OutboxHealth, outbox_health
from referrals.permissions import can_transition, referrals_visible_to
from referrals.services import HANDED_OFF, contact_consented, covering_consent, packet_for
from referrals.transitions import targets_from

RE_ROUTE = (S.DECLINED, S.EXPIRED, S.HANDED_BACK)
DASHBOARD_LENGTH = 50

PORTAL_QUEUES = {
    "new": (S.SENT,),
    "accepted": (S.ACCEPTED,),
    "in_progress": (S.IN_PROGRESS,),
    "closed": FINAL_STATUSES,
}


def referral_for(user, reference: str) -> Referral | None:
    """One referral in the user's scope (None when hidden or absent alike); the case must
    still hold its data (a purged case's referrals are statistics only)."""
    return (referrals_visible_to(user)
            .select_related("case", "case__client", "partner", "service", "consent",
                            "created_by")
            .filter(reference=reference, case__purged_at__isnull=True).first())


def acceptance_history(organisation_ids: Sequence[int]) -> dict[int, AcceptanceHistory]:
    """Per partner organisation: of the referrals it answered (``answered_at`` is stamped by
    an accept or a decline), how many it accepted — whatever happened after (completed,
    handed back, withdrawn). Unanswered ones (waiting, expired, withdrawn before an answer)
    do not count. One query."""
    answered = Q(answered_at__isnull=False)
    rows = (Referral.objects.filter(partner_id__in=list(organisation_ids))
            .values("partner_id")
            .annotate(accepted=Count("pk", filter=answered & ~Q(status=S.DECLINED)),
                      answered=Count("pk", filter=answered)))
    return {row["partner_id"]: AcceptanceHistory(row["accepted"], row["answered"])
            for row in rows}


def client_age(case: Case, on: datetime.date | None = None) -> int | None:
    on = on or timezone.localdate()
    birth = case.client.date_of_birth
    if birth is None:
        return None
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def client_languages(case: Case) -> list[str]:
    """The client's languages, the preferred one first."""
    codes = [code for code in (case.client.languages or []) if code]
    preferred = case.client.preferred_language
    if preferred:
        codes = [preferred, *[code for code in codes if code != preferred]]
    return codes


def default_province(case: Case) -> str:
    return (case.economic or {}).get("intended_province") or case.stat_province or ""


@dataclass(frozen=True)
class SuggestionRow:
    suggestion: PartnerSuggestion
    consent_covers: bool
    existing: Referral | None


def suggestions_for_case(case: Case, *, needs: Sequence[str],
                         province: str = "") -> list[SuggestionRow]:
    """Ranked partner services for the case's needs (language, age, province from the case;
    acceptance history from past referrals), with whether a consent covers each partner and
    any unfinished referral of this case to it."""
    suggestions = partner_suggestions_for(
        needs=needs, province=province or None, languages=client_languages(case),
        age=client_age(case), acceptance_history=acceptance_history)
    from intake.consent import consents_in_force

    consents = list(consents_in_force(case).filter(purpose="referral"))
    unfinished = {(r.partner_id, r.service_type): r for r in case.referrals.filter(
        status__in=(S.DRAFT, S.SENT, S.ACCEPTED, S.IN_PROGRESS))}
    return [SuggestionRow(
        suggestion=item,
        consent_covers=any(c.covers(partner_id=item.service.organisation_id,
                                    service_type=item.service.service_type)
                           for c in consents),
        existing=unfinished.get((item.service.organisation_id, item.service.service_type)))
        for item in suggestions]


def case_referrals_for(user, case: Case) -> list[Referral]:
    """The referrals of a case (for its page), newest first."""
    return list(referrals_visible_to(user).filter(case=case)
                .select_related("partner", "service").order_by("-created_at", "-id"))


def case_referrals_panel(user, case: Case) -> dict:
    """Context for ``templates/referrals/partials/_case_referrals.html`` on the case page."""
    return {"case_referrals": case_referrals_for(user, case)}


# --- the referral page (network side) -------------------------------------------------------

@dataclass(frozen=True)
class SendReadiness:
    """Why a draft can or cannot be sent now (shown before the send button)."""

    consent: object
    agreement_in_force: bool
    case_referable: bool
    contact_consented: bool

    @property
    def ready(self) -> bool:
        return self.consent is not None and self.agreement_in_force and self.case_referable


def send_readiness(referral: Referral) -> SendReadiness:
    case = referral.case
    return SendReadiness(
        consent=covering_consent(referral),
        agreement_in_force=has_valid_agreement(referral.partner),
        case_referable=case.status in (CaseStatus.OPEN, CaseStatus.REFERRED)
        and case.purged_at is None,
        contact_consented=contact_consented(referral))


def draft_preview(referral: Referral) -> dict:
    """The packet a send would share now, with its fingerprint."""
    packet = packet_for(referral)
    return {"packet": packet, "rows": packets.packet_rows(packet),
            "withheld": packets.withheld_labels(packet),
            "fingerprint": packets.packet_fingerprint(packet)}


def referral_timeline(referral: Referral) -> list[ReferralEvent]:
    return list(referral.events.select_related("actor").order_by("created_at", "id"))


def referral_thread(referral: Referral) -> list[ReferralMessage]:
    return list(referral.messages.select_related("author", "author__organisation"))


def allowed_targets(user, referral: Referral) -> set[str]:
    """The statuses ``user`` may move the referral to now (for showing buttons)."""
    return {target for target in targets_from(referral.status)
            if can_transition(user, referral, target)}


# --- the coordinators' dashboard ------------------------------------------------------------

@dataclass
class Dashboard:
    needing_handoff: list[Case]
    drafts: list[Referral]
    waiting: list[Referral]
    overdue: list[Referral]
    to_reroute: list[Referral]
    outbox: OutboxHealth
    escalate_hours: int


def network_referrals_for(user) -> QuerySet[Referral]:
    """The user's referrals of cases that still hold their data, with what the dashboard
    tables show."""
    return referrals_visible_to(user).filter(case__purged_at__isnull=True).select_related(
        "case", "case__client", "partner", "service")


def overdue_condition(now) -> Q:
    """A sent referral is overdue once escalated, or past the escalation deadline."""
    overdue_before = now - timedelta(hours=settings.REFERRAL_ESCALATE_HOURS)
    return Q(escalated_at__isnull=False) | Q(sent_at__lte=overdue_before)


def cases_needing_handoff(user) -> QuerySet[Case]:
    """Open (or referred) cases with no referral handed off to a partner: most urgent first,
    then the longest open."""
    handed_off = Referral.objects.filter(case=OuterRef("pk"), status__in=HANDED_OFF)
    return (cases_visible_to(user).filter(status__in=(CaseStatus.OPEN, CaseStatus.REFERRED),
                                          purged_at__isnull=True)
            .exclude(Exists(handed_off)).select_related("client", "assigned_to")
            .order_by("-urgency", "opened_at", "id"))


def dashboard_for(user, *, now=None) -> Dashboard:
    """Cases that need a handoff, drafts, referrals waiting on the partner (oldest first),
    overdue ones (escalated, or past the escalation deadline) and those to re-route (declined,
    expired or handed back, with nothing newer for that case and service). A
    constant number of queries."""
    now = now or timezone.now()
    scope = network_referrals_for(user)
    is_overdue = overdue_condition(now)
    sent = scope.filter(status=S.SENT).order_by("sent_at", "id")
    newer = Referral.objects.filter(case=OuterRef("case"), service_type=OuterRef("service_type"),
                                    created_at__gt=OuterRef("created_at"))
    to_reroute = (scope.filter(status__in=RE_ROUTE).exclude(case__status=CaseStatus.CLOSED)
                  .exclude(Exists(newer)).order_by("-closed_at", "-id"))
    needing = cases_needing_handoff(user)
    return Dashboard(
        needing_handoff=list(needing[:DASHBOARD_LENGTH]),
        drafts=list(scope.filter(status=S.DRAFT).order_by("-created_at")[:DASHBOARD_LENGTH]),
        waiting=list(sent.exclude(is_overdue)[:DASHBOARD_LENGTH]),
        overdue=list(sent.filter(is_overdue)[:DASHBOARD_LENGTH]),
        to_reroute=list(to_reroute[:DASHBOARD_LENGTH]),
        outbox=outbox_health(),
        escalate_hours=settings.REFERRAL_ESCALATE_HOURS)


@dataclass
class CoordinatorHome:
    """The coordinator's part of the home page: the first few of each queue, and counts."""

    needing_handoff: list[Case]
    waiting: list[Referral]
    overdue: list[Referral]
    counts: dict[str, int]


def coordinator_home_for(user, *, now=None, length: int = 5) -> CoordinatorHome:
    """Cases needing a handoff, referrals waiting on the partner (oldest first) and overdue
    ones, ``length`` of each, with their full counts. Five queries, whatever the numbers."""
    now = now or timezone.now()
    is_overdue = overdue_condition(now)
    sent = network_referrals_for(user).filter(status=S.SENT).order_by("sent_at", "id")
    needing = cases_needing_handoff(user)
    counts = sent.order_by().aggregate(waiting=Count("pk", filter=~is_overdue),
                                       overdue=Count("pk", filter=is_overdue))
    counts["needing_handoff"] = needing.count()
    return CoordinatorHome(
        needing_handoff=list(needing[:length]),
        waiting=list(sent.exclude(is_overdue)[:length]),
        overdue=list(sent.filter(is_overdue)[:length]),
        counts=counts)


# --- the partner portal ---------------------------------------------------------------------

# What a queue row shows (referrals/portal/queue.html, the partner home): the encrypted packet
# and notes are neither read nor decrypted.
PORTAL_QUEUE_COLUMNS = ("reference", "service_type", "status", "sent_at", "service__name")


def portal_queue_for(user, queue: str) -> QuerySet[Referral]:
    """One queue of the user's organisation: reference, service and dates only (no case, no
    packet is read), so it costs the same whatever its length."""
    statuses = PORTAL_QUEUES.get(queue, PORTAL_QUEUES["new"])
    order = ("sent_at", "id") if queue == "new" else ("-sent_at", "-id")
    # Every referral a partner sees was sent (a CHECK constraint): saying so lets PostgreSQL
    # skip the drafts' NULL sent_at, which sort first in the newest-first queues.
    return (referrals_visible_to(user).filter(status__in=statuses, sent_at__isnull=False)
            .select_related("service").only(*PORTAL_QUEUE_COLUMNS).order_by(*order))


def portal_queue_counts(user) -> dict[str, int]:
    """How many referrals each queue holds (one query, grouped by status: PostgreSQL counts
    them from the index alone, without reading the rows)."""
    by_status = dict(referrals_visible_to(user).order_by().values_list("status")
                     .annotate(total=Count("status")))
    return {name: sum(by_status.get(status, 0) for status in statuses)
            for name, statuses in PORTAL_QUEUES.items()}
