import datetime
import io

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import CommandError, call_command
from django.db import connection

from northstar.accounts.totp import totp_enable, totp_secret_of
from northstar.audit.models import AuditEvent
from tests.factories import UserFactory
from tests.testapp.models import SecretRecord

pytestmark = pytest.mark.django_db

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXZ"


def raw_values() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, born, facts, note FROM testapp_secretrecord")
        return [value for row in cursor.fetchall() for value in row if value is not None]


def test_rotation_moves_every_value_to_the_active_key(settings):
    settings.FIELD_ENCRYPTION_ACTIVE_KEY_ID = "test1"  # write everything under the old key
    expected = {}
    for index in range(1203):  # more than two batches
        record = SecretRecord.objects.create(
            name=f"Person {index}", born=datetime.date(1980, 1, 1) + datetime.timedelta(index),
            facts={"n": index} if index % 3 else None, note="" if index % 2 else f"note {index}",
        )
        expected[record.pk] = (record.name, record.born, record.facts, record.note)
    user = UserFactory(counsellor=True)
    totp_enable(user, SECRET)
    assert all(value.startswith("ns1:test1:") for value in raw_values())

    settings.FIELD_ENCRYPTION_ACTIVE_KEY_ID = "test2"
    call_command("rotate_field_keys", batch_size=500, stdout=io.StringIO())

    values = raw_values()
    assert values and not [v for v in values if not v.startswith("ns1:test2:")]
    for record in SecretRecord.objects.all():
        assert (record.name, record.born, record.facts, record.note) == expected[record.pk]
    for authenticator in Authenticator.objects.filter(user=user):
        token = authenticator.data.get("secret") or authenticator.data.get("seed")
        assert token.startswith("ns1:test2:")
    assert totp_secret_of(user) == SECRET
    assert AuditEvent.objects.filter(action="keys.rotated").count() == 1


def test_old_key_can_be_dropped_after_rotation(settings):
    settings.FIELD_ENCRYPTION_ACTIVE_KEY_ID = "test1"
    record = SecretRecord.objects.create(name="Readable after rotation")
    settings.FIELD_ENCRYPTION_ACTIVE_KEY_ID = ""
    call_command("rotate_field_keys", stdout=io.StringIO())
    settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS.split(",")[0]  # test2 only
    assert SecretRecord.objects.get(pk=record.pk).name == "Readable after rotation"


def test_rerun_touches_nothing(settings, capsys):
    SecretRecord.objects.create(name="Already current")
    call_command("rotate_field_keys")
    out = capsys.readouterr().out
    assert "testapp.SecretRecord: 0 rows re-encrypted" in out


def test_a_new_blind_index_key_is_applied_by_rebuilding_the_indexes(settings, client):
    """After a suspected exposure of BLIND_INDEX_KEY: new key, rebuild_blind_indexes."""
    from intake.services import case_create
    from tests.helpers import sign_in

    counsellor = UserFactory(counsellor=True)
    case = case_create(actor=counsellor, given_name="Ilse", family_name="Indexwood",
                       date_of_birth=datetime.date(1988, 2, 3))
    sign_in(client, counsellor)

    def found() -> bool:
        response = client.post("/cases/search/", {"full_name": "Ilse Indexwood",
                                                  "date_of_birth": "1988-02-03"})
        return case.number in response.content.decode()

    assert found()
    settings.BLIND_INDEX_KEY = "bmV3LWJsaW5kLWluZGV4LWtleS1mb3ItdGhlLXRlc3Q="
    assert not found()  # the stored indexes were computed with the old key
    with pytest.raises(CommandError, match="BLIND_INDEX_KEY does not match the search indexes "
                                           "of 1 of 1 clients checked"):
        call_command("verify_keys", stdout=io.StringIO())
    out = io.StringIO()
    call_command("rebuild_blind_indexes", stdout=out)
    assert "Done: 1 clients re-indexed." in out.getvalue()
    assert found()
    call_command("verify_keys", stdout=out)
    assert "Blind index: 1 clients checked, all match." in out.getvalue()
    assert AuditEvent.objects.filter(action="keys.blind_indexes_rebuilt").count() == 1
