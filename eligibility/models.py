"""Stored screenings. The engine itself (``eligibility.engine``) is pure and stores nothing."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from northstar.security.fields import EncryptedJSONField


class Assessment(models.Model):
    """One screening of a case: the rules version, a keyed fingerprint of the facts, the
    outcome per pathway (plain words, for filters and statistics) and the full assessment
    (encrypted: its reasons restate the client's facts)."""

    class Trigger(models.TextChoices):
        INTAKE = "intake", _("intake")
        RULES_CHANGE = "rules_change", _("rules change")
        MANUAL = "manual", _("manual")

    case = models.ForeignKey("intake.Case", on_delete=models.CASCADE,
                             related_name="assessments")
    created_at = models.DateTimeField(default=timezone.now)
    trigger = models.CharField(max_length=16, choices=Trigger.choices)
    rules_version = models.CharField(max_length=20)
    screening_date = models.DateField()
    facts_fingerprint = models.CharField(max_length=64)
    outcomes = models.JSONField(default=dict)
    changed = models.JSONField(default=dict, blank=True)
    result = EncryptedJSONField()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["case", "-created_at"], name="assessment_case_idx")]

    def __str__(self) -> str:
        return f"Assessment #{self.pk} of case {self.case_id}"


class RescreenRun(models.Model):
    """A re-screening of every open case after the rules changed."""

    rules_version = models.CharField(max_length=20, unique=True)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    cases_total = models.PositiveIntegerField(default=0)
    chunks_total = models.PositiveIntegerField(default=0)
    chunks_finished = models.JSONField(default=list, blank=True)  # first case id of each
    cases_changed = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"Re-screen for rules {self.rules_version}"
