"""The real sign-in flow through allauth: password, then TOTP; first login sets TOTP up."""

import pytest
from django.core import mail

from northstar.accounts.totp import totp_code, totp_enable
from northstar.audit.models import AuditEvent
from tests.factories import UserFactory
from tests.helpers import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXQ"


def password_step(client, user, password=DEFAULT_PASSWORD):
    return client.post("/accounts/login/", {"login": user.email, "password": password})


def test_user_with_totp_needs_the_code_before_any_page(client):
    user = UserFactory(counsellor=True)
    totp_enable(user, SECRET)
    response = password_step(client, user)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/").status_code == 302  # not signed in yet
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(SECRET)})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="auth.login", actor=user).count() == 1


def test_wrong_code_is_refused(client):
    user = UserFactory(counsellor=True)
    totp_enable(user, SECRET)
    password_step(client, user)
    wrong = f"{(int(totp_code(SECRET)) + 1) % 1_000_000:06d}"
    response = client.post("/accounts/2fa/authenticate/", {"code": wrong})
    assert response.status_code == 200
    assert client.get("/").status_code == 302


def test_a_used_code_cannot_be_replayed(client):
    user = UserFactory(counsellor=True)
    totp_enable(user, SECRET)
    code = totp_code(SECRET)
    password_step(client, user)
    client.post("/accounts/2fa/authenticate/", {"code": code})
    assert client.get("/").status_code == 200
    client.post("/accounts/logout/")

    password_step(client, user)
    response = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert response.status_code == 200  # form re-rendered with an error
    assert client.get("/").status_code == 302


def test_recovery_code_signs_in(client):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    user = UserFactory(counsellor=True)
    totp_enable(user, SECRET)
    codes = RecoveryCodes(Authenticator.objects.get(
        user=user, type=Authenticator.Type.RECOVERY_CODES)).get_unused_codes()
    password_step(client, user)
    client.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    assert client.get("/").status_code == 200


@pytest.mark.django_db(transaction=True)  # allauth marks the session in an on-commit hook
def test_first_login_without_mfa_is_sent_to_set_it_up(client):
    user = UserFactory(counsellor=True)
    response = password_step(client, user)
    assert response.status_code == 302
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="mfa.added", actor=user).exists()
    assert len(mail.outbox) <= 1  # allauth may notify of the new authenticator; no secrets
    for message in mail.outbox:
        assert secret not in message.body
