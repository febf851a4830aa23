"""A backing service that is unreachable gives a clear 503, not a server error (issue 8).

The fault test (``tests/safety/test_postgres_restart.py``) restarts a real PostgreSQL under
gunicorn; these tests pin each branch quickly: the page, the JSON API, the htmx status line,
Retry-After, nothing of the error in the answer, a real bug still a 500, and the session
refresh that must not turn a committed action into an error.
"""

from __future__ import annotations

import datetime
import json

import pytest
import redis
from django.contrib.sessions.exceptions import SessionInterrupted
from django.contrib.sessions.models import Session
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse
from django.test import Client, RequestFactory

from intake.models import Note
from intake.services import case_create
from northstar.common import views
from northstar.common.middleware import SessionMiddleware
from tests.factories import UserFactory
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db

DETAIL = "connection to server at 10.9.8.7 port 5432 failed: Marisol"
PAGE_TEXT = "Briefly unavailable"


def failing(error):
    def fail(*args, **kwargs):
        raise error
    return fail


@pytest.fixture
def staff():
    user = UserFactory(coordinator=True)
    case = case_create(actor=user, given_name="Ondine", date_of_birth=datetime.date(1990, 4, 2))
    return sign_in(Client(raise_request_exception=False), user), case


def assert_clean_503(response, *, through_middleware: bool = True):
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    if through_middleware:
        assert response["Cache-Control"] == "no-store"
    body = response.content.decode()
    for leak in (DETAIL, "10.9.8.7", "Marisol", "OperationalError", "Traceback"):
        assert leak not in body
    return body


@pytest.mark.parametrize("error", [OperationalError(DETAIL), InterfaceError(DETAIL),
                                   redis.ConnectionError(DETAIL), redis.TimeoutError(DETAIL)])
def test_an_unreachable_service_is_a_503_page(staff, monkeypatch, error):
    client, case = staff
    monkeypatch.setattr("intake.views.scoped_case", failing(error))
    body = assert_clean_503(client.get(f"/cases/{case.number}/"))
    assert PAGE_TEXT in body and "Try again in a moment." in body
    assert response_is_html(body)


def response_is_html(body: str) -> bool:
    return body.lstrip().startswith("<!DOCTYPE html>")


def test_an_outage_raised_from_inside_another_error_is_a_503(staff, monkeypatch):
    client, case = staff

    def wrapped(*args, **kwargs):
        try:
            raise OperationalError(DETAIL)
        except OperationalError as error:
            raise RuntimeError("while reading the case") from error

    monkeypatch.setattr("intake.views.scoped_case", wrapped)
    assert PAGE_TEXT in assert_clean_503(client.get(f"/cases/{case.number}/"))


def test_a_bug_is_still_a_500(staff, monkeypatch):
    client, case = staff
    monkeypatch.setattr("intake.views.scoped_case", failing(RuntimeError(DETAIL)))
    response = client.get(f"/cases/{case.number}/")
    assert response.status_code == 500 and not response.has_header("Retry-After")
    assert "Something went wrong" in response.content.decode()
    assert DETAIL not in response.content.decode()


def test_the_api_answers_503_in_json(staff, monkeypatch):
    client, _ = staff
    monkeypatch.setattr("eligibility.views.screen", failing(OperationalError(DETAIL)))
    response = client.post("/api/eligibility/screen/", "{}", content_type="application/json")
    assert_clean_503(response)
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {
        "error": "service_unavailable", "retry_after": 30,
        "message": "Northstar is briefly unavailable. Try again in a moment."}


def test_an_autosave_gets_a_status_line_saying_not_saved(staff, monkeypatch):
    client, case = staff
    monkeypatch.setattr("intake.views.services.case_step_save",
                        failing(OperationalError(DETAIL)))
    response = client.post(f"/cases/{case.number}/intake/contact/",
                           {"autosave": "1", "client-contact_notes": "Evenings"},
                           headers={"HX-Request": "true"})
    body = assert_clean_503(response)
    assert "Not saved" in body and "<html" not in body


def test_htmx_swaps_a_503_into_the_status_line(staff):
    """htmx does not swap error answers unless told: base.html tells it for 503 only."""
    client, case = staff
    html = client.get(f"/cases/{case.number}/intake/contact/").content.decode()
    config = json.loads(html.split('name="htmx-config" content=\'')[1].split("'>")[0])
    assert {"code": "503", "swap": True, "error": True} in config["responseHandling"]
    codes = [rule["code"] for rule in config["responseHandling"]]
    assert codes.index("503") < codes.index("[45]..")  # before the rule that drops errors


def test_a_committed_note_stands_when_only_the_session_refresh_fails(staff, monkeypatch):
    """The note is committed before the session middleware refreshes the session: an outage
    then must not answer "failed" (the user would add the note a second time)."""
    client, case = staff
    # Django turns the database error into UpdateError, then SessionInterrupted.
    monkeypatch.setattr(Session, "save", failing(OperationalError(DETAIL)))
    response = client.post(f"/cases/{case.number}/notes/", {"body": "Called back at noon"})
    assert response.status_code == 302
    assert [note.body for note in Note.objects.filter(case=case)] == ["Called back at noon"]


def session_middleware(view):
    request = RequestFactory().get("/")
    request.COOKIES["sessionid"] = "x" * 32
    middleware = SessionMiddleware(view)
    return middleware, request


def test_a_session_change_that_cannot_be_saved_is_not_swallowed(monkeypatch):
    monkeypatch.setattr(Session, "save", failing(OperationalError(DETAIL)))

    def signs_in(request):
        request.session["signed_in"] = True  # a change the user relies on
        return HttpResponse("ok")

    middleware, request = session_middleware(signs_in)
    with pytest.raises((OperationalError, SessionInterrupted)) as raised:
        middleware(request)
    assert views.is_service_unavailable(raised.value)  # → the 503 page, not a 302


def test_a_failed_session_save_reported_as_interrupted_is_a_503(rf):
    try:
        try:
            raise OperationalError(DETAIL)
        except OperationalError as error:
            raise SessionInterrupted("The request's session was deleted") from error
    except SessionInterrupted as interrupted:
        response = views.bad_request(rf.get("/"), interrupted)
    assert_clean_503(response, through_middleware=False)
    plain = views.bad_request(rf.get("/"), SessionInterrupted("logged out elsewhere"))
    assert plain.status_code == 400
