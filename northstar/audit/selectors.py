"""Reads of the audit log."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from northstar.audit.chain import SEAL_ROW_FIELDS, VerifyResult, verify_rows
from northstar.audit.models import AuditEvent, AuditSeal

UNSEALED_GRACE = timedelta(minutes=5)


def audit_events_for_admin(*, filters: dict) -> QuerySet[AuditEvent]:
    """Events for the admin audit page, newest first, filtered by the page's form."""
    events = AuditEvent.objects.select_related("actor").order_by("-id")
    if filters.get("action"):
        events = events.filter(action__startswith=filters["action"])
    if filters.get("actor"):
        events = events.filter(actor=filters["actor"])
    if filters.get("object_type"):
        events = events.filter(object_type=filters["object_type"])
    if filters.get("object_id"):
        events = events.filter(object_id=filters["object_id"])
    if filters.get("since"):
        events = events.filter(occurred_at__date__gte=filters["since"])
    if filters.get("until"):
        events = events.filter(occurred_at__date__lte=filters["until"])
    return events


def audit_chain_verify(chunk_size: int = 20_000) -> VerifyResult:
    """Check every link; also count events left unsealed longer than the grace period (a
    forged insert, or a sealer that has not run)."""
    rows = AuditSeal.objects.order_by("position").values_list(*SEAL_ROW_FIELDS).iterator(
        chunk_size=chunk_size)
    result = verify_rows(rows)
    cutoff = timezone.now() - UNSEALED_GRACE
    result.unsealed = AuditEvent.objects.filter(seal__isnull=True,
                                                occurred_at__lt=cutoff).count()
    if result.broken_at is None and result.unsealed:
        result.problem = f"{result.unsealed} events are not sealed into the chain"
    return result
