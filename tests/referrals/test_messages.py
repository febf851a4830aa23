"""The thread between coordinator and partner: a form sent twice posts one message and notifies
the other side once (a double click; a "try again" page for a request that had committed)."""

import re

import pytest
from django.test import Client

from northstar.audit.models import AuditEvent
from referrals.models import OutboxMessage, ReferralMessage
from referrals.models import ReferralStatus as S
from tests.helpers import sign_in
from tests.referrals.referral_helpers import draft_for, make_world, walk_to

pytestmark = pytest.mark.django_db

SUBMISSION = re.compile(r'<input type="hidden" name="submission" value="([0-9a-f-]{36})"')


def accepted_referral():
    world = make_world()
    referral = walk_to(draft_for(world.case, world.partner, world.coordinator), S.ACCEPTED,
                       coordinator=world.coordinator, partner=world.partner.user)
    return world, referral


def form_id(client, url: str) -> str:
    found = SUBMISSION.findall(client.get(url).content.decode())
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("side", ["partner", "coordinator"])
def test_the_same_message_form_sent_twice_posts_one_message(side):
    world, referral = accepted_referral()
    if side == "partner":
        client = sign_in(Client(), world.partner.user)
        page = f"/portal/referrals/{referral.reference}/"
        post = f"/portal/referrals/{referral.reference}/messages/"
        data = {"body": "Checked in tonight.", "is_progress_update": "on"}
    else:
        client = sign_in(Client(), world.coordinator)
        page = f"/referrals/{referral.reference}/"
        post = f"/referrals/{referral.reference}/messages/"
        data = {"body": "Thank you, noted."}
    data["submission"] = form_id(client, page)
    notices_before = OutboxMessage.objects.filter(kind="message").count()

    answers = [client.post(post, data, follow=True) for _ in range(2)]

    assert [answer.status_code for answer in answers] == [200, 200]
    assert all("Message sent." in answer.content.decode() for answer in answers)
    assert [message.body for message in ReferralMessage.objects.filter(referral=referral)] == [
        data["body"]]
    assert OutboxMessage.objects.filter(kind="message").count() == notices_before + 1
    assert AuditEvent.objects.filter(action="referral.message_posted").count() == 1


def test_two_forms_are_two_messages_and_a_page_shows_a_new_id_each_time():
    world, referral = accepted_referral()
    client = sign_in(Client(), world.partner.user)
    page = f"/portal/referrals/{referral.reference}/"
    first, second = form_id(client, page), form_id(client, page)
    assert first != second
    for submission in (first, second):
        client.post(f"/portal/referrals/{referral.reference}/messages/",
                    {"body": "Same words.", "submission": submission})
    assert ReferralMessage.objects.filter(referral=referral).count() == 2
