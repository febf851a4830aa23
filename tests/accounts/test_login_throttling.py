"""Login throttling (allauth rate limits, ``ACCOUNT_RATE_LIMITS``): by account, by address, of
the second factor, and of the login page itself. A throttled attempt is refused even with the
right password or code, with a clear message (or a 429 page), never a 500; it is a throttle,
not a lock-out: the limit lifts when its window has passed."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from northstar.accounts.totp import totp_code, totp_enable
from northstar.audit.models import AuditEvent
from tests.factories import UserFactory
from tests.helpers import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXQ"
WRONG = "wrong-password-123"
MISMATCH = "The email address and/or password you specified are not correct."
TOO_MANY = "Too many failed login attempts. Try again later."
ATTACKER = "203.0.113.7"  # documentation addresses (RFC 5737)
ELSEWHERE = "198.51.100.20"


def login(client, email, password, address=ATTACKER):
    return client.post("/accounts/login/", {"login": email, "password": password},
                       REMOTE_ADDR=address)


def form_errors(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    return response.context["form"].non_field_errors()


def signed_in(client) -> bool:
    return client.get("/").status_code == 200


def test_five_failures_on_one_account_throttle_it_even_with_the_right_password():
    user = UserFactory(counsellor=True)
    client = Client()
    assert [form_errors(login(client, user.email, WRONG)) for _ in range(5)] == [[MISMATCH]] * 5
    assert form_errors(login(client, user.email, WRONG)) == [TOO_MANY]
    assert form_errors(login(client, user.email, DEFAULT_PASSWORD)) == [TOO_MANY]
    assert not signed_in(client)
    assert "_auth_user_id" not in client.session
    # From another address too: the limit is the account's, not the browser's.
    assert form_errors(login(Client(), user.email, DEFAULT_PASSWORD, ELSEWHERE)) == [TOO_MANY]
    assert AuditEvent.objects.filter(action="auth.login_failed",
                                     object_id=str(user.pk)).count() == 5
    assert not AuditEvent.objects.filter(action="auth.login", actor=user).exists()
    # Another account from the same address is not affected (5 failures < 10 per address).
    other = UserFactory(counsellor=True)
    assert login(client, other.email, DEFAULT_PASSWORD).status_code == 302
    # A throttle, not a lock-out: five minutes later the right password works.
    with time_machine.travel(timezone.now() + timedelta(minutes=5, seconds=1)):
        response = login(Client(), user.email, DEFAULT_PASSWORD)
    assert response.status_code == 302


def test_ten_failures_from_one_address_throttle_every_account_from_it():
    victim = UserFactory(counsellor=True)
    client = Client()
    for n in range(10):  # ten different accounts, none existing: a spray, not a guess
        assert form_errors(login(client, f"spray{n}@staff.example", WRONG)) == [MISMATCH]
    assert form_errors(login(client, victim.email, DEFAULT_PASSWORD)) == [TOO_MANY]
    assert not signed_in(client)
    assert not AuditEvent.objects.filter(action="auth.login", actor=victim).exists()
    # The same account signs in from another address: the limit is the address's.
    other = Client()
    assert login(other, victim.email, DEFAULT_PASSWORD, ELSEWHERE).status_code == 302


def test_more_than_30_login_posts_a_minute_from_one_address_get_a_429_page():
    user = UserFactory(counsellor=True)
    client = Client()
    statuses = [login(client, f"visitor{n}@staff.example", WRONG).status_code
                for n in range(30)]
    assert statuses == [200] * 30
    response = login(client, user.email, DEFAULT_PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "<title>Please wait a moment · Northstar</title>" in page  # ours, not a bare page
    assert "Please try again in a few minutes." in page
    assert response["Content-Language"] == "en"
    assert not signed_in(client)
    # Another address is served normally.
    assert login(Client(), user.email, DEFAULT_PASSWORD, ELSEWHERE).status_code == 302


def test_second_factor_is_throttled_after_five_wrong_codes_even_for_the_right_code():
    user = UserFactory(counsellor=True)
    totp_enable(user, SECRET)
    client = Client()
    assert login(client, user.email, DEFAULT_PASSWORD).status_code == 302
    right = totp_code(SECRET)
    wrong = f"{(int(right) + 500_000) % 1_000_000:06d}"
    errors = []
    for _ in range(5):
        response = client.post("/accounts/2fa/authenticate/", {"code": wrong},
                               REMOTE_ADDR=ATTACKER)
        assert response.status_code == 200
        errors.append(response.context["form"].errors["code"])
    assert errors == [["Incorrect code."]] * 5
    response = client.post("/accounts/2fa/authenticate/", {"code": right}, REMOTE_ADDR=ATTACKER)
    assert response.status_code == 200
    assert response.context["form"].errors["code"] == [TOO_MANY]
    assert not signed_in(client)
    assert not AuditEvent.objects.filter(action="auth.login", actor=user).exists()
    # A fresh password step from elsewhere does not reset the second factor's counter.
    elsewhere = Client()
    assert login(elsewhere, user.email, DEFAULT_PASSWORD, ELSEWHERE).status_code == 302
    response = elsewhere.post("/accounts/2fa/authenticate/", {"code": right},
                              REMOTE_ADDR=ELSEWHERE)
    assert response.status_code == 200
    assert response.context["form"].errors["code"] == [TOO_MANY]
    assert not signed_in(elsewhere)
