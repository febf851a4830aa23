"""Notes: a form sent twice stores one note. The case of a request that committed but whose
answer was lost (the database went away just after the commit: the counsellor saw "try again"
and sent the note again), and of a double click."""

import re
import threading
import uuid

import pytest

from intake.models import CaseEvent, Note
from intake.services import note_add
from northstar.audit.models import AuditEvent
from tests.helpers import sign_in
from tests.referrals.referral_helpers import make_case

pytestmark = pytest.mark.django_db

SUBMISSION = re.compile(r'<input type="hidden" name="submission" value="([0-9a-f-]{36})"')


def note_form_id(client, case) -> str:
    found = SUBMISSION.findall(client.get(f"/cases/{case.number}/").content.decode())
    assert len(found) == 1
    return found[0]


def test_each_page_shown_gives_the_note_form_its_own_id(client, counsellor):
    case = make_case(counsellor)
    sign_in(client, counsellor)
    first, second = note_form_id(client, case), note_form_id(client, case)
    assert first != second
    assert uuid.UUID(first).version == 4


def test_the_same_form_sent_twice_stores_one_note(client, counsellor):
    case = make_case(counsellor)
    sign_in(client, counsellor)
    form = {"body": "Called back; the plan is unchanged.", "submission": note_form_id(client, case)}
    answers = [client.post(f"/cases/{case.number}/notes/", form, follow=True) for _ in range(2)]

    assert [answer.status_code for answer in answers] == [200, 200]
    assert all("Note added." in answer.content.decode() for answer in answers)
    assert [note.body for note in Note.objects.filter(case=case)] == [form["body"]]
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.NOTE_ADDED).count() == 1
    assert AuditEvent.objects.filter(action="case.note_added").count() == 1


def test_two_forms_with_the_same_words_are_two_notes(client, counsellor):
    case = make_case(counsellor)
    sign_in(client, counsellor)
    for _ in range(2):
        client.post(f"/cases/{case.number}/notes/",
                    {"body": "No answer.", "submission": note_form_id(client, case)})
    assert [note.body for note in Note.objects.filter(case=case)] == ["No answer."] * 2


def test_a_form_without_an_id_still_adds_its_note(client, counsellor):
    case = make_case(counsellor)
    sign_in(client, counsellor)
    client.post(f"/cases/{case.number}/notes/", {"body": "From an old page."})
    assert [(note.body, note.submission) for note in Note.objects.filter(case=case)] == [
        ("From an old page.", None)]


def test_a_malformed_id_is_refused_and_stores_nothing(client, counsellor):
    case = make_case(counsellor)
    sign_in(client, counsellor)
    answer = client.post(f"/cases/{case.number}/notes/",
                         {"body": "x", "submission": "not-a-uuid"}, follow=True)
    assert "The note was not added" in answer.content.decode()
    assert not Note.objects.filter(case=case).exists()


@pytest.mark.django_db(transaction=True)
def test_the_same_form_sent_twice_at_once_stores_one_note(require_postgres, counsellor):
    case = make_case(counsellor)
    submission = uuid.uuid4()
    barrier = threading.Barrier(2)
    stored, errors = [], []

    def send():
        from django.db import connection

        try:
            barrier.wait(timeout=10)
            stored.append(note_add(actor=counsellor, case=case, body="Twice at once.",
                                   submission=submission).pk)
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert len(stored) == 2 and stored[0] == stored[1]
    assert Note.objects.filter(case=case).count() == 1
