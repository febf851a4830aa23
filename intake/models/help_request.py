"""Requests for help sent through the public form (``/help/``), before anyone has a case.

Everything the person typed is encrypted (name, contact method and details, message). The
plain columns are operational and non-identifying: the language the person prefers (to route
the request to someone who speaks it), the status, timestamps, who handled it and the case it
became. Handled requests lose their personal fields after ``HELP_REQUEST_RETENTION_DAYS``
(``intake.help_requests.help_requests_purge_expired``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from northstar.security.fields import EncryptedTextField


class HelpRequestStatus(models.TextChoices):
    NEW = "new", _("New")
    CONVERTED = "converted", _("Intake started")
    DISMISSED = "dismissed", _("Dismissed")


class HelpContactMethod(models.TextChoices):
    """How the person can be reached safely; each maps to an intake ``ContactMethod``."""

    PHONE = "phone", _("Phone call")
    SMS = "sms", _("Text message")
    EMAIL = "email", _("E-mail")
    WHATSAPP = "whatsapp", _("WhatsApp")
    SIGNAL = "signal", _("Signal")
    PARTNER = "third_party", _("Through an organisation or a person I trust")


class HelpLanguage(models.TextChoices):
    """The client-facing languages. Labels are autonyms: a person must find their own."""

    ENGLISH = "en", "English"
    SPANISH = "es", "Español"
    FRENCH = "fr", "Français"
    HAITIAN_CREOLE = "ht", "Kreyòl ayisyen"


class DismissReason(models.TextChoices):
    SPAM = "spam", _("Spam or not a real request")
    DUPLICATE = "duplicate", _("Already in contact with us")
    OUT_OF_SCOPE = "out_of_scope", _("Not something the network helps with")
    UNREACHABLE = "unreachable", _("Could not reach the person")
    WITHDRAWN = "withdrawn", _("The person no longer wants help")
    OTHER = "other", _("Other")


class HelpRequest(models.Model):
    name = EncryptedTextField(_("name or alias"), max_length=100)
    contact_method = EncryptedTextField(_("safe contact method"), max_length=20)
    contact_details = EncryptedTextField(_("contact details"), max_length=200, blank=True,
                                         default="")
    message = EncryptedTextField(_("message"), max_length=1000)
    preferred_language = models.CharField(_("preferred language"), max_length=2,
                                          choices=HelpLanguage.choices)
    consent_given_at = models.DateTimeField(_("consent given at"))
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=HelpRequestStatus.choices,
                              default=HelpRequestStatus.NEW, db_index=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="handled_help_requests")
    handled_at = models.DateTimeField(null=True, blank=True, db_index=True)
    dismiss_reason = models.CharField(_("reason"), max_length=16, choices=DismissReason.choices,
                                      blank=True)
    case = models.OneToOneField("intake.Case", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="help_request")
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "-created_at"], name="help_request_queue_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="new", handled_at__isnull=True)
                | (~models.Q(status="new") & models.Q(handled_at__isnull=False)),
                name="help_request_handled_when_not_new",
            ),
        ]

    def __str__(self) -> str:
        return f"Help request #{self.pk}"

    @property
    def contact_method_label(self) -> str:
        if self.contact_method in HelpContactMethod.values:
            return HelpContactMethod(self.contact_method).label
        return ""
