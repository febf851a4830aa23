"""Celery adapters for the intake (ids only, idempotent)."""

from celery import shared_task
from django.utils import timezone

from intake import help_requests, lifecycle
from intake.models import Case, CaseStatus
from intake.urgency import urgency_for


@shared_task(name="intake.purge_expired_closed_cases")
def purge_expired_closed_cases() -> int:
    return lifecycle.purge_expired_closed_cases()


@shared_task(name="intake.purge_expired_help_requests")
def purge_expired_help_requests() -> int:
    return help_requests.help_requests_purge_expired()


@shared_task(name="intake.refresh_urgency")
def refresh_urgency() -> int:
    """Nightly: a removal date that comes closer raises the case's urgency."""
    today = timezone.localdate()
    changed = 0
    cases = Case.objects.exclude(status=CaseStatus.CLOSED).filter(purged_at__isnull=True)
    for case in cases.only("pk", "urgency", "detention_risk", "removal_date").iterator(
            chunk_size=500):
        level = urgency_for(case.detention_risk, case.removal_date, today)
        if level != case.urgency:
            Case.objects.filter(pk=case.pk).update(urgency=level)
            changed += 1
    return changed
