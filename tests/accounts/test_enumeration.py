"""Neither the login page nor the password-reset page tells a visitor whether an account
exists, is deactivated or has an unverified address (``ACCOUNT_PREVENT_ENUMERATION``): the
responses are identical once the typed address, the CSRF token and the CSP nonce are taken
out. A password reset sends exactly one e-mail, to the address typed, whether or not it has
an account (only the owner of that mailbox learns which). Timing is not asserted."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from tests.factories import UserFactory
from tests.helpers import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db
WRONG = "wrong-password-123"
MISMATCH = "The email address and/or password you specified are not correct."


def normalised(response, email: str) -> tuple[int, str, list[str], str]:
    body = response.content.decode().replace(email, "EMAIL")
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", body)
    body = re.sub(r'"X-CSRFToken": "[^"]+"', "CSRF", body)
    body = re.sub(r'nonce="[^"]+"', "NONCE", body)
    return (response.status_code, response.get("Location", ""), sorted(response.cookies),
            body)


@pytest.fixture
def accounts():
    """Address → what the address is. Every one of them gets the same answers."""
    verified = UserFactory(counsellor=True, email="verified@staff.example")
    EmailAddress.objects.create(user=verified, email=verified.email, verified=True,
                                primary=True)
    unverified = UserFactory(counsellor=True, email="unverified@staff.example")
    EmailAddress.objects.create(user=unverified, email=unverified.email, verified=False,
                                primary=True)
    UserFactory(counsellor=True, email="no-address-row@staff.example")
    UserFactory(counsellor=True, email="deactivated@staff.example", is_active=False)
    return ["verified@staff.example", "unverified@staff.example",
            "no-address-row@staff.example", "deactivated@staff.example",
            "nobody@staff.example"]


def login(email, password):
    return Client().post("/accounts/login/", {"login": email, "password": password})


def test_wrong_password_gets_the_same_page_for_every_kind_of_address(accounts):
    answers = {email: normalised(login(email, WRONG), email) for email in accounts}
    reference = answers["nobody@staff.example"]
    assert reference[0] == 200 and MISMATCH in reference[3]
    assert {email: answer == reference
            for email, answer in answers.items()} == dict.fromkeys(accounts, True)


def test_a_deactivated_account_with_its_right_password_looks_like_a_wrong_password(accounts):
    client = Client()
    response = client.post("/accounts/login/", {"login": "deactivated@staff.example",
                                                "password": DEFAULT_PASSWORD})
    assert normalised(response, "deactivated@staff.example") == normalised(
        login("nobody@staff.example", WRONG), "nobody@staff.example")
    assert client.get("/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_reset_answers_the_same_and_sends_one_email_to_the_address_typed(accounts):
    answers = {}
    for email in accounts:
        mail.outbox.clear()
        client = Client()
        response = client.post("/accounts/password/reset/", {"email": email})
        done = client.get(response["Location"])
        answers[email] = (normalised(response, email), normalised(done, email))
        assert [message.to for message in mail.outbox] == [[email]]
        has_link = "/accounts/password/reset/key/" in mail.outbox[0].body
        assert has_link == (email not in ("deactivated@staff.example", "nobody@staff.example"))
    reference = answers["nobody@staff.example"]
    assert reference[0][:2] == (302, "/accounts/password/reset/done/")
    assert reference[1][0] == 200
    assert {email: answer == reference
            for email, answer in answers.items()} == dict.fromkeys(accounts, True)


def test_password_reset_is_throttled_alike_for_known_and_unknown_addresses(accounts):
    # From two addresses: the per-address limit (5 a minute) is not the one tested here.
    for email, address in (("verified@staff.example", "203.0.113.7"),
                           ("nobody@staff.example", "203.0.113.8")):
        mail.outbox.clear()
        client = Client()
        statuses = [client.post("/accounts/password/reset/", {"email": email},
                                REMOTE_ADDR=address).status_code for _ in range(4)]
        assert statuses == [302, 302, 302, 429], email
        assert len(mail.outbox) == 3
