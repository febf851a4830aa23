"""Acceptance 5: the partner portal shows only the packet's fields (every rendered field is
compared with the share profile and the snapshot) and nothing of other organisations; its
queue costs the same number of queries for 5 or 50 referrals."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from northstar.audit.models import AuditEvent
from referrals import packets
from referrals.models import Referral, ServiceType
from referrals.models import ReferralStatus as S
from tests.factories import UserFactory
from tests.helpers import sign_in
from tests.referrals.referral_helpers import (
    draft_for,
    give_consent,
    make_case,
    make_partner,
    make_world,
    send,
    walk_to,
)

pytestmark = pytest.mark.django_db

# A value planted in the case for each field (as it renders), and values never shared.
PLANTED = {
    "family_name": "Testcase", "alias": "Mari T.", "date_of_birth": "1994-03-12",
    "contact_details": "+1 555 0100 7788", "code_word": "herongate",
    "detention_risk": "High risk", "relatives_in_canada": "Brother",
    "prior_claims": "Asylum (affirmative, I-589)", "fear_grounds": "Particular social group",
    "us_status": "Asylum application pending", "entry_mode": "At a land border crossing",
    "education": "Secondary diploma", "household_members": "son, age",
}
NEVER_SHARED = ["Plattsburghville", "Quillon", "Evenings", "Check-in with ICE", "heron gate"]


class PacketParser(HTMLParser):
    """Collects data-packet-field names and the text of each data-packet-value."""

    def __init__(self):
        super().__init__()
        self.fields: list[str] = []
        self.values: dict[str, str] = {}
        self._current: str | None = None
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "data-packet-field" in attributes:
            self.fields.append(attributes["data-packet-field"])
        if "data-packet-value" in attributes:
            self._current, self._depth = attributes["data-packet-value"], 0
            self.values[self._current] = ""
        elif self._current:
            self._depth += 1

    def handle_endtag(self, tag):
        if self._current and self._depth == 0 and tag == "dd":
            self._current = None
        elif self._current:
            self._depth -= 1

    def handle_data(self, data):
        if self._current:
            self.values[self._current] += data


def parsed(html: str) -> PacketParser:
    parser = PacketParser()
    parser.feed(html)
    return parser


def normalised(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("service_type", ServiceType.values)
@pytest.mark.parametrize("share", ["minimum", "everything"])
def test_portal_shows_exactly_the_packet_fields_of_the_share_profile(service_type, share):
    coordinator = UserFactory(coordinator=True)
    case = make_case(coordinator)
    partner = make_partner(service_type)
    give_consent(case, coordinator, partner=partner)
    give_consent(case, coordinator, partner=partner, purpose="contact")
    profile = packets.share_profile(service_type)
    wanted = profile.optional if share == "everything" else ()
    referral = send(draft_for(case, partner, coordinator, wanted), coordinator)

    html = sign_in(Client(), partner.user).get(
        f"/portal/referrals/{referral.reference}/").content.decode()
    page = parsed(html)
    expected = list(profile.allowed if share == "everything" else profile.minimum)
    assert page.fields == expected
    assert referral.packet_fields == expected
    assert [name for name, _value in referral.packet["fields"]] == expected
    assert set(page.fields) <= set(profile.allowed)
    # Each rendered value is the snapshot's, as the packet renders it.
    rows = {row.name: row for row in packets.packet_rows(referral.packet)}
    for name in page.fields:
        shown = normalised(page.values[name])
        assert shown == normalised("".join(rows[name].values) if rows[name].values
                                   else rows[name].value), name
    for name, planted in PLANTED.items():
        assert (planted in html) == (name in page.fields), (name, planted)
    for value in [*NEVER_SHARED, case.number]:
        assert value not in html
    assert "data-coordinator-note" not in html  # no note was written


def test_the_partner_sees_what_the_coordinator_previewed():
    world = make_world("legal_aid")
    referral = draft_for(world.case, world.partner, world.coordinator,
                         ["prior_claims", "relatives_in_canada"])
    coordinator = sign_in(Client(), world.coordinator)
    preview = parsed(coordinator.get(f"/referrals/{referral.reference}/").content.decode())
    send(referral, world.coordinator)
    portal = parsed(sign_in(Client(), world.partner.user).get(
        f"/portal/referrals/{referral.reference}/").content.decode())
    assert portal.fields == preview.fields
    assert {k: normalised(v) for k, v in portal.values.items()} == {
        k: normalised(v) for k, v in preview.values.items()}


def test_the_packet_is_a_snapshot_and_opening_it_is_audited():
    world = make_world()
    referral = send(draft_for(world.case, world.partner, world.coordinator), world.coordinator)
    client = world.case.client
    client.given_name = "Renamed"
    client.save()
    html = sign_in(Client(), world.partner.user).get(
        f"/portal/referrals/{referral.reference}/").content.decode()
    assert "Marisol" in html and "Renamed" not in html
    opened = AuditEvent.objects.get(action="referral.packet_opened")
    assert (opened.actor_id, opened.object_id) == (world.partner.user.pk, str(referral.pk))
    assert opened.details["fields"] == referral.packet_fields


def test_nothing_of_other_organisations_is_visible():
    world = make_world()
    mine = walk_to(draft_for(world.case, world.partner, world.coordinator), S.SENT,
                   coordinator=world.coordinator, partner=world.partner.user)
    theirs = walk_to(draft_for(world.case, world.other_partner, world.coordinator), S.ACCEPTED,
                     coordinator=world.coordinator, partner=world.other_partner.user)
    second_case = make_case(world.coordinator)
    give_consent(second_case, world.coordinator, partner=world.other_partner)
    their_closed = walk_to(draft_for(second_case, world.other_partner, world.coordinator),
                           S.DECLINED, coordinator=world.coordinator,
                           partner=world.other_partner.user)
    portal = sign_in(Client(), world.partner.user)
    for queue in ("new", "accepted", "in_progress", "closed"):
        html = portal.get("/portal/", {"queue": queue}).content.decode()
        assert theirs.reference not in html and their_closed.reference not in html
        assert world.other_partner.organisation.name not in html
    assert f'data-referral="{mine.reference}"' in portal.get("/portal/").content.decode()
    assert 'data-count="accepted">0<' in portal.get("/portal/").content.decode()
    for suffix in ("", "accept/", "decline/", "start/", "complete/", "hand-back/",
                   "messages/"):
        url = f"/portal/referrals/{theirs.reference}/{suffix}"
        response = portal.get(url) if not suffix else portal.post(
            url, {"reason": "other", "body": "x", "hand_back-note": "x"})
        assert response.status_code == 404, url
    assert Referral.objects.get(pk=theirs.pk).status == S.ACCEPTED
    # A draft addressed to my organisation is not mine to see yet.
    draft = draft_for(make_case(world.coordinator), world.partner, world.coordinator)
    give_consent(draft.case, world.coordinator, partner=world.partner)
    assert portal.get(f"/portal/referrals/{draft.reference}/").status_code == 404
    assert draft.reference not in portal.get("/portal/").content.decode()


def make_sent_referrals(count: int, partner, case, actor) -> None:
    now = timezone.now()
    Referral.objects.bulk_create(
        Referral(case=case, partner=partner.organisation, service=partner.service,
                 service_type=partner.service.service_type, status=S.SENT, created_by=actor,
                 sent_at=now, packet={"fields": []}) for _ in range(count))


@pytest.mark.parametrize("queue", ["new", "closed"])
def test_the_queue_is_constant_query(queue):
    coordinator = UserFactory(coordinator=True)
    case = make_case(coordinator)
    small, large = make_partner(), make_partner()
    make_sent_referrals(5, small, case, coordinator)
    make_sent_referrals(50, large, case, coordinator)
    if queue == "closed":
        Referral.objects.update(status=S.DECLINED, closed_at=timezone.now())
    counts = []
    for partner, expected_rows in ((small, 5), (large, 25)):
        client = sign_in(Client(), partner.user)
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/portal/", {"queue": queue})
        assert response.content.decode().count("data-referral=") == expected_rows
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_deactivated_organisation_reaches_nothing_and_is_not_notified():
    """The network deactivates a partner organisation (partnership ended, an account there
    suspected compromised): its users' open sessions reach no referral, no packet and no
    portal page, and no notification goes to them; the referral itself stays for the
    coordinator to withdraw or redirect."""
    from referrals.models import OutboxMessage
    from referrals.outbox import recipients_for

    world = make_world()
    referral = walk_to(draft_for(world.case, world.partner, world.coordinator), S.ACCEPTED,
                       coordinator=world.coordinator, partner=world.partner.user)
    portal = sign_in(Client(), world.partner.user)
    assert portal.get(f"/portal/referrals/{referral.reference}/").status_code == 200
    notice = OutboxMessage.objects.filter(recipient_organisation=world.partner.organisation)
    assert recipients_for(notice.latest("pk")) == [world.partner.user.email]
    opened_before = AuditEvent.objects.filter(action="referral.packet_opened").count()

    world.partner.organisation.is_active = False
    world.partner.organisation.save(update_fields=["is_active"])

    assert portal.get("/portal/").status_code == 403
    for suffix in ("", "accept/", "decline/", "start/", "complete/", "hand-back/",
                   "messages/"):
        url = f"/portal/referrals/{referral.reference}/{suffix}"
        response = portal.get(url) if not suffix else portal.post(
            url, {"reason": "other", "body": "x", "hand_back-note": "x"})
        assert response.status_code == 403, url
    home = portal.get("/").content.decode()
    assert referral.reference not in home
    assert Referral.objects.get(pk=referral.pk).status == S.ACCEPTED
    assert AuditEvent.objects.filter(action="referral.packet_opened").count() == opened_before
    assert recipients_for(notice.latest("pk")) == []
