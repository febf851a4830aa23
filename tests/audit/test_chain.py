import itertools
import threading
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from northstar.audit.models import AuditEvent, AuditSeal
from northstar.audit.selectors import audit_chain_verify
from northstar.audit.services import AuditDetailsError, audit_record, seal_pending

pytestmark = pytest.mark.django_db


def record_events(count: int) -> list[AuditEvent]:
    events = [audit_record("test.event", object_type="test", object_id=n, details={"n": n})
              for n in range(count)]
    assert seal_pending() == count
    return events


class tamper:
    """Raw SQL with the append-only triggers off (PostgreSQL), as an attacker with DB access."""

    tables = ("audit_auditevent", "audit_auditseal")

    def __enter__(self):
        self.cursor = connection.cursor()
        if connection.vendor == "postgresql":
            for table in self.tables:
                self.cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only")
        return self.cursor

    def __exit__(self, *exc):
        if connection.vendor == "postgresql":
            for table in self.tables:
                self.cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {table}_append_only")
        self.cursor.close()


def test_events_are_sealed_into_one_chain():
    events = record_events(5)
    seals = list(AuditSeal.objects.order_by("position"))
    assert [seal.event_id for seal in seals] == [event.pk for event in events]
    assert seals[0].prev_hash == "0" * 64
    for previous, current in itertools.pairwise(seals):
        assert current.prev_hash == previous.hash
    result = audit_chain_verify()
    assert result.ok and result.checked == 5 and result.head == seals[-1].hash
    assert seal_pending() == 0  # idempotent


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
    assert (result.broken_at, result.checked) == (events[2].pk, 2)
    assert "deleted" in result.problem


def test_verify_detects_a_deleted_link():
    events = record_events(6)
    with tamper() as cursor:
        cursor.execute("DELETE FROM audit_auditseal WHERE event_id = %s", [events[2].pk])
    result = audit_chain_verify()
    assert result.broken_at == events[3].pk
    assert "deleted" in result.problem


def test_verify_detects_reordered_events():
    events = record_events(6)
    a, b = (AuditSeal.objects.get(event=events[i]) for i in (2, 3))
    with tamper() as cursor:  # swap their places in the chain
        cursor.execute("UPDATE audit_auditseal SET position = -1 WHERE id = %s", [a.pk])
        cursor.execute("UPDATE audit_auditseal SET position = %s WHERE id = %s",
                       [a.position, b.pk])
        cursor.execute("UPDATE audit_auditseal SET position = %s WHERE id = %s",
                       [b.position, a.pk])
    result = audit_chain_verify()
    assert result.broken_at == events[3].pk
    assert "reordered" in result.problem


def test_verify_reports_events_left_unsealed():
    record_events(2)
    audit_record("test.forged")
    assert audit_chain_verify().ok  # within the grace period: the sealer has not run yet
    later = timezone.now() + timedelta(minutes=10)
    import time_machine

    with time_machine.travel(later):
        result = audit_chain_verify()
    assert not result.ok and result.unsealed == 1
    assert "not sealed" in result.problem


def test_audit_verify_command_reports_first_broken_link(capsys):
    events = record_events(3)
    call_command("audit_verify")
    assert "Audit chain intact: 3 events" in capsys.readouterr().out
    with tamper() as cursor:
        cursor.execute("UPDATE audit_auditevent SET action = 'x' WHERE id = %s", [events[1].pk])
    with pytest.raises(CommandError, match=f"broken at event {events[1].pk}"):
        call_command("audit_verify")


def test_orm_cannot_update_or_delete_events_or_seals():
    [event] = record_events(1)
    for manager in (AuditEvent.objects, AuditSeal.objects):
        with pytest.raises(PermissionError):
            manager.all().update(hash="x") if manager is AuditSeal.objects \
                else manager.all().update(action="x")
        with pytest.raises(PermissionError):
            manager.all().delete()
    with pytest.raises(PermissionError):
        event.delete()


def test_postgres_refuses_update_and_delete(require_postgres):
    [event] = record_events(1)
    statements = ("UPDATE audit_auditevent SET action = 'x' WHERE id = %s",
                  "DELETE FROM audit_auditevent WHERE id = %s",
                  "UPDATE audit_auditseal SET hash = 'x' WHERE event_id = %s",
                  "DELETE FROM audit_auditseal WHERE event_id = %s")
    for statement in statements:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), \
                connection.cursor() as cursor:
            cursor.execute(statement, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "test.event"
    assert audit_chain_verify().ok


@pytest.mark.parametrize(
    "details",
    [{"when": object()}, {"text": "x" * 201}, {1: "non-string key"}, {"nested": [{"f": 1.5}]}],
)
def test_details_must_be_plain_and_short(details):
    with pytest.raises(AuditDetailsError):
        audit_record("test.bad", details=details)
    assert AuditEvent.objects.count() == 0


def test_rolled_back_action_leaves_no_event():
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record("test.rolled_back")
        raise RuntimeError
    assert not AuditEvent.objects.filter(action="test.rolled_back").exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_are_sealed_into_one_chain(require_postgres):
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
    seal_pending()
    assert errors == []
    result = audit_chain_verify()
    assert result.ok and result.checked == 120
    assert AuditSeal.objects.count() == 120


def test_a_transaction_registers_one_sealing_however_many_events(
        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        events = [audit_record("test.batch", object_id=n) for n in range(50)]
    assert len(callbacks) == 1
    assert list(AuditSeal.objects.order_by("position").values_list("event_id", flat=True)) == [
        event.pk for event in events]
    assert audit_chain_verify().ok


def test_a_hook_removed_by_a_savepoint_rollback_is_registered_again(
        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            audit_record("test.rolled_back")
            raise RuntimeError
        kept = audit_record("test.kept")
    assert len(callbacks) == 1
    assert list(AuditSeal.objects.values_list("event_id", flat=True)) == [kept.pk]


def test_after_commit_sealing_starts_at_the_transactions_first_event(
        django_capture_on_commit_callbacks):
    """The hook never scans the whole log: an older unsealed row (inserted behind the
    application's back) is left for the sweeper or for audit_verify to report."""
    old = timezone.now() - timedelta(days=3)
    forged = AuditEvent.objects.create(occurred_at=old, action="test.forged")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        recorded = audit_record("test.recorded")
    assert list(AuditSeal.objects.values_list("event_id", flat=True)) == [recorded.pk]
    assert seal_pending(since=timezone.now() - timedelta(days=1)) == 0  # the beat's window
    result = audit_chain_verify()
    assert not result.ok and result.unsealed == 1
    assert seal_pending() == 1  # an unbounded run seals it
    assert AuditSeal.objects.get(event=forged).position == 2


@pytest.mark.parametrize(("actor_id", "text", "details"), [
    (None, "", {}),
    (7, 'quote " backslash \\ slash /', {"b": [1, True, None], "a": {"z": "é", "y": -3}}),
    (123456789, "ünïcødé — \u2028 tab\t newline\n \x00", {"page": "case", "n": 0}),
])
def test_the_verifiers_fast_encoding_is_exactly_the_canonical_one(actor_id, text, details):
    from datetime import UTC, datetime

    from northstar.audit.chain import canonical, canonical_details, canonical_from_text

    occurred = datetime(2026, 3, 4, 5, 6, 7, 89, tzinfo=UTC)
    fields = (actor_id, f"case.{text}", text, text or "42", text[:32], )
    slow = canonical(occurred, *fields, details, "f" * 64, 99)
    fast = canonical_from_text("2026-03-04T05:06:07.000089+00:00", *fields,
                               canonical_details(details), "f" * 64, 99)
    assert fast == slow


def test_the_audit_log_pages_the_newest_thousand_and_asks_for_a_filter(client):
    """Millions of events: the admin's log counts at most a thousand, newest first."""
    from tests.factories import UserFactory
    from tests.helpers import sign_in

    admin = UserFactory(admin=True)
    AuditEvent.objects.bulk_create(AuditEvent(occurred_at=timezone.now(), action="test.bulk",
                                              object_type="t", object_id=str(number),
                                              details={})
                                   for number in range(1001))
    sign_in(client, admin)
    html = client.get("/audit/").content.decode()
    assert ("More than 1000 events match: the pages show the newest 1000. Use the filters to "
            "reach the others.") in html
    assert "Page 1 of 20" in html
    narrowed = client.get("/audit/", {"action": "auth.login"}).content.decode()
    assert "More than" not in narrowed
