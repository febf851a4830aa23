"""The client's consent to share their information, recorded by staff.

A consent covers one recipient scope: a named partner organisation, or every partner of one
service type. A referral may be sent only under a consent that covers it and is neither
expired nor withdrawn (``intake.consent.consent_covering``).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from northstar.security.fields import EncryptedTextField
from referrals.models.directory import ServiceType


class ConsentPurpose(models.TextChoices):
    REFERRAL = "referral", _("Share with a partner for a referral")
    CONTACT = "contact", _("Let the partner contact them")


class ConsentMethod(models.TextChoices):
    VERBAL = "verbal", _("Verbal (recorded by staff)")
    SIGNED = "signed", _("Signed form")
    ELECTRONIC = "electronic", _("Written, electronically")


class ConsentGiver(models.TextChoices):
    CLIENT = "client", _("The client")
    GUARDIAN = "guardian", _("Parent or legal guardian")
    REPRESENTATIVE = "representative", _("Authorised representative")


class Consent(models.Model):
    case = models.ForeignKey("intake.Case", on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=16, choices=ConsentPurpose.choices)
    partner = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("partner organisation"),
        limit_choices_to={"kind": "partner"})
    service_type = models.CharField(_("or every partner of this service type"), max_length=32,
                                    choices=ServiceType.choices, blank=True)
    method = models.CharField(_("how it was given"), max_length=16,
                              choices=ConsentMethod.choices)
    given_by = models.CharField(_("given by"), max_length=16, choices=ConsentGiver.choices,
                                default=ConsentGiver.CLIENT)
    given_on = models.DateField(_("given on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    notes = EncryptedTextField(_("notes"), max_length=1000, blank=True, default="")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-given_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(partner__isnull=False) & Q(service_type=""))
                | (Q(partner__isnull=True) & ~Q(service_type="")),
                name="consent_has_exactly_one_scope"),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=models.F("given_on")),
                name="consent_expires_after_given"),
        ]

    def __str__(self) -> str:
        return f"Consent #{self.pk}"

    def is_in_force(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return (self.withdrawn_at is None and self.given_on <= on
                and (self.expires_on is None or self.expires_on >= on))

    def covers(self, *, partner_id: int, service_type: str) -> bool:
        return self.partner_id == partner_id if self.partner_id else \
            self.service_type == service_type
