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


# --- Session fixation, and what ends the other sessions ---------------------------------------

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXQ"


def planted_session(client) -> str:
    """A session id the visitor had before signing in (e.g. planted by an attacker)."""
    session = client.session
    session["planted"] = "yes"
    session.save()
    client.cookies["sessionid"] = session.session_key
    return session.session_key


def test_session_id_changes_when_the_password_is_accepted_and_after_the_second_factor():
    from django.test import Client

    from northstar.accounts.totp import totp_code, totp_enable
    from tests.factories import UserFactory

    user = UserFactory(counsellor=True)
    totp_enable(user, SECRET)
    client = Client()
    planted = planted_session(client)
    response = client.post("/accounts/login/", {"login": user.email,
                                                "password": DEFAULT_PASSWORD})
    assert response["Location"] == "/accounts/2fa/authenticate/"
    after_password = client.cookies["sessionid"].value
    assert after_password != planted
    assert not Session.objects.filter(session_key=planted).exists()
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(SECRET)})
    assert response.status_code == 302
    after_mfa = client.cookies["sessionid"].value
    assert after_mfa not in (planted, after_password)
    assert client.get("/").status_code == 200
    # Whoever kept the planted id (or the one between the two steps) holds nothing.
    for stale in (planted, after_password):
        attacker = Client()
        attacker.cookies["sessionid"] = stale
        assert attacker.get("/").status_code == 302
        assert attacker.post("/accounts/2fa/authenticate/",
                             {"code": totp_code(SECRET)}).status_code == 302


@pytest.mark.django_db(transaction=True)  # allauth marks the session in an on-commit hook
def test_session_id_changes_when_totp_is_first_set_up():
    from django.test import Client

    from northstar.accounts.totp import totp_code
    from tests.factories import UserFactory

    user = UserFactory(counsellor=True)
    client = Client()
    planted = planted_session(client)
    client.post("/accounts/login/", {"login": user.email, "password": DEFAULT_PASSWORD})
    password_only = client.cookies["sessionid"].value
    assert password_only != planted
    client.get("/accounts/2fa/totp/activate/")
    secret = client.session["mfa.totp.secret"]
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert client.cookies["sessionid"].value not in (planted, password_only)
    assert client.get("/").status_code == 200
    stale = Client()
    stale.cookies["sessionid"] = password_only
    assert stale.get("/").status_code == 302


def test_password_reset_ends_every_session_and_signs_nobody_in(client, counsellor):
    import re

    from django.core import mail
    from django.test import Client

    signed_in_elsewhere = sign_in(Client(), counsellor)
    assert signed_in_elsewhere.get("/").status_code == 200
    response = client.post("/accounts/password/reset/", {"email": counsellor.email})
    assert response.status_code == 302
    link = re.search(r"http://[^/]+(/accounts/password/reset/key/\S+)", mail.outbox[0].body)
    form_page = client.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    new_password = "a-brand-new-passphrase-42"
    response = client.post(form_page.redirect_chain[-1][0] if form_page.redirect_chain
                           else link.group(1),
                           {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/key/done/"
    assert signed_in_elsewhere.get("/").status_code == 302
    assert client.get("/").status_code == 302  # ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
    counsellor.refresh_from_db()
    assert counsellor.check_password(new_password)


def test_deactivation_ends_the_sessions_and_reactivation_does_not_revive_them(
        client, counsellor, admin_user):
    from northstar.accounts.services import user_set_active

    sign_in(client, counsellor)
    key = client.session.session_key
    user_set_active(actor=admin_user, user=counsellor, active=False)
    assert not Session.objects.filter(session_key=key).exists()
    assert client.post("/session/keep-alive/").status_code == 401
    user_set_active(actor=admin_user, user=counsellor, active=True)
    assert client.get("/").status_code == 302


def test_removing_a_role_ends_the_users_sessions_and_the_role_is_gone(client, admin_user):
    from django.test import Client

    from northstar.accounts.models import Role
    from northstar.accounts.services import user_roles_set
    from tests.factories import UserFactory

    user = UserFactory(counsellor=True, admin=True)
    bystander = sign_in(Client(), UserFactory(counsellor=True))
    sign_in(client, user)
    assert client.get("/audit/").status_code == 200
    user_roles_set(actor=admin_user, user=user, roles={Role.COUNSELLOR})
    assert client.get("/audit/").status_code == 302  # signed out: sign in again
    sign_in(client, user)
    assert client.get("/audit/").status_code == 403
    assert client.get("/cases/").status_code == 200
    assert bystander.get("/").status_code == 200  # nobody else's session ended
    # Adding a role leaves the session alone.
    user_roles_set(actor=admin_user, user=user, roles={Role.COUNSELLOR, Role.ADMIN})
    assert client.get("/audit/").status_code == 200


# --- Expired sessions: JSON clients get 401 JSON, browsers the login page ---------------------

API_CALLS = [("/session/keep-alive/", None), ("/api/eligibility/screen/", "{}")]


def api_call(client, path, body):
    if body is None:
        return client.post(path, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    return client.post(path, data=body, content_type="application/json")


def twelve_hours_ago(client):
    session = client.session
    session[LOGIN_AT_KEY] = time.time() - 12 * 3600 - 1
    session.save()


@pytest.mark.parametrize(("path", "body"), API_CALLS)
def test_api_call_after_the_12_hours_gets_401_json_not_a_login_page(client, counsellor,
                                                                      path, body):
    sign_in(client, counsellor)
    twelve_hours_ago(client)
    response = api_call(client, path, body)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"errors": [{"message": "session expired"}]}
    assert "Location" not in response
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert AuditEvent.objects.filter(action="auth.session_expired", actor=counsellor).count() == 1
    assert client.get("/").status_code == 302  # the session is over for pages too


@pytest.mark.parametrize(("path", "body"), API_CALLS)
def test_api_call_after_15_idle_minutes_gets_401_json(client, counsellor, path, body):
    sign_in(client, counsellor)
    with time_machine.travel(timezone.now() + timedelta(minutes=15, seconds=5)):
        response = api_call(client, path, body)
    assert response.status_code == 401
    assert response.json() == {"errors": [{"message": "authentication required"}]}
    assert "Location" not in response


def test_unknown_api_url_after_the_12_hours_gets_401_json(client, counsellor):
    sign_in(client, counsellor)
    twelve_hours_ago(client)
    response = client.get("/api/no-such-endpoint/")
    assert response.status_code == 401
    assert response.json() == {"errors": [{"message": "session expired"}]}


def test_page_after_the_12_hours_still_redirects_the_browser_to_login(client, counsellor):
    sign_in(client, counsellor)
    twelve_hours_ago(client)
    response = client.get("/cases/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/cases/"
    page = client.get(response["Location"])
    assert "Your session has ended. Please sign in again." in page.content.decode()


def test_an_admin_removing_a_role_of_their_own_keeps_this_session_and_ends_the_others(client):
    from django.test import Client

    from tests.factories import UserFactory

    admin = UserFactory(counsellor=True, admin=True)
    elsewhere = sign_in(Client(), admin)
    sign_in(client, admin)
    response = client.post(f"/manage/users/{admin.pk}/", {"roles": ["admin"]})
    assert response.status_code == 302
    assert response["Location"] == "/manage/users/"
    assert client.get("/manage/users/").status_code == 200
    assert client.get("/cases/").status_code == 403
    assert elsewhere.get("/").status_code == 302
