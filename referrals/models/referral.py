"""Referrals: a case handed to one partner organisation for one service type.

Stable columns (statistics rely on them): ``case``, ``partner``, ``service_type``, ``status``,
``created_at``, ``sent_at``, ``answered_at``, ``completed_at``, ``closed_at``,
``decline_reason``, ``stat_province``, ``stat_age_band``, ``stat_nationality``.

Status changes go through one guarded service (``referrals.services.referral_transition``)
driven by the transitions table in ``referrals.transitions``; each writes a
``ReferralEvent``. The packet shared with the partner is a snapshot, encrypted.

Notifications go through ``OutboxMessage`` (a transactional outbox, see ``referrals.outbox``):
the row is written in the same transaction as the change it announces; ``delivered_at``,
``message_id`` and ``recipient_count`` are written in the transaction that delivers it.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from northstar.security.fields import EncryptedJSONField, EncryptedTextField
from referrals.models.directory import ServiceType

REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_reference() -> str:
    """A random reference for notifications and the partner portal (never a case number)."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"RF-{chars[:4]}-{chars[4:]}"


class ReferralStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent, waiting for the partner")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired (no answer)")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    HANDED_BACK = "handed_back", _("Handed back")


OPEN_STATUSES = (ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS)
FINAL_STATUSES = (ReferralStatus.DECLINED, ReferralStatus.EXPIRED, ReferralStatus.WITHDRAWN,
                  ReferralStatus.COMPLETED, ReferralStatus.HANDED_BACK)


class DeclineReason(models.TextChoices):
    NO_CAPACITY = "no_capacity", _("No capacity")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible for our service")
    OUT_OF_AREA = "out_of_area", _("Outside our area")
    LANGUAGE = "language", _("We cannot serve this language")
    DUPLICATE = "duplicate", _("Already served / duplicate")
    OTHER = "other", _("Other")


class Referral(models.Model):
    reference = models.CharField(max_length=16, unique=True, default=new_reference,
                                 editable=False)
    case = models.ForeignKey("intake.Case", on_delete=models.PROTECT, related_name="referrals")
    partner = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT,
                                related_name="referrals_received",
                                limit_choices_to={"kind": "partner"})
    service = models.ForeignKey("referrals.PartnerService", on_delete=models.SET_NULL,
                                null=True, blank=True, related_name="referrals")
    service_type = models.CharField(_("service type"), max_length=32,
                                    choices=ServiceType.choices)
    status = models.CharField(_("status"), max_length=16, choices=ReferralStatus.choices,
                              default=ReferralStatus.DRAFT, db_index=True)
    consent = models.ForeignKey("intake.Consent", on_delete=models.PROTECT, null=True,
                                blank=True, related_name="referrals")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(max_length=16, choices=DeclineReason.choices,
                                      blank=True)
    coordinator_note = EncryptedTextField(_("note for the partner"), max_length=2000,
                                          blank=True, default="")
    answer_note = EncryptedTextField(_("partner's note"), max_length=2000, blank=True,
                                     default="")

    # The handoff packet: a snapshot of exactly the fields shared (names listed in clear,
    # values encrypted). Revoked (emptied) when the client withdraws consent.
    packet = EncryptedJSONField(null=True, blank=True)
    packet_fields = models.JSONField(default=list, blank=True)
    packet_revoked_at = models.DateTimeField(null=True, blank=True)

    # Service-level deadlines.
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    # Coarse statistical record, copied from the case when sent.
    stat_province = models.CharField(max_length=2, blank=True)
    stat_age_band = models.CharField(max_length=8, blank=True)
    stat_nationality = models.CharField(max_length=2, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["partner", "status", "-sent_at"], name="referral_queue_idx"),
            # The partner portal's queues in their order (several statuses for "closed"); drafts
            # (never sent, no sent_at) are not the partner's.
            models.Index(fields=["partner", "sent_at", "id"], name="referral_partner_sent_idx",
                         condition=~Q(status="draft")),
            models.Index(fields=["status", "sent_at"], name="referral_sla_idx"),
            models.Index(fields=["case", "-created_at"], name="referral_case_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(sent_at__isnull=False),
                name="referral_sent_has_sent_at"),
        ]

    def __str__(self) -> str:
        return self.reference


class ReferralEventKind(models.TextChoices):
    """What a ``ReferralEvent`` records. ``details`` never holds personal data."""

    CREATED = "created", _("Draft prepared")
    FIELDS_CHANGED = "fields_changed", _("Packet fields changed")
    TRANSITION = "transition", _("Status changed")
    REMINDED = "reminded", _("Reminder sent to the partner")
    ESCALATED = "escalated", _("Escalated to coordinators")
    PACKET_REVOKED = "packet_revoked", _("Packet withdrawn from the partner")


class ReferralEvent(models.Model):
    """One status change (or other step) of a referral, shown on its timeline."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=16, choices=ReferralStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=ReferralStatus.choices, blank=True)
    kind = models.CharField(max_length=24, choices=ReferralEventKind.choices,
                            default=ReferralEventKind.TRANSITION)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.referral_id}: {self.from_status} → {self.to_status}"


class ReferralMessage(models.Model):
    """The thread between the coordinator and the partner (encrypted)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    body = EncryptedTextField(_("message"), max_length=5000)
    is_progress_update = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    # The id of the form that sent it (northstar.common.forms.SubmittedOnceForm).
    submission = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "submission"],
                                    name="referral_message_submitted_once"),
        ]

    def __str__(self) -> str:
        return f"Message #{self.pk}"


class OutboxMessage(models.Model):
    """A notification to deliver, written in the same transaction as the change it announces
    (transactional outbox). ``idempotency_key`` is unique: the same notification can never be
    queued twice, and a delivery is recorded against it exactly once."""

    class Kind(models.TextChoices):
        REFERRAL_SENT = "referral_sent", _("New referral")
        REMINDER = "reminder", _("Reminder")
        ESCALATION = "escalation", _("Escalation")
        EXPIRED = "expired", _("Referral expired")
        WITHDRAWN = "withdrawn", _("Referral withdrawn")
        CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")
        ANSWERED = "answered", _("Partner answered")
        MESSAGE = "message", _("New message")

    kind = models.CharField(max_length=24, choices=Kind.choices)
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="outbox")
    recipient_organisation = models.ForeignKey("accounts.Organisation",
                                               on_delete=models.PROTECT, related_name="+")
    idempotency_key = models.CharField(max_length=100, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    delivered_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_error = models.CharField(max_length=200, blank=True)
    # Written with ``delivered_at``: the e-mail's Message-ID (derived from the idempotency
    # key, so a re-sent copy carries the same one) and how many people it went to.
    message_id = models.CharField(max_length=200, blank=True)
    recipient_count = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=Q(delivered_at__isnull=True),
                         name="outbox_pending_idx"),
        ]

    def __str__(self) -> str:
        return self.idempotency_key
