"""Reads of the stats app. An export job is visible to the admin who requested it only."""

from __future__ import annotations

from django.db.models import QuerySet

from stats.models import ExportJob
from stats.periods import Period
from stats.report import Release, build_release

RECENT_EXPORTS = 20


def export_jobs_of(user) -> QuerySet[ExportJob]:
    return ExportJob.objects.filter(requested_by=user)


def export_job_of(user, pk) -> ExportJob | None:
    return export_jobs_of(user).filter(pk=pk).first()


def recent_export_jobs_of(user) -> list[ExportJob]:
    return list(export_jobs_of(user).order_by("-created_at")[:RECENT_EXPORTS])


def dashboard_release(period: Period) -> Release:
    """The release the dashboard shows: the same tables, built the same way, as an export of
    ``period`` (``stats.report``)."""
    return build_release(period)
