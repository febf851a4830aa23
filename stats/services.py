"""Writes of the stats app: request, build, open (download) and purge export files.

Every export is audited twice: when it is requested (with its parameters) and each time its
file is downloaded. The file is encrypted with the field-encryption keyring (AES-256-GCM; the
associated data binds it to its job, storage name and format) and stored under a random name,
so the storage never holds a readable export and a file cannot be served for another job.
The link expires ``STATS_EXPORT_LINK_MINUTES`` after the file is ready; expired files are
deleted after each build and by the ``stats.purge_expired_exports`` task.
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta
from typing import NamedTuple

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation

from northstar.audit.services import audit_record
from northstar.security.crypto import DecryptionError, decrypt_bytes, encrypt_bytes
from stats import exports
from stats.models import ExportJob, ExportStatus
from stats.periods import Period
from stats.report import build_release, min_cell

logger = logging.getLogger(__name__)
STORAGE_FOLDER = "exports"


class ExportUnavailable(Exception):
    """The export cannot be downloaded: not ready, failed, expired, or its file is gone."""


class ExportFile(NamedTuple):
    content: bytes
    content_type: str
    download_name: str


def link_lifetime() -> timedelta:
    return timedelta(minutes=int(settings.STATS_EXPORT_LINK_MINUTES))


def export_parameters(job: ExportJob) -> dict:
    return {"format": job.format, "from": job.first_quarter, "to": job.last_quarter,
            **{name: job.parameters.get(name) for name in ("min_cell", "language")}}


@transaction.atomic
def export_request(*, actor, period: Period, export_format: str, language: str) -> ExportJob:
    """Queue the export of ``period`` in ``export_format``; audited with its parameters. The
    file is built by a Celery task after commit (in-process without a broker)."""
    from stats.tasks import build_export

    if export_format not in exports.FORMATS:
        raise ValueError(f"unknown export format {export_format!r}")
    job = ExportJob.objects.create(
        requested_by=actor, format=export_format, first_quarter=period.first,
        last_quarter=period.last, parameters={"language": language, "min_cell": min_cell()})
    audit_record("stats.export_requested", actor=actor, target=job,
                 details=export_parameters(job))
    job_id = str(job.pk)
    transaction.on_commit(lambda: build_export.delay(job_id))
    return job


def export_build(*, job_id: str) -> ExportJob | None:
    """Build and store the file of a queued job. Idempotent: a job that is already ready,
    failed or expired is left alone; a job left running by a lost worker is built again."""
    job = export_start(job_id)
    if job is None:
        return ExportJob.objects.filter(pk=job_id).first()
    try:
        with translation.override(job.parameters.get("language") or settings.LANGUAGE_CODE):
            release = build_release(Period(job.first_quarter, job.last_quarter),
                                    progress=lambda percent: export_progress(job, percent))
            content = exports.render(release, job.format)
        export_progress(job, 95)
        storage_name = f"{STORAGE_FOLDER}/{secrets.token_hex(16)}"
        sealed = encrypt_bytes(content, associated_data(job, storage_name)).encode("ascii")
        if default_storage.save(storage_name, ContentFile(sealed)) != storage_name:
            raise FileExistsError("storage name already taken")
    except Exception:
        logger.exception("export %s failed", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.FAILED,
                                                   finished_at=timezone.now())
        return ExportJob.objects.get(pk=job.pk)
    export_finish(job, storage_name, size=len(content))
    exports_purge_expired()
    return ExportJob.objects.get(pk=job.pk)


@transaction.atomic
def export_start(job_id: str) -> ExportJob | None:
    job = ExportJob.objects.select_for_update().filter(pk=job_id).first()
    if job is None or not job.is_pending:
        return None
    job.status = ExportStatus.RUNNING
    job.started_at = timezone.now()
    job.progress = 1
    job.save(update_fields=["status", "started_at", "progress"])
    return job


def export_progress(job: ExportJob, percent: int) -> None:
    """Visible at once to the progress page (the task runs outside any transaction)."""
    ExportJob.objects.filter(pk=job.pk, status=ExportStatus.RUNNING).update(
        progress=max(1, min(99, percent)))


@transaction.atomic
def export_finish(job: ExportJob, storage_name: str, *, size: int) -> None:
    finished = timezone.now()
    updated = ExportJob.objects.filter(pk=job.pk, status=ExportStatus.RUNNING).update(
        status=ExportStatus.READY, progress=100, storage_name=storage_name, size=size,
        finished_at=finished, expires_at=finished + link_lifetime())
    if not updated:  # built twice (a redelivered task): keep the first file only
        transaction.on_commit(lambda: file_delete(storage_name))


def associated_data(job: ExportJob, storage_name: str) -> str:
    return f"stats.export|{job.pk}|{storage_name}|{job.format}"


@transaction.atomic
def export_open(*, actor, job: ExportJob) -> ExportFile:
    """The decrypted file of ``actor``'s own ready export; the download is audited.

    Raises ``ExportUnavailable`` when it is someone else's, not ready, expired or missing.
    """
    job = ExportJob.objects.get(pk=job.pk)
    if job.requested_by_id != actor.pk or not job.is_downloadable:
        raise ExportUnavailable
    try:
        with default_storage.open(job.storage_name, "rb") as stored:
            content = decrypt_bytes(stored.read().decode("ascii"),
                                    associated_data(job, job.storage_name))
    except (OSError, UnicodeDecodeError, DecryptionError) as error:
        logger.warning("export %s: stored file missing or does not decrypt", job.pk)
        raise ExportUnavailable from error
    audit_record("stats.export_downloaded", actor=actor, target=job,
                 details=export_parameters(job))
    export_format = exports.FORMATS[job.format]
    name = f"northstar-statistics-{job.first_quarter}-{job.last_quarter}.{export_format.extension}"
    return ExportFile(content, export_format.content_type, name)


def exports_purge_expired() -> int:
    """Delete the files of expired exports and mark them expired. Returns how many."""
    purged = 0
    expired = ExportJob.objects.filter(status=ExportStatus.READY, expires_at__lte=timezone.now())
    for job_id, storage_name in expired.values_list("pk", "storage_name"):
        with transaction.atomic():
            changed = ExportJob.objects.filter(pk=job_id, status=ExportStatus.READY).update(
                status=ExportStatus.EXPIRED, storage_name="")
            if changed:
                transaction.on_commit(lambda name=storage_name: file_delete(name))
                purged += 1
    return purged


def file_delete(storage_name: str) -> None:
    """Delete a stored export; a failure is logged (storage name only), never raised."""
    if not storage_name:
        return
    try:
        default_storage.delete(storage_name)
    except Exception:
        logger.exception("could not delete stored export %s", storage_name)
