import time
from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.utils import timezone

from northstar.accounts.receivers import LOGIN_AT_KEY
from northstar.audit.models import AuditEvent
from tests.helpers import DEFAULT_PASSWORD, sign_in

pytestmark = pytest.mark.django_db


def test_idle_session_expires_after_15_minutes(client, counsellor):
    sign_in(client, counsellor)
    assert client.get("/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=15, seconds=5)):
        response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_activity_keeps_the_session_alive(client, counsellor):
    sign_in(client, counsellor)
    start = timezone.now()
    for minutes in (10, 20, 30):
        with time_machine.travel(start + timedelta(minutes=minutes)):
            assert client.get("/").status_code == 200


def test_session_ends_12_hours_after_login_however_active(client, counsellor):
    sign_in(client, counsellor)
    session = client.session
    session[LOGIN_AT_KEY] = time.time() - 12 * 3600 - 1
    session.save()
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert AuditEvent.objects.filter(action="auth.session_expired", actor=counsellor).exists()
    assert client.get("/").status_code == 302


def test_session_cookie_lasts_for_the_browser_session_only(client, counsellor):
    client.post("/accounts/login/", {"login": counsellor.email, "password": DEFAULT_PASSWORD})
    cookie = client.cookies["sessionid"]
    assert cookie["expires"] == "" and cookie["max-age"] == ""
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_password_change_ends_other_sessions(client, counsellor):
    from django.test import Client

    other = sign_in(Client(), counsellor)
    sign_in(client, counsellor)
    new_password = "another-long-passphrase-77"
    with time_machine.travel(timezone.now()):
        session = client.session
        session["account_authentication_methods"] = [
            {"method": "password", "at": time.time(), "reauthenticated": True}]
        session["account_authentication_methods_user"] = str(counsellor.pk)
        session.save()
        response = client.post("/accounts/password/change/", {
            "oldpassword": DEFAULT_PASSWORD, "password1": new_password,
            "password2": new_password})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert other.get("/").status_code == 302


def test_deactivated_user_loses_access_immediately(client, counsellor, admin_user):
    from northstar.accounts.services import user_set_active

    sign_in(client, counsellor)
    user_set_active(actor=admin_user, user=counsellor, active=False)
    assert client.get("/").status_code == 302
    assert Session.objects.count() >= 1  # the session row may remain; it grants nothing
