import itertools
import json
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from northstar.audit.models import AuditEvent
from northstar.audit.selectors import audit_chain_verify
from northstar.audit.services import AuditDetailsError, audit_record

pytestmark = pytest.mark.django_db


def record_events(count: int) -> list[AuditEvent]:
    return [audit_record("test.event", object_type="test", object_id=n, details={"n": n})
            for n in range(count)]


class tamper:
    """Raw SQL with the append-only trigger off (PostgreSQL), as an attacker with DB access."""

    def __enter__(self):
        self.cursor = connection.cursor()
        if connection.vendor == "postgresql":
            self.cursor.execute(
                "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
        return self.cursor

    def __exit__(self, *exc):
        if connection.vendor == "postgresql":
            self.cursor.execute(
                "ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_append_only")
        self.cursor.close()


def test_events_form_a_chain():
    events = record_events(5)
    assert events[0].prev_hash == "0" * 64
    for previous, current in itertools.pairwise(events):
        assert current.prev_hash == previous.hash
    result = audit_chain_verify()
    assert result.ok and result.checked == 5 and result.head == events[-1].hash


def test_verify_detects_an_edited_event():
    events = record_events(6)
    with tamper() as cursor:
        cursor.execute("UPDATE audit_auditevent SET object_id = %s WHERE id = %s",
                       ["999", events[3].pk])
    result = audit_chain_verify()
    assert (result.broken_at, result.checked) == (events[3].pk, 3)
    assert "edited" in result.problem


def test_verify_detects_a_deleted_event():
    events = record_events(6)
    with tamper() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[2].pk])
    result = audit_chain_verify()
    assert result.broken_at == events[3].pk
    assert "deleted" in result.problem


def test_verify_detects_reordered_events():
    events = record_events(6)
    a, b = events[2], events[3]
    columns = ["occurred_at", "actor_id", "action", "object_type", "object_id", "request_id",
               "details", "prev_hash", "hash"]
    with tamper() as cursor:
        # Swap the two rows' contents (ids stay): the log now reads b before a.
        for placeholder, event in (("t", a), ("u", b)):
            cursor.execute(
                "UPDATE audit_auditevent SET hash = %s, prev_hash = %s WHERE id = %s",
                [placeholder * 64, placeholder.upper() * 64, event.pk])
        for source, target in ((b, a), (a, b)):
            assignments = ", ".join(f"{column} = %s" for column in columns)
            values = [getattr(source, column if column != "actor_id" else "actor_id")
                      for column in columns]
            values[columns.index("details")] = json.dumps(source.details)
            cursor.execute(f"UPDATE audit_auditevent SET {assignments} WHERE id = %s",  # noqa: S608
                           [*values, target.pk])
    result = audit_chain_verify()
    assert result.broken_at == a.pk
    assert "reordered" in result.problem


def test_audit_verify_command_reports_first_broken_link(capsys):
    events = record_events(3)
    call_command("audit_verify")
    assert "Audit chain intact: 3 events" in capsys.readouterr().out
    with tamper() as cursor:
        cursor.execute("UPDATE audit_auditevent SET action = 'x' WHERE id = %s", [events[1].pk])
    with pytest.raises(CommandError, match=f"broken at event {events[1].pk}"):
        call_command("audit_verify")


def test_orm_cannot_update_or_delete_events():
    [event] = record_events(1)
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        event.delete()


def test_postgres_refuses_update_and_delete(require_postgres):
    [event] = record_events(1)
    for statement in ("UPDATE audit_auditevent SET action = 'x' WHERE id = %s",
                      "DELETE FROM audit_auditevent WHERE id = %s"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), \
                connection.cursor() as cursor:
            cursor.execute(statement, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "test.event"


@pytest.mark.parametrize(
    "details",
    [{"when": object()}, {"text": "x" * 201}, {1: "non-string key"}, {"nested": [{"f": 1.5}]}],
)
def test_details_must_be_plain_and_short(details):
    with pytest.raises(AuditDetailsError):
        audit_record("test.bad", details=details)
    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_chain(require_postgres):
    errors = []

    def writer(worker: int):
        try:
            for n in range(20):
                with transaction.atomic():
                    audit_record("test.concurrent", object_id=f"{worker}-{n}")
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    result = audit_chain_verify()
    assert result.ok and result.checked == 120
