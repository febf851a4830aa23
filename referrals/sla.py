"""Service levels of a sent referral (run by the beat task ``referrals.sla_sweep``).

No answer (accept or decline) within ``REFERRAL_REMINDER_HOURS`` → one reminder to the
partner; within ``REFERRAL_ESCALATE_HOURS`` → escalated: flagged on the coordinators'
dashboard and e-mailed to them; after ``REFERRAL_EXPIRE_DAYS`` → expired (the partner and the
coordinators are told; the case needs another handoff). A referral past expiry is expired
without a late reminder.

Each step locks the referral and checks again, so overlapping runs (or a re-run after a
crash) do each thing once; the outbox keys (``<reference>.reminder``, ``.escalation``) make
the notices unique too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from northstar.audit.services import audit_record
from referrals.models import OutboxMessage, Referral, ReferralEvent, ReferralEventKind
from referrals.models import ReferralStatus as S
from referrals.outbox import outbox_enqueue
from referrals.services import ReferralRefused, network_organisation, referral_expire


@dataclass(frozen=True)
class SlaDeadlines:
    remind_before: object
    escalate_before: object
    expire_before: object


def deadlines(now) -> SlaDeadlines:
    return SlaDeadlines(
        remind_before=now - timedelta(hours=settings.REFERRAL_REMINDER_HOURS),
        escalate_before=now - timedelta(hours=settings.REFERRAL_ESCALATE_HOURS),
        expire_before=now - timedelta(days=settings.REFERRAL_EXPIRE_DAYS))


@dataclass
class SlaResult:
    reminded: int = 0
    escalated: int = 0
    expired: int = 0


def referrals_sla_sweep(*, now=None) -> SlaResult:
    now = now or timezone.now()
    due = deadlines(now)
    result = SlaResult()
    waiting = Referral.objects.filter(status=S.SENT)
    for referral in list(waiting.filter(sent_at__lte=due.expire_before).only("pk", "case_id")):
        try:
            referral_expire(referral=referral)
            result.expired += 1
        except ReferralRefused:
            continue  # answered in the meantime
    for pk in list(waiting.filter(sent_at__lte=due.escalate_before, escalated_at__isnull=True)
                   .values_list("pk", flat=True)):
        result.escalated += sla_step(pk, now, "escalated_at", due.escalate_before)
    for pk in list(waiting.filter(sent_at__lte=due.remind_before, reminded_at__isnull=True)
                   .values_list("pk", flat=True)):
        result.reminded += sla_step(pk, now, "reminded_at", due.remind_before)
    return result


STEPS = {
    "reminded_at": (ReferralEventKind.REMINDED, OutboxMessage.Kind.REMINDER, "reminder"),
    "escalated_at": (ReferralEventKind.ESCALATED, OutboxMessage.Kind.ESCALATION, "escalation"),
}


@transaction.atomic
def sla_step(pk: int, now, stamp: str, before) -> int:
    """Remind or escalate one referral if still due. Returns 1 if done, else 0."""
    referral = Referral.objects.select_for_update().filter(
        pk=pk, status=S.SENT, sent_at__lte=before, **{f"{stamp}__isnull": True}).first()
    if referral is None:
        return 0
    event_kind, notice, key = STEPS[stamp]
    setattr(referral, stamp, now)
    referral.save(update_fields=[stamp])
    ReferralEvent.objects.create(referral=referral, kind=event_kind, created_at=now,
                                 details={"hours_waiting": int(
                                     (now - referral.sent_at).total_seconds() // 3600)})
    recipient = referral.partner if stamp == "reminded_at" else network_organisation()
    outbox_enqueue(kind=notice, referral=referral, recipient=recipient,
                   key=f"{referral.reference}.{key}")
    audit_record(f"referral.{key}", target=referral,
                 details={"partner": referral.partner_id, "case": referral.case_id})
    return 1
