import re
import threading
from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from northstar.accounts import services
from northstar.accounts.models import Invitation, Role, User
from northstar.audit.models import AuditEvent
from tests.factories import OrganisationFactory, UserFactory, network_organisation
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a-long-fresh-passphrase-42"


def invite(admin, email="new.person@staff.example", roles=None, organisation=None):
    return services.invitation_create(
        actor=admin, email=email, organisation=organisation or network_organisation(),
        roles=roles or {Role.COUNSELLOR},
    )


def accept(client, token, password=NEW_PASSWORD):
    opened = client.get(f"/invitations/{token}/")
    if opened.status_code != 302:
        return opened
    assert opened["Location"] == "/invitations/accept/"
    return client.post("/invitations/accept/", {
        "full_name": "New Person", "password1": password, "password2": password})


def test_admin_invites_through_the_page_and_an_email_carries_the_link(
        client, admin_user, django_capture_on_commit_callbacks):
    sign_in(client, admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/manage/invitations/new/", {
            "email": "Someone@Staff.example", "organisation": network_organisation().pk,
            "roles": ["counsellor", "coordinator"]})
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "someone@staff.example"
    assert invitation.roles == ["coordinator", "counsellor"]
    [message] = mail.outbox
    token = re.search(r"/invitations/([\w-]+)/", message.body).group(1)
    assert invitation.token_hash == services.hash_token(token)
    assert token not in str(AuditEvent.objects.values_list("details", flat=True))
    assert AuditEvent.objects.filter(action="invitation.created", actor=admin_user).exists()


def test_token_works_once(client, admin_user):
    _, token = invite(admin_user)
    assert client.get(f"/invitations/{token}/").status_code == 302
    assert client.get("/invitations/accept/").status_code == 200
    response = accept(client, token)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    user = User.objects.get(email="new.person@staff.example")
    assert user.roles == {Role.COUNSELLOR}
    assert user.organisation == network_organisation()
    assert EmailAddress.objects.get(user=user).verified
    assert client.get("/").status_code == 302  # still needs MFA

    other = client.__class__()
    assert other.get(f"/invitations/{token}/").status_code == 404
    assert accept(other, token).status_code == 404
    assert other.post("/invitations/accept/", {"full_name": "X", "password1": NEW_PASSWORD,
                                               "password2": NEW_PASSWORD}).status_code == 404
    assert User.objects.filter(email="new.person@staff.example").count() == 1


def test_token_does_not_work_after_72_hours(client, admin_user):
    _, token = invite(admin_user)
    with time_machine.travel(timezone.now() + timedelta(hours=72, seconds=1)):
        assert client.get(f"/invitations/{token}/").status_code == 404
        assert accept(client, token).status_code == 404
    assert not User.objects.filter(email="new.person@staff.example").exists()


def test_token_still_works_just_before_expiry(client, admin_user):
    _, token = invite(admin_user)
    with time_machine.travel(timezone.now() + timedelta(hours=71, minutes=59)):
        assert accept(client, token).status_code == 302


def test_revoked_token_does_not_work(client, admin_user):
    invitation, token = invite(admin_user)
    services.invitation_revoke(actor=admin_user, invitation=invitation)
    assert accept(client, token).status_code == 404


def test_weak_password_rerenders_with_the_message_and_keeps_the_token_usable(client,
                                                                            admin_user):
    _, token = invite(admin_user)
    response = accept(client, token, password="short")
    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()
    response = accept(client, token, password="password1234")
    assert "too common" in response.content.decode()
    assert not User.objects.filter(email="new.person@staff.example").exists()
    assert accept(client, token).status_code == 302


@pytest.mark.parametrize(
    ("roles", "partner"),
    [({Role.PARTNER}, False), ({Role.COUNSELLOR}, True), ({Role.PARTNER, Role.ADMIN}, True),
     (set(), False)],
)
def test_role_and_organisation_must_fit(admin_user, roles, partner):
    organisation = OrganisationFactory() if partner else network_organisation()
    with pytest.raises(ValidationError):
        services.invitation_create(actor=admin_user, email="x@staff.example",
                                   organisation=organisation, roles=roles)
    assert Invitation.objects.count() == 0


def test_existing_account_cannot_be_invited_again(admin_user):
    UserFactory(email="taken@staff.example")
    with pytest.raises(ValidationError):
        invite(admin_user, email="TAKEN@staff.example")


@pytest.mark.django_db(transaction=True)
def test_concurrent_acceptance_creates_one_account(require_postgres):
    admin = UserFactory(admin=True)
    _, token = invite(admin)
    outcomes = []

    def attempt():
        try:
            services.invitation_accept(token=token, full_name="Racer", password=NEW_PASSWORD)
            outcomes.append("ok")
        except services.InvitationInvalid:
            outcomes.append("invalid")
        except Exception as error:
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["invalid"] * 7 + ["ok"]
    assert User.objects.filter(email="new.person@staff.example").count() == 1
