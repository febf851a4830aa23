"""Models of the stats app: export jobs.

An export is built in the background (``stats.tasks.build_export``) and stored encrypted under
a random name in the default storage (``exports/<32 hex>``); its download link works for its
owner only, until ``expires_at``. ``parameters`` holds what was asked (period, format,
language) and the k used: nothing personal.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExportFormat(models.TextChoices):
    CSV = "csv", _("CSV")
    XLSX = "xlsx", _("Excel (XLSX)")
    JSON = "json", _("JSON")


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


class ExportJob(models.Model):
    # A random id: the job's pages and its download link cannot be guessed or enumerated.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    format = models.CharField(_("format"), max_length=8, choices=ExportFormat.choices)
    first_quarter = models.CharField(_("from quarter"), max_length=7)
    last_quarter = models.CharField(_("to quarter"), max_length=7)
    parameters = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=12, choices=ExportStatus.choices,
                              default=ExportStatus.QUEUED, db_index=True)
    progress = models.PositiveSmallIntegerField(default=0)
    storage_name = models.CharField(max_length=64, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100),
                                   name="export_progress_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"Export {self.pk}"

    @property
    def is_pending(self) -> bool:
        return self.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)

    @property
    def is_downloadable(self) -> bool:
        return (self.status == ExportStatus.READY and self.expires_at is not None
                and timezone.now() < self.expires_at)
