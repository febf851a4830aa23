"""Rotating the audit key (AUDIT_HMAC_KEY): new seals use the new key, the retired key only
verifies the seals made before, and the chain still proves what it proved."""

import base64

import pytest
from django.core import checks
from django.core.management import call_command
from django.test import override_settings

from northstar.audit.chain import SEAL_ROW_FIELDS, event_hash, verify_rows
from northstar.audit.models import AuditEvent, AuditSeal
from northstar.audit.selectors import audit_chain_verify
from northstar.audit.services import audit_record, seal_pending
from northstar.security.keyring import audit_key_id, decode_key
from tests.audit.test_chain import record_events, tamper

pytestmark = pytest.mark.django_db

OLD = base64.b64encode(b"rotation-test-audit-key-old-0001").decode()
NEW = base64.b64encode(b"rotation-test-audit-key-new-0002").decode()
OLD_ID, NEW_ID = audit_key_id(decode_key(OLD, "OLD")), audit_key_id(decode_key(NEW, "NEW"))

before_rotation = override_settings(AUDIT_HMAC_KEY=OLD, AUDIT_HMAC_RETIRED_KEYS="")
after_rotation = override_settings(AUDIT_HMAC_KEY=NEW, AUDIT_HMAC_RETIRED_KEYS=OLD)


def rotated_chain(old: int = 3, new: int = 2) -> tuple[list[AuditEvent], list[AuditEvent]]:
    with before_rotation:
        sealed_old = record_events(old)
    with after_rotation:
        sealed_new = record_events(new)
    return sealed_old, sealed_new


def both_verifiers():
    """The chain checked by the database's fast path (on PostgreSQL) and by the ORM rows."""
    rows = AuditSeal.objects.order_by("position").values_list(*SEAL_ROW_FIELDS)
    return audit_chain_verify(), verify_rows(rows.iterator())


def content_of(event: AuditEvent) -> tuple:
    return (event.occurred_at, event.actor_id, event.action, event.object_type,
            event.object_id, event.request_id, event.details)


def forge_seal(cursor, event: AuditEvent, prev_hash: str, key: str, position: int) -> str:
    """What someone holding ``key`` and write access to the database can do."""
    digest = event_hash(decode_key(key, "key"), *content_of(event), prev_hash, event.pk)
    cursor.execute("INSERT INTO audit_auditseal (position, event_id, prev_hash, hash, key_id, "
                   "sealed_at) VALUES (%s, %s, %s, %s, %s, %s)",
                   [position, event.pk, prev_hash, digest,
                    audit_key_id(decode_key(key, "key")), event.occurred_at])
    return digest


def test_key_ids_name_keys_without_revealing_them():
    assert OLD_ID != NEW_ID and len(OLD_ID) == 12 and int(OLD_ID, 16) >= 0
    assert OLD_ID not in base64.b64decode(OLD).hex()


def test_seals_name_their_key_and_the_rotated_chain_verifies():
    old, new = rotated_chain()
    assert dict(AuditSeal.objects.values_list("event_id", "key_id")) == {
        **{event.pk: OLD_ID for event in old}, **{event.pk: NEW_ID for event in new}}
    with after_rotation:
        for result in both_verifiers():
            assert result.ok and result.checked == 5
            assert result.sealed_with == {NEW_ID: 2, OLD_ID: 3}


def test_without_the_retired_key_the_old_seals_are_reported_not_trusted():
    rotated_chain()
    with override_settings(AUDIT_HMAC_KEY=NEW, AUDIT_HMAC_RETIRED_KEYS=""):
        for result in both_verifiers():
            assert not result.ok and result.checked == 0
            assert f"audit key {OLD_ID}, which is not configured" in result.problem


def test_a_retired_key_cannot_add_seals_after_its_successor():
    _old, _new = rotated_chain()
    with after_rotation:
        event = audit_record("test.forged")
        head = AuditSeal.objects.order_by("-position").first()
        with tamper() as cursor:
            forge_seal(cursor, event, head.hash, OLD, head.position + 1)
        for result in both_verifiers():
            assert (result.broken_at, result.checked) == (event.pk, 5)
            assert "older than the key of the seal before it" in result.problem


def test_rewriting_history_with_the_retired_key_breaks_the_link_to_the_new_key():
    """Someone holding the old key (and the database) edits an old event and re-seals the
    whole old part of the chain: the first seal of the new key no longer links to it."""
    old, new = rotated_chain()
    with tamper() as cursor:
        cursor.execute("UPDATE audit_auditevent SET object_id = 'forged' WHERE id = %s",
                       [old[0].pk])
        cursor.execute("DELETE FROM audit_auditseal WHERE key_id = %s", [OLD_ID])
        prev = "0" * 64
        for position, event in enumerate(old, start=1):
            event.refresh_from_db()
            prev = forge_seal(cursor, event, prev, OLD, position)
    with after_rotation:
        for result in both_verifiers():
            assert (result.broken_at, result.checked) == (new[0].pk, 3)
            assert "link to the previous event is broken" in result.problem


def test_seals_made_before_key_ids_existed_are_checked_with_the_key_that_made_them():
    old, _new = rotated_chain(old=4, new=2)
    with tamper() as cursor:  # as the migration left the seals made before it
        cursor.execute("UPDATE audit_auditseal SET key_id = '' WHERE key_id = %s", [OLD_ID])
    with after_rotation:
        for result in both_verifiers():
            assert result.ok and result.checked == 6
            assert result.sealed_with == {NEW_ID: 2, OLD_ID: 4}
    with tamper() as cursor:  # and an edit among them is still found
        cursor.execute("UPDATE audit_auditevent SET action = 'x' WHERE id = %s", [old[2].pk])
    with after_rotation:
        for result in both_verifiers():
            assert (result.broken_at, result.checked) == (old[2].pk, 2)
            assert "edited" in result.problem


def test_audit_verify_prints_the_keys_that_sealed_the_chain(capsys):
    rotated_chain()
    with after_rotation:
        call_command("audit_verify")
    out = capsys.readouterr().out
    assert "Audit chain intact: 5 events" in out
    assert f"Sealed: 2 with key {NEW_ID}, 3 with key {OLD_ID}." in out


def test_sealing_after_the_rotation_uses_only_the_new_key():
    with before_rotation:
        audit_record("test.pending")  # recorded before the rotation, sealed after it
    with after_rotation:
        assert seal_pending() == 1
    assert list(AuditSeal.objects.values_list("key_id", flat=True)) == [NEW_ID]


def test_a_malformed_retired_key_stops_the_process_at_start_up():
    with override_settings(AUDIT_HMAC_RETIRED_KEYS=f"{OLD},not-a-key"):
        errors = checks.run_checks(tags=[checks.Tags.security])
    assert any("AUDIT_HMAC_RETIRED_KEYS" in error.msg for error in errors)


def test_a_process_still_on_the_old_key_leaves_sealing_to_the_new_ones(caplog):
    """During the deploy of a rotation some processes still have only the old key: once a
    seal of the new key exists they seal nothing (sealing on top of it with the older key
    would break the chain for good), and the events they record are sealed by the others."""
    _old, _new = rotated_chain()
    with before_rotation:
        late = audit_record("test.late")
        assert seal_pending() == 0
    assert not AuditSeal.objects.filter(event=late).exists()
    assert f"audit sealing left to processes with audit key {NEW_ID}" in caplog.text
    with after_rotation:
        assert seal_pending() == 1
        for result in both_verifiers():
            assert result.ok and result.sealed_with == {NEW_ID: 3, OLD_ID: 3}
