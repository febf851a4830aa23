"""The session-expiry warning's server side: the timeouts the page is given, the keep-alive
endpoint ("Stay signed in") and the sign-out at the deadline."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from northstar.accounts.receivers import LOGIN_AT_KEY
from northstar.audit.models import AuditEvent
from tests.helpers import sign_in
from tests.html_tree import parse

pytestmark = pytest.mark.django_db
KEEP_ALIVE = "/session/keep-alive/"
END = "/session/end/"


def session_config(response) -> dict[str, str]:
    node = parse(response.content).select_one("[data-keep-alive-url]")
    assert node is not None
    return {name: value for name, value in node.attrs.items() if name.startswith("data-")}


def test_pages_carry_the_timeouts_from_settings(client, counsellor, settings):
    settings.SESSION_COOKIE_AGE = 40
    settings.SESSION_WARNING_SECONDS = 25
    sign_in(client, counsellor)
    config = session_config(client.get("/"))
    assert config["data-idle-seconds"] == "40"
    assert config["data-warning-seconds"] == "25"
    assert config["data-keep-alive-url"] == KEEP_ALIVE
    assert 12 * 3600 - 5 <= int(config["data-absolute-seconds-left"]) <= 12 * 3600


def test_signed_out_pages_have_no_warning(client):
    response = client.get("/accounts/login/")
    assert b"data-keep-alive-url" not in response.content
    assert b"js/session.js" not in response.content


def test_keep_alive_answers_the_time_left_in_json(client, counsellor):
    sign_in(client, counsellor)
    session = client.session
    session[LOGIN_AT_KEY] = time.time() - 11 * 3600  # an hour of absolute lifetime left
    session.save()
    response = client.post(KEEP_ALIVE)
    assert response.status_code == 200
    answer = response.json()
    assert answer["idle_seconds"] == 15 * 60
    assert 3600 - 5 <= answer["absolute_seconds_left"] <= 3600


def test_stay_signed_in_extends_an_idle_session(client, counsellor):
    sign_in(client, counsellor)
    start = timezone.now()
    with time_machine.travel(start + timedelta(minutes=14)):
        assert client.post(KEEP_ALIVE).status_code == 200
    # 28 minutes after the last page, 14 after "Stay signed in": still signed in.
    with time_machine.travel(start + timedelta(minutes=28)):
        assert client.get("/").status_code == 200


def test_without_stay_signed_in_the_idle_session_ends(client, counsellor):
    sign_in(client, counsellor)
    with time_machine.travel(timezone.now() + timedelta(minutes=15, seconds=5)):
        response = client.post(KEEP_ALIVE)
    assert response.status_code == 401  # JSON, not a login page to parse
    assert response.json() == {"errors": [{"message": "authentication required"}]}


def test_keep_alive_takes_only_post(client, counsellor):
    sign_in(client, counsellor)
    assert client.get(KEEP_ALIVE).status_code == 405


def test_the_deadline_signs_out_and_returns_to_the_page_after_login(client, counsellor):
    sign_in(client, counsellor)
    response = client.post(END, {"next": "/cases/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/cases/"
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    login_page = client.get(response["Location"])
    assert "You were signed out because the session was idle." in login_page.content.decode()
    assert client.get("/").status_code == 302  # signed out
    assert AuditEvent.objects.filter(action="auth.logout", actor=counsellor).count() == 1


def test_the_deadline_never_redirects_elsewhere(client, counsellor):
    sign_in(client, counsellor)
    response = client.post(END, {"next": "https://elsewhere.example/steal"})
    assert response["Location"] == "/accounts/login/?next=/"


def test_the_deadline_after_the_server_already_ended_the_session(client, counsellor):
    """The browser may be late (a sleeping laptop): the session is already gone."""
    sign_in(client, counsellor)
    with time_machine.travel(timezone.now() + timedelta(minutes=20)):
        response = client.post(END, {"next": "/cases/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/cases/"
