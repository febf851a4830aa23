"""What the referrals app does when the intake withdraws a consent or purges a case.

Registered in ``ReferralsConfig.ready``; both run inside the intake's transaction, so the
withdrawal (or purge) and its effect on referrals commit together.

* Consent withdrawn: every referral sent under that consent loses its packet (wiped, the list
  of field names stays for the record); the open ones (sent, accepted, in progress) are
  withdrawn on the system's authority and the partner is notified ("consent withdrawn").
  Referrals sent under *another* consent that still stands are not touched.
* Case closed: referrals still waiting for the partner's answer (sent) are withdrawn and the
  partner notified; drafts are deleted. Accepted and in-progress referrals stay: the partner is
  working with the client, and the coordinator withdraws them by hand if the work must stop.
* Case purged: open referrals are withdrawn (partner notified), drafts deleted, and every
  referral of the case loses its packet, notes and message thread. The stable statistical
  columns stay.

Lock order: the intake holds the consent (or the case); we lock the case, then the referrals
— the same order as a send.
"""

from __future__ import annotations

from django.utils import timezone

from intake.models import Case, Consent
from northstar.audit.services import audit_record
from referrals.models import (
    OPEN_STATUSES,
    OutboxMessage,
    Referral,
    ReferralEvent,
    ReferralEventKind,
    ReferralStatus,
)
from referrals.services import TransitionInput, apply
from referrals.transitions import SYSTEM, transition_for


def referrals_on_consent_withdrawn(consent: Consent) -> None:
    Case.objects.select_for_update().filter(pk=consent.case_id).first()
    referrals = Referral.objects.select_for_update().filter(consent=consent).exclude(
        status=ReferralStatus.DRAFT).order_by("pk")
    actor = consent.withdrawn_by
    for referral in referrals:
        packet_revoke(referral, actor=actor, cause="consent_withdrawn")
        if referral.status in OPEN_STATUSES:
            system_withdraw(referral, actor=actor, cause="consent_withdrawn",
                            notice=OutboxMessage.Kind.CONSENT_WITHDRAWN)


def referrals_on_case_closed(case: Case, actor) -> None:
    referrals = Referral.objects.select_for_update().filter(
        case=case, status__in=[ReferralStatus.DRAFT, ReferralStatus.SENT]).order_by("pk")
    for referral in referrals:
        if referral.status == ReferralStatus.DRAFT:
            referral.delete()
        else:
            system_withdraw(referral, actor=actor, cause="case_closed",
                            notice=OutboxMessage.Kind.WITHDRAWN)


def referrals_on_case_purged(case: Case) -> None:
    for referral in Referral.objects.select_for_update().filter(case=case).order_by("pk"):
        if referral.status == ReferralStatus.DRAFT:
            referral.delete()
            continue
        if referral.status in OPEN_STATUSES:
            system_withdraw(referral, actor=None, cause="case_purged",
                            notice=OutboxMessage.Kind.WITHDRAWN)
        packet_revoke(referral, actor=None, cause="case_purged")
        referral.coordinator_note = ""
        referral.answer_note = ""
        referral.save(update_fields=["coordinator_note", "answer_note"])
        referral.messages.all().delete()


def packet_revoke(referral: Referral, *, actor, cause: str) -> bool:
    """Wipe the packet snapshot (the list of field names stays, for the record). Returns
    whether there was one. Caller holds the referral's lock."""
    if referral.packet is None and referral.packet_revoked_at is not None:
        return False
    referral.packet = None
    referral.packet_revoked_at = timezone.now()
    referral.save(update_fields=["packet", "packet_revoked_at"])
    ReferralEvent.objects.create(referral=referral, kind=ReferralEventKind.PACKET_REVOKED,
                                 actor=actor, details={"cause": cause})
    audit_record("referral.packet_revoked", actor=actor, target=referral,
                 details={"cause": cause, "partner": referral.partner_id})
    return True


def system_withdraw(referral: Referral, *, actor, cause: str, notice: str) -> None:
    """Withdraw an open referral on the system's authority (consent withdrawn, case purged),
    recording who caused it."""
    rule = transition_for(referral.status, ReferralStatus.WITHDRAWN)
    if rule is None or SYSTEM not in rule.roles:
        return
    referral.case = Case.objects.select_for_update().get(pk=referral.case_id)
    apply(rule, referral, actor, None, TransitionInput(cause=cause, notice=notice))
