from django.conf import settings
from django.db import models
from django.utils import timezone


class AppendOnlyQuerySet(models.QuerySet):
    """The ORM cannot change or remove audit rows (PostgreSQL also refuses, by trigger)."""

    def update(self, **kwargs):
        raise PermissionError("the audit log is append-only")

    def delete(self):
        raise PermissionError("the audit log is append-only")


class AuditEvent(models.Model):
    """One audited action. Append-only; chained by its ``AuditSeal`` (see ``audit.chain``).

    ``details`` holds non-personal data only (ids, counts, field names, parameters); it is
    validated by ``audit_record``.
    """

    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    request_id = models.CharField(max_length=32, blank=True)
    details = models.JSONField(default=dict, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["actor", "occurred_at"], name="audit_actor_time_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id}"

    def delete(self, *args, **kwargs):
        raise PermissionError("the audit log is append-only")


class AuditSeal(models.Model):
    """The hash-chain link of one event, written after the event's transaction commits.

    ``position`` orders the chain (commit order, not id order); ``prev_hash`` is unique so the
    chain can never fork; ``hash`` covers the event's content and ``prev_hash``; ``key_id``
    names the audit key that made it.
    """

    position = models.BigIntegerField(unique=True)
    # Nullable only so that reads use a LEFT JOIN: a seal whose event was deleted still shows.
    event = models.OneToOneField(AuditEvent, on_delete=models.DO_NOTHING, db_constraint=False,
                                 null=True, related_name="seal")
    prev_hash = models.CharField(max_length=64, unique=True)
    hash = models.CharField(max_length=64, unique=True)
    # ``keyring.audit_key_id`` of the key that made ``hash`` (not covered by it: a changed id
    # only points the verifier at a key that does not match). Blank on seals made before
    # audit keys could be rotated; the verifier finds their key among those configured.
    key_id = models.CharField(max_length=16, blank=True, db_default="")
    sealed_at = models.DateTimeField(default=timezone.now)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return f"seal {self.position} of event {self.event_id}"

    def delete(self, *args, **kwargs):
        raise PermissionError("the audit log is append-only")
