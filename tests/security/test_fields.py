import datetime

import pytest
from django.core.exceptions import FieldError
from django.db import connection

from northstar.security.blind_index import blind_index, normalize_for_index
from northstar.security.crypto import DecryptionError, decrypt_text, encrypt_text, key_id_of
from tests.testapp.models import SecretRecord

pytestmark = pytest.mark.django_db

MARKER_NAME = "Zorblat Quixmire-7731"
MARKER_NOTE = "canary-note-9f3a2c"


def raw_rows() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, born, facts, note FROM testapp_secretrecord")
        return cursor.fetchall()


def test_values_round_trip_through_the_database():
    record = SecretRecord.objects.create(
        name=MARKER_NAME, born=datetime.date(1990, 2, 28),
        facts={"aliases": ["Zed"], "children": 2}, note=MARKER_NOTE,
    )
    fresh = SecretRecord.objects.get(pk=record.pk)
    assert fresh.name == MARKER_NAME
    assert fresh.born == datetime.date(1990, 2, 28)
    assert fresh.facts == {"aliases": ["Zed"], "children": 2}
    assert fresh.note == MARKER_NOTE


def test_raw_columns_hold_no_plaintext():
    SecretRecord.objects.create(name=MARKER_NAME, born=datetime.date(1990, 2, 28),
                                facts={"alias": "Quixmire"}, note=MARKER_NOTE)
    [row] = raw_rows()
    dump = " ".join(str(value) for value in row)
    for plaintext in ("Zorblat", "Quixmire", "1990-02-28", "canary-note", "alias"):
        assert plaintext not in dump
    assert all(str(value).startswith("ns1:test2:") for value in row)


def test_same_value_encrypts_differently_each_time():
    SecretRecord.objects.create(name=MARKER_NAME)
    SecretRecord.objects.create(name=MARKER_NAME)
    first, second = (row[0] for row in raw_rows())
    assert first != second


def test_none_stays_null_and_isnull_lookup_works():
    SecretRecord.objects.create(name="A", born=None)
    assert raw_rows()[0][1] is None
    assert SecretRecord.objects.filter(born__isnull=True).count() == 1


@pytest.mark.parametrize("lookup", ["name", "name__icontains", "name__startswith", "born__gt"])
def test_encrypted_columns_refuse_filtering(lookup):
    with pytest.raises(FieldError, match="blind index"):
        list(SecretRecord.objects.filter(**{lookup: "x"}))


def test_ciphertext_moved_to_another_column_does_not_decrypt():
    token = encrypt_text("secret", "testapp.secretrecord.name")
    with pytest.raises(DecryptionError):
        decrypt_text(token, "testapp.secretrecord.note")


def test_tampered_ciphertext_is_rejected():
    token = encrypt_text("secret", "context")
    tampered = token[:-4] + ("AAAA" if token[-4:] != "AAAA" else "BBBB")
    with pytest.raises(DecryptionError):
        decrypt_text(tampered, "context")


def test_unknown_key_id_is_rejected():
    token = encrypt_text("secret", "context").replace("ns1:test2:", "ns1:gone:")
    with pytest.raises(DecryptionError, match="unknown key id"):
        decrypt_text(token, "context")


def test_every_value_names_its_key():
    assert key_id_of(encrypt_text("x", "c")) == "test2"
    assert key_id_of("plain") is None


def test_blind_index_is_exact_but_forgiving_on_case_accents_and_spacing():
    assert blind_index("name_dob", "José  Martínez", "1990-01-01") == blind_index(
        "name_dob", "jose martinez", "1990-01-01")
    assert blind_index("name_dob", "Jose Martinez", "1990-01-01") != blind_index(
        "name_dob", "Martinez Jose", "1990-01-01")
    assert blind_index("name_dob", "Jose", "1990-01-01") != blind_index(
        "other_purpose", "Jose", "1990-01-01")
    assert normalize_for_index("  O'Brien-Smith ") == "o brien smith"


def test_blind_index_depends_on_the_key(settings):
    before = blind_index("name_dob", "Jose", "1990-01-01")
    settings.BLIND_INDEX_KEY = "YW5vdGhlci1ibGluZC1pbmRleC1rZXktMDAwMDAwMDA="
    assert blind_index("name_dob", "Jose", "1990-01-01") != before
    assert len(before) == 32 and "jose" not in before.lower()
