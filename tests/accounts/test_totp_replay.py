"""A one-time code works once: not in a second browser, not later within the clock-drift
tolerance (MFA_TOTP_TOLERANCE = 1: a code is valid for three 30 s steps), not a code older
than the last one used, and not the code that set the authenticator up. Recovery codes are
single-use too. Time is frozen (time_machine) so that every step boundary is exact."""

import time

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.test import Client

from northstar.accounts.totp import TOTP_PERIOD, totp_code, totp_enable
from northstar.audit.models import AuditEvent
from tests.factories import UserFactory
from tests.helpers import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXQ"


def step_start(offset_steps: int = 2) -> float:
    """One second into a time step a little in the future (so travelling never goes back)."""
    return (int(time.time()) // TOTP_PERIOD + offset_steps) * TOTP_PERIOD + 1


def second_factor(user, code) -> tuple[Client, int]:
    """A fresh browser: password, then ``code``. Returns it and the code step's status."""
    client = Client()
    response = client.post("/accounts/login/", {"login": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"
    response = client.post("/accounts/2fa/authenticate/", {"code": code})
    return client, response.status_code


def signed_in(client) -> bool:
    return client.get("/").status_code == 200


def logins(user) -> int:
    return AuditEvent.objects.filter(action="auth.login", actor=user).count()


@pytest.fixture
def user():
    user = UserFactory(counsellor=True)
    totp_enable(user, SECRET)
    return user


def test_a_code_used_in_one_browser_is_refused_in_another_at_once(user):
    start = step_start()
    with time_machine.travel(start, tick=False):
        code = totp_code(SECRET)
        first, status = second_factor(user, code)
        assert status == 302 and signed_in(first)
        second, status = second_factor(user, code)
        assert status == 200
        assert not signed_in(second)
    assert logins(user) == 1


@pytest.mark.parametrize("later", [TOTP_PERIOD + 10, 2 * TOTP_PERIOD - 2])
def test_a_used_code_stays_refused_for_as_long_as_the_tolerance_accepts_it(user, later):
    start = step_start()
    code = totp_code(SECRET, at=start)
    with time_machine.travel(start, tick=False):
        _, status = second_factor(user, code)
        assert status == 302
    with time_machine.travel(start + later, tick=False):
        # Still inside the tolerance: a fresh code of the previous step is accepted…
        assert totp_code(SECRET) != code
        replay, status = second_factor(user, code)
        assert status == 200
        assert not signed_in(replay)
        # …and the current code still works: it is the replay that is refused.
        fresh, status = second_factor(user, totp_code(SECRET))
        assert status == 302 and signed_in(fresh)
    assert logins(user) == 2


def test_a_code_older_than_the_last_one_used_is_refused(user):
    start = step_start()
    with time_machine.travel(start, tick=False):
        next_step_code = totp_code(SECRET, at=start + TOTP_PERIOD)  # a fast clock's code
        current = totp_code(SECRET)
        client, status = second_factor(user, next_step_code)
        assert status == 302
        client, status = second_factor(user, current)
        assert status == 200
        assert not signed_in(client)
    assert logins(user) == 1


def test_an_unused_code_from_the_previous_step_is_accepted_once(user):
    start = step_start()
    previous = totp_code(SECRET, at=start - TOTP_PERIOD)
    with time_machine.travel(start, tick=False):
        client, status = second_factor(user, previous)
        assert status == 302 and signed_in(client)


@pytest.mark.django_db(transaction=True)  # allauth marks the session in an on-commit hook
def test_the_code_that_set_up_totp_cannot_also_sign_in():
    user = UserFactory(counsellor=True)
    start = step_start()
    with time_machine.travel(start, tick=False):
        client = Client()
        client.post("/accounts/login/", {"login": user.email, "password": DEFAULT_PASSWORD})
        assert client.get("/accounts/2fa/totp/activate/").status_code == 200
        secret = client.session["mfa.totp.secret"]
        code = totp_code(secret)
        response = client.post("/accounts/2fa/totp/activate/", {"code": code})
        assert response.status_code == 302
        assert signed_in(client)
        _, status = second_factor(user, code)
        assert status == 200
    with time_machine.travel(start + TOTP_PERIOD, tick=False):
        other, status = second_factor(user, totp_code(secret))
        assert status == 302 and signed_in(other)


def test_a_recovery_code_works_once(user):
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    codes = RecoveryCodes(authenticator).get_unused_codes()
    assert len(codes) == 10
    first, status = second_factor(user, codes[0])
    assert status == 302 and signed_in(first)
    second, status = second_factor(user, codes[0])
    assert status == 200
    assert not signed_in(second)
    authenticator.refresh_from_db()
    assert RecoveryCodes(authenticator).get_unused_codes() == codes[1:]
    third, status = second_factor(user, codes[1])
    assert status == 302 and signed_in(third)
