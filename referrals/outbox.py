"""Notifications through a transactional outbox, delivered exactly once in our records.

Writing: ``outbox_enqueue`` adds an ``OutboxMessage`` in the caller's transaction (so the
state change and its notification commit together, or neither does) and, after commit, asks
Celery to deliver it (``publish``). If the broker is down, publishing fails: the error is
logged (ids only) and swallowed — the user's change is saved, the row waits — and the beat
task ``referrals.sweep_outbox`` re-queues every row not delivered by its ``next_attempt_at``.

Delivering (``outbox_deliver``, run by the task with the row id only) is idempotent:

1. lock the row (``SELECT … FOR UPDATE``); if ``delivered_at`` is set, stop — a duplicate task
   (sweeper re-queue, broker redelivery after a lost worker) does nothing;
2. send one e-mail whose ``Message-ID`` is derived from the idempotency key;
3. set ``delivered_at`` (+ ``message_id``, ``recipient_count``) and write the audit row, in the
   same transaction, then commit (which releases the lock).

So our records say "delivered" exactly once per idempotency key, and concurrent deliveries of
one row are serialised by the lock. What cannot be made exactly-once is SMTP itself: if a
worker dies after the mail server accepted the message (step 2) but before the commit
(step 3), the row is still undelivered, its lock goes with the dead connection, and the
sweeper sends it again — with the *same* Message-ID, so mail clients and the relay drop the
copy. That is: at-least-once on the wire (a duplicate only in that window), exactly-once in our
records and for a receiver that deduplicates by Message-ID. A failed send (the mail server
refuses, or nobody to send to) records the error class and retries with back-off.

E-mails carry the kind of notice, the referral's reference (``RF-…``) and a link to the portal
or the referral page. Never a name, a case number or a fact.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from northstar.accounts.models import Organisation, User
from northstar.audit.services import audit_record
from northstar.languages import STAFF_LANGUAGES
from referrals.models import OutboxMessage, Referral

logger = logging.getLogger(__name__)

MAXIMUM_BACKOFF_SECONDS = 3600
SWEEP_BATCH = 500
NO_RECIPIENTS = "no_recipients"


class Outcome:
    DELIVERED = "delivered"
    ALREADY_DELIVERED = "already_delivered"
    FAILED = "failed"
    MISSING = "missing"


def retry_delay() -> timedelta:
    return timedelta(seconds=settings.REFERRAL_OUTBOX_RETRY_SECONDS)


def outbox_enqueue(*, kind: str, referral: Referral, recipient: Organisation,
                   key: str) -> OutboxMessage:
    """Add a notification in the current transaction; it is published after commit. The
    idempotency key is unique: enqueueing the same key twice returns the first row."""
    existing = OutboxMessage.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    now = timezone.now()
    # The first attempt is the on-commit publish; the sweeper only steps in once that has had
    # time to work, so it does not race it.
    message = OutboxMessage.objects.create(
        kind=kind, referral=referral, recipient_organisation=recipient, idempotency_key=key,
        created_at=now, next_attempt_at=now + retry_delay())
    message_id = message.pk
    transaction.on_commit(lambda: publish(message_id))
    return message


def publish(outbox_id: int) -> bool:
    """Queue the delivery task. Broker errors are logged (no personal data: the id and the
    error class) and swallowed: the row stays in the outbox for the sweeper."""
    from referrals.tasks import deliver_outbox_message

    try:
        deliver_outbox_message.delay(outbox_id)
    except Exception as error:
        logger.warning("outbox %s not queued (%s); the sweeper will retry", outbox_id,
                       type(error).__name__)
        return False
    return True


def outbox_sweep(*, now=None, limit: int = SWEEP_BATCH) -> int:
    """Re-queue undelivered rows whose ``next_attempt_at`` has passed (rows being delivered
    right now are locked and skipped). Returns how many were queued."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(OutboxMessage.objects.select_for_update(skip_locked=True)
                   .filter(delivered_at__isnull=True, next_attempt_at__lte=now)
                   .order_by("next_attempt_at", "id").values_list("pk", flat=True)[:limit])
        OutboxMessage.objects.filter(pk__in=due).update(next_attempt_at=now + retry_delay())
    return sum(1 for pk in due if publish(pk))


def outbox_deliver(outbox_id: int) -> str:
    """Deliver one notification, at most once in our records (see the module docstring)."""
    with transaction.atomic():
        message = (OutboxMessage.objects.select_for_update(of=("self",))
                   .select_related("referral", "recipient_organisation")
                   .filter(pk=outbox_id).first())
        if message is None:
            return Outcome.MISSING
        if message.delivered_at is not None:
            return Outcome.ALREADY_DELIVERED
        now = timezone.now()
        recipients = recipients_for(message)
        try:
            if not recipients:
                raise NoRecipientsError(NO_RECIPIENTS)
            email = compose(message, recipients)
            get_connection(fail_silently=False).send_messages([email])
        except Exception as error:
            record_failure(message, error, now)
            return Outcome.FAILED
        message.delivered_at = now
        message.attempts += 1
        message.last_error = ""
        message.message_id = message_id_for(message.idempotency_key)
        message.recipient_count = len(recipients)
        message.save(update_fields=["delivered_at", "attempts", "last_error", "message_id",
                                    "recipient_count"])
        audit_record("referral.notification_delivered", object_type="referrals.outboxmessage",
                     object_id=message.pk,
                     details={"kind": message.kind, "referral": message.referral_id,
                              "recipients": len(recipients)})
    return Outcome.DELIVERED


class NoRecipientsError(Exception):
    """Nobody active to send to (yet): retried later, shown on the dashboard."""


def record_failure(message: OutboxMessage, error: Exception, now) -> None:
    message.attempts += 1
    message.last_error = (str(error) if isinstance(error, NoRecipientsError)
                          else type(error).__name__)[:200]
    backoff = min(settings.REFERRAL_OUTBOX_RETRY_SECONDS * 2 ** min(message.attempts, 12),
                  MAXIMUM_BACKOFF_SECONDS)
    message.next_attempt_at = now + timedelta(seconds=backoff)
    message.save(update_fields=["attempts", "last_error", "next_attempt_at"])
    logger.warning("outbox %s: delivery failed (%s), attempt %s", message.pk,
                   message.last_error, message.attempts)


def recipients_for(message: OutboxMessage) -> list[str]:
    """A partner organisation: its active partner users, none while the organisation is
    deactivated. The network: the active coordinators and the referral's author (if still
    active)."""
    organisation = message.recipient_organisation
    users = User.objects.filter(is_active=True)
    if organisation.kind == Organisation.Kind.PARTNER:
        users = users.filter(is_partner=True, organisation=organisation,
                             organisation__is_active=True)
    else:
        author = message.referral.created_by_id if message.referral_id else None
        coordinators = users.filter(is_coordinator=True)
        users = coordinators | users.filter(pk=author) if author else coordinators
    return sorted(set(users.values_list("email", flat=True)))


def message_id_for(key: str) -> str:
    """A stable Message-ID: every copy of one notification carries the same one."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "northstar.local"
    return f"<{key}@{domain}>"


def link_for(message: OutboxMessage) -> str:
    reference = message.referral.reference
    name = ("referrals:portal_referral"
            if message.recipient_organisation.kind == Organisation.Kind.PARTNER
            else "referrals:referral_detail")
    return settings.SITE_URL.rstrip("/") + reverse(name, kwargs={"reference": reference})


def notification_languages(recipients: list[str]) -> list[str]:
    """The staff languages, the one most recipients chose first: one message goes to all of
    them (Bcc), and partners in Canada work in English or in French, so it carries both."""
    chosen = Counter(User.objects.filter(email__in=recipients)
                     .values_list("preferred_language", flat=True))
    codes = [code for code, _name in STAFF_LANGUAGES]
    return sorted(codes, key=lambda code: (-chosen[code], codes.index(code)))


def compose(message: OutboxMessage, recipients: list[str]) -> EmailMessage:
    """One message, recipients in Bcc (they do not see each other), no personal data, in
    English and French (the recipients' usual language first)."""
    context = {"kind": message.kind, "reference": message.referral.reference,
               "link": link_for(message),
               "to_partner": message.recipient_organisation.kind == Organisation.Kind.PARTNER}
    labels, bodies = [], []
    for language in notification_languages(recipients):
        with translation.override(language):
            labels.append(str(message.get_kind_display()))
            bodies.append(render_to_string("referrals/email/notification_body.txt",
                                           context).strip())
    subject = render_to_string("referrals/email/notification_subject.txt",
                               {**context, "kind_label": " / ".join(labels)}).strip()
    body = "\n\n— — —\n\n".join(bodies) + "\n"
    sender = settings.DEFAULT_FROM_EMAIL
    return EmailMessage(subject=" ".join(subject.split()), body=body, from_email=sender,
                        to=[parseaddr(sender)[1]], bcc=recipients,
                        headers={"Message-ID": message_id_for(message.idempotency_key),
                                 "Auto-Submitted": "auto-generated",
                                 "X-Northstar-Notification": message.kind})


@dataclass(frozen=True)
class OutboxHealth:
    undelivered: int
    failing: int


def outbox_health() -> OutboxHealth:
    """For the dashboard: notifications not delivered yet, and those that failed at least
    once (one query)."""
    from django.db.models import Count, Q

    counts = OutboxMessage.objects.filter(delivered_at__isnull=True).aggregate(
        undelivered=Count("pk"), failing=Count("pk", filter=Q(attempts__gt=0)))
    return OutboxHealth(counts["undelivered"], counts["failing"])
