"""No personal data or secret in any log line the flows produce (log level DEBUG)."""

import logging
import re

import pytest
from django.core import mail

from northstar.accounts import services
from northstar.accounts.models import Role
from northstar.accounts.totp import totp_code, totp_enable
from tests.factories import UserFactory, network_organisation

pytestmark = pytest.mark.django_db

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXK"
NEW_PASSWORD = "marker-passphrase-q8x2z"


def test_flows_log_no_addresses_passwords_tokens_or_codes(client, caplog,
                                                         django_capture_on_commit_callbacks):
    caplog.set_level(logging.DEBUG)
    admin = UserFactory(admin=True, email="marker.admin@staff.example")
    with django_capture_on_commit_callbacks(execute=True):
        _, token = services.invitation_create(
            actor=admin, email="marker.invitee@staff.example",
            organisation=network_organisation(), roles={Role.COUNSELLOR})
    client.get(f"/invitations/{token}/")
    client.post("/invitations/accept/", {"full_name": "Marker Invitee",
                                         "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"login": "marker.admin@staff.example",
                                     "password": "marker-wrong-password"})
    totp_enable(admin, SECRET)
    code = totp_code(SECRET)
    client.post("/accounts/login/", {"login": "marker.admin@staff.example",
                                     "password": "correct-horse-battery-9"})
    client.post("/accounts/2fa/authenticate/", {"code": code})
    client.get("/audit/")
    client.get("/no-such-page/")

    logged = caplog.text
    assert len(caplog.records) > 0  # positive control: the flows did log
    assert len(mail.outbox) == 1 and token in mail.outbox[0].body  # the e-mail is the channel
    for marker in ("marker.admin", "marker.invitee", "Marker Invitee", NEW_PASSWORD,
                   "marker-wrong-password", "correct-horse", token, SECRET, code):
        assert marker not in logged, f"{marker!r} leaked into the logs"
    assert not re.search(r"/invitations/[\w-]{20,}/", logged)
