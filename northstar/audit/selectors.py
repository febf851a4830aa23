"""Reads of the audit log."""

from __future__ import annotations

from django.db.models import QuerySet

from northstar.audit.chain import VERIFY_FIELDS, VerifyResult, verify_rows
from northstar.audit.models import AuditEvent


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
    rows = AuditEvent.objects.order_by("id").values_list(*VERIFY_FIELDS).iterator(
        chunk_size=chunk_size
    )
    return verify_rows(rows)
