"""Operational tasks."""

from celery import shared_task

from northstar.audit.services import audit_record


@shared_task(name="common.worker_ping")
def worker_ping() -> None:
    """Prove the queue end to end: the worker records an audit event (no arguments)."""
    audit_record("system.worker_ping")
