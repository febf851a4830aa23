"""Celery adapters for the statistics (ids only, idempotent)."""

from celery import shared_task

from stats import services


@shared_task(name="stats.build_export")
def build_export(job_id: str) -> str | None:
    """Build the file of one export job; the job row carries every parameter."""
    job = services.export_build(job_id=job_id)
    return job.status if job is not None else None


@shared_task(name="stats.purge_expired_exports")
def purge_expired_exports() -> int:
    return services.exports_purge_expired()
