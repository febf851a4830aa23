"""``audit_record``: the one way to write to the audit log."""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from northstar.audit.chain import GENESIS, event_hash
from northstar.audit.models import AuditEvent
from northstar.common.request_context import current_request_id
from northstar.security.keyring import get_audit_key

ADVISORY_LOCK_ID = 0x4E534155  # "NSAU": one lock serialises audit writers on PostgreSQL
MAX_DETAIL_STRING = 200
INSERT_ATTEMPTS = 5


class AuditDetailsError(ValueError):
    """``details`` must hold plain, short, non-personal values."""


def check_details(value, path: str = "details") -> None:
    if value is None or isinstance(value, bool | int):
        return
    if isinstance(value, str):
        if len(value) > MAX_DETAIL_STRING:
            raise AuditDetailsError(f"{path} is longer than {MAX_DETAIL_STRING} characters")
        return
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            check_details(item, f"{path}[{index}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise AuditDetailsError(f"{path} keys must be strings")
            check_details(item, f"{path}.{key}")
        return
    raise AuditDetailsError(f"{path} holds a {type(value).__name__}; use str, int, bool or None")


def audit_record(
    action: str,
    *,
    actor=None,
    target=None,
    object_type: str = "",
    object_id: str | int = "",
    details: dict | None = None,
) -> AuditEvent:
    """Append one event to the hash-chained audit log, in the caller's transaction.

    ``target`` (a model instance) fills ``object_type``/``object_id``. ``details`` must not
    contain personal data: ids, counts, field names and parameters only.
    """
    details = dict(details or {})
    check_details(details)
    if target is not None:
        object_type = object_type or target._meta.label_lower
        object_id = object_id or target.pk
    actor_id = actor.pk if actor is not None and getattr(actor, "is_authenticated", False) else None
    fields = {
        "occurred_at": timezone.now(),
        "actor_id": actor_id,
        "action": action,
        "object_type": object_type,
        "object_id": str(object_id),
        "request_id": current_request_id(),
        "details": details,
    }
    for attempt in range(INSERT_ATTEMPTS):
        try:
            with transaction.atomic():
                return append_event(fields)
        except IntegrityError:
            if attempt == INSERT_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def append_event(fields: dict) -> AuditEvent:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_ID])
    previous = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
    prev_hash = previous or GENESIS
    digest = event_hash(
        get_audit_key(),
        fields["occurred_at"], fields["actor_id"], fields["action"], fields["object_type"],
        fields["object_id"], fields["request_id"], fields["details"], prev_hash,
    )
    return AuditEvent.objects.create(**fields, prev_hash=prev_hash, hash=digest)
