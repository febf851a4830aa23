"""Clients and cases.

Everything that describes a person is encrypted (``northstar.security.fields``). The few plain
columns are operational and non-identifying: the case number (random), status, urgency level,
who is assigned, dates, which intake steps are done, and the coarse statistical record
(age band, nationality, province, quarter) that survives the retention purge.

The eligibility facts live in one encrypted JSON block per section of
``eligibility/contract/facts.schema.json`` (person, parents, plan, relatives_in_canada, …), so
``eligibility.selectors.facts_for_case`` is a plain translation and a step of the intake edits
exactly one or two blocks.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from northstar.security.fields import EncryptedDateField, EncryptedJSONField, EncryptedTextField


class CaseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    REFERRED = "referred", _("Referred")
    CLOSED = "closed", _("Closed")


class Urgency(models.IntegerChoices):
    """Ordered so that sorting by urgency (descending) puts the most urgent first."""

    ROUTINE = 0, _("Routine")
    SOON = 1, _("Soon")
    URGENT = 2, _("Urgent")
    CRITICAL = 3, _("Critical")


class ContactMethod(models.TextChoices):
    PHONE = "phone", _("Phone call")
    SMS = "sms", _("Text message")
    WHATSAPP = "whatsapp", _("WhatsApp")
    SIGNAL = "signal", _("Signal")
    EMAIL = "email", _("E-mail")
    THIRD_PARTY = "third_party", _("Through a trusted person")
    IN_PERSON = "in_person", _("In person only")


class CloseReason(models.TextChoices):
    REFERRED_AND_DONE = "done", _("Referral completed")
    NOT_PURSUING = "not_pursuing", _("Client not pursuing Canada")
    NO_CONTACT = "no_contact", _("Lost contact")
    INELIGIBLE = "ineligible", _("No realistic pathway")
    DUPLICATE = "duplicate", _("Duplicate case")
    OTHER = "other", _("Other")


class Client(models.Model):
    """A person the network counsels. Identity and contact are encrypted; lookups by name and
    birth date go through ``ClientNameIndex`` (keyed blind indexes)."""

    given_name = EncryptedTextField(_("given name(s)"), max_length=150)
    family_name = EncryptedTextField(_("family name(s)"), max_length=150, blank=True, default="")
    aliases = EncryptedJSONField(_("other names used"), default=list, blank=True)
    date_of_birth = EncryptedDateField(_("date of birth"), null=True, blank=True)
    languages = EncryptedJSONField(_("languages spoken"), default=list, blank=True)
    preferred_language = EncryptedTextField(_("preferred language"), max_length=8, blank=True,
                                            default="")
    contact_method = EncryptedTextField(_("safe contact method"), max_length=20, blank=True,
                                        default="")
    contact_details = EncryptedTextField(_("contact details"), max_length=200, blank=True,
                                         default="")
    safe_to_call = EncryptedJSONField(_("safe to call"), null=True, blank=True)
    safe_to_leave_message = EncryptedJSONField(_("safe to leave a message"), null=True,
                                               blank=True)
    code_word = EncryptedTextField(_("code word"), max_length=100, blank=True, default="")
    contact_notes = EncryptedTextField(_("contact notes"), max_length=1000, blank=True,
                                       default="")
    us_city = EncryptedTextField(_("city in the US"), max_length=100, blank=True, default="")
    us_state = EncryptedTextField(_("US state"), max_length=2, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    purged_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Client #{self.pk}"

    @property
    def display_name(self) -> str:
        return " ".join(part for part in (self.given_name, self.family_name) if part)


class ClientNameIndex(models.Model):
    """Blind indexes of a client's name (and each alias) with the birth date, for exact search
    and duplicate warnings. Rebuilt whenever the name, aliases or birth date change."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="name_indexes")
    value = models.CharField(max_length=32, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "value"], name="unique_client_name_index")
        ]

    def __str__(self) -> str:
        return f"index of client #{self.client_id}"


FACT_BLOCKS = (
    "person", "parents", "plan", "relatives_in_canada", "spouse", "prior_claims",
    "canadian_history", "canadian_documents", "recognized_refugee_elsewhere", "criminality",
    "fear", "economic",
)


class Case(models.Model):
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="cases")
    number = models.CharField(_("case number"), max_length=16, unique=True, editable=False)
    status = models.CharField(_("status"), max_length=12, choices=CaseStatus.choices,
                              default=CaseStatus.DRAFT, db_index=True)
    urgency = models.PositiveSmallIntegerField(_("urgency"), choices=Urgency.choices,
                                               default=Urgency.ROUTINE, db_index=True)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="assigned_cases")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="created_cases")
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    close_reason = models.CharField(max_length=16, choices=CloseReason.choices, blank=True)
    purged_at = models.DateTimeField(null=True, blank=True)

    # Intake progress (names of steps only).
    last_step = models.CharField(max_length=32, blank=True)
    steps_done = models.JSONField(default=list, blank=True)

    # Urgency inputs (encrypted); ``urgency`` above is derived from them.
    detention_risk = EncryptedJSONField(_("detention risk"), null=True, blank=True)
    removal_date = EncryptedDateField(_("removal date"), null=True, blank=True)
    urgency_notes = EncryptedTextField(_("urgency notes"), max_length=1000, blank=True,
                                       default="")
    household = EncryptedJSONField(_("household members travelling together"), default=list,
                                   blank=True)

    # Eligibility facts, one encrypted block per section of the facts schema.
    person = EncryptedJSONField(default=dict, blank=True)
    parents = EncryptedJSONField(null=True, blank=True)
    plan = EncryptedJSONField(default=dict, blank=True)
    relatives_in_canada = EncryptedJSONField(null=True, blank=True)
    spouse = EncryptedJSONField(null=True, blank=True)
    prior_claims = EncryptedJSONField(null=True, blank=True)
    canadian_history = EncryptedJSONField(default=dict, blank=True)
    canadian_documents = EncryptedJSONField(null=True, blank=True)
    recognized_refugee_elsewhere = EncryptedJSONField(null=True, blank=True)
    criminality = EncryptedJSONField(null=True, blank=True)
    fear = EncryptedJSONField(null=True, blank=True)
    economic = EncryptedJSONField(null=True, blank=True)

    # Current screening summary (plain outcome words per pathway; details in eligibility).
    screening_outcomes = models.JSONField(default=dict, blank=True)
    screened_at = models.DateTimeField(null=True, blank=True)
    screening_rules_version = models.CharField(max_length=20, blank=True)

    # The anonymised statistical record (kept after the purge): coarse, non-identifying.
    stat_age_band = models.CharField(max_length=8, blank=True)
    stat_nationality = models.CharField(max_length=2, blank=True)
    stat_province = models.CharField(max_length=2, blank=True)

    class Meta:
        ordering = ["-urgency", "-created_at"]
        indexes = [
            models.Index(fields=["status", "-urgency", "-created_at"], name="case_queue_idx"),
            models.Index(fields=["assigned_to", "status"], name="case_assignee_idx"),
            # The case list's order (intake.selectors.case_list_for): the active cases (its
            # default), and every case not purged (with the closed ones).
            models.Index(fields=["-urgency", "-created_at", "-id"], name="case_list_active_idx",
                         condition=models.Q(purged_at__isnull=True) & ~models.Q(status="closed")),
            models.Index(fields=["-urgency", "-created_at", "-id"], name="case_list_idx",
                         condition=models.Q(purged_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_closed(self) -> bool:
        return self.status == CaseStatus.CLOSED


class CaseEvent(models.Model):
    """The case timeline shown to staff: what happened, by whom, when. ``details`` holds
    non-personal data only (step names, statuses, ids)."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Case created")
        STEP_SAVED = "step_saved", _("Intake step saved")
        OPENED = "opened", _("Intake completed")
        ASSIGNED = "assigned", _("Assigned")
        SCREENED = "screened", _("Screening changed")
        NOTE_ADDED = "note_added", _("Note added")
        DOCUMENT_ADDED = "document_added", _("Document added")
        DOCUMENT_REMOVED = "document_removed", _("Document removed")
        CONSENT_RECORDED = "consent_recorded", _("Consent recorded")
        CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")
        REFERRAL = "referral", _("Referral")
        CLOSED = "closed", _("Case closed")
        REOPENED = "reopened", _("Case reopened")
        ERASURE_REQUESTED = "erasure_requested", _("Erasure requested")
        PURGED = "purged", _("Personal data purged")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["case", "-created_at"], name="case_event_timeline_idx")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"


class Note(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    body = EncryptedTextField(_("note"), max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)
    # The id of the form that sent the note (a hidden field drawn when the page was shown): the
    # same form sent twice (a retry after "try again", a double click) stores one note.
    submission = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "submission"], name="note_submitted_once"),
        ]

    def __str__(self) -> str:
        return f"Note #{self.pk}"


class ErasureRequest(models.Model):
    """A client asked for their data to be erased: a coordinator requests, an admin confirms."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="erasure_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    reason = EncryptedTextField(_("reason"), max_length=1000, blank=True, default="")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    approved = models.BooleanField(null=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=models.Q(decided_at__isnull=True),
                                    name="one_open_erasure_request_per_case")
        ]

    def __str__(self) -> str:
        return f"Erasure request #{self.pk}"
