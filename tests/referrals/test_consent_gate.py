"""Acceptance 3: sending is refused without a consent in force that covers the partner (or its
service type) and without a data-sharing agreement in force — no outbox row, no e-mail. And
withdrawing consent after sending tells the partner and takes the packet away."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.test import Client

from intake.consent import consent_withdraw
from northstar.audit.models import AuditEvent
from referrals.models import DataSharingAgreement, OutboxMessage, Referral, ReferralEvent
from referrals.models import ReferralStatus as S
from tests.factories import UserFactory
from tests.helpers import sign_in
from tests.referrals.factories import DataSharingAgreementFactory
from tests.referrals.referral_helpers import (
    TODAY,
    draft_for,
    give_consent,
    make_case,
    make_partner,
    send,
    walk_to,
)

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def expired_consent(case, actor, partner):
    give_consent(case, actor, partner=partner, given_on=TODAY - 30 * DAY,
                 expires_on=TODAY - DAY)


def withdrawn_consent(case, actor, partner):
    consent_withdraw(actor=actor, consent=give_consent(case, actor, partner=partner))


def expired_and_another_partners(case, actor, partner):
    expired_consent(case, actor, partner)
    give_consent(case, actor, partner=make_partner())


def other_partner_only(case, actor, partner):
    give_consent(case, actor, partner=make_partner())


def other_service_type_only(case, actor, partner):
    give_consent(case, actor, service_type="legal_aid")


def contact_purpose_only(case, actor, partner):
    give_consent(case, actor, partner=partner, purpose="contact")


def agreement_expired(case, actor, partner):
    give_consent(case, actor, partner=partner)
    DataSharingAgreement.objects.filter(organisation=partner.organisation).update(
        signed_on=TODAY - 400 * DAY, expires_on=TODAY - DAY)


def agreement_missing(case, actor, partner):
    give_consent(case, actor, partner=partner)
    DataSharingAgreement.objects.filter(organisation=partner.organisation).delete()


def agreement_not_yet_signed(case, actor, partner):
    give_consent(case, actor, partner=partner)
    DataSharingAgreement.objects.filter(organisation=partner.organisation).update(
        signed_on=TODAY + DAY, expires_on=TODAY + 400 * DAY)


SITUATIONS = {
    "consent missing": (lambda case, actor, partner: None, "No consent"),
    "consent expired": (expired_consent, "No consent"),
    "consent withdrawn": (withdrawn_consent, "No consent"),
    "consent expired, another partner's in force": (expired_and_another_partners,
                                                     "No consent"),
    "consent for another partner only": (other_partner_only, "No consent"),
    "consent for another service type only": (other_service_type_only, "No consent"),
    "consent to be contacted only, not to share": (contact_purpose_only, "No consent"),
    "agreement expired": (agreement_expired, "no data-sharing agreement"),
    "agreement missing": (agreement_missing, "no data-sharing agreement"),
    "agreement not yet in force": (agreement_not_yet_signed, "no data-sharing agreement"),
}


@pytest.mark.parametrize("situation", list(SITUATIONS))
def test_send_is_refused_and_nothing_is_queued_or_delivered(
        situation, django_capture_on_commit_callbacks):
    coordinator = UserFactory(coordinator=True)
    case = make_case(coordinator)
    partner = make_partner()
    prepare, message = SITUATIONS[situation]
    prepare(case, coordinator, partner)
    referral = draft_for(case, partner, coordinator)
    client = sign_in(Client(), coordinator)
    detail = client.get(f"/referrals/{referral.reference}/").content.decode()
    fingerprint = re.search(r'name="fingerprint" value="([0-9a-f]+)"', detail)
    assert fingerprint is None  # no send button without consent and agreement
    from referrals.selectors import draft_preview

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(f"/referrals/{referral.reference}/send/",
                               {"fingerprint": draft_preview(referral)["fingerprint"]})
    assert response.status_code == 409
    assert message in response.content.decode()
    referral.refresh_from_db()
    assert (referral.status, referral.sent_at, referral.packet, referral.consent) == (
        S.DRAFT, None, None, None)
    assert OutboxMessage.objects.count() == 0
    assert mail.outbox == []
    assert callbacks == [] or all(c.__qualname__ == "seal_after_commit" for c in callbacks)
    assert not ReferralEvent.objects.filter(referral=referral, kind="transition").exists()
    assert not AuditEvent.objects.filter(action="referral.sent").exists()


def test_a_consent_for_the_service_type_covers_every_partner_of_that_type(
        django_capture_on_commit_callbacks):
    coordinator = UserFactory(coordinator=True)
    case = make_case(coordinator)
    partner = make_partner("legal_aid")
    consent = give_consent(case, coordinator, service_type="legal_aid")
    with django_capture_on_commit_callbacks(execute=True):
        referral = send(draft_for(case, partner, coordinator), coordinator)
    assert (referral.status, referral.consent) == (S.SENT, consent)
    assert OutboxMessage.objects.get().kind == "referral_sent"
    assert [message.bcc for message in mail.outbox] == [[partner.user.email]]


def test_contact_details_need_a_consent_to_be_contacted():
    coordinator = UserFactory(coordinator=True)
    case = make_case(coordinator)
    partner = make_partner()
    give_consent(case, coordinator, partner=partner)
    wanted = ["contact_details", "code_word", "safe_to_call"]
    without = send(draft_for(case, partner, coordinator, wanted), coordinator)
    fields = dict(without.packet["fields"])
    assert "contact_details" not in fields and "code_word" not in fields
    assert fields["safe_to_call"] is False
    assert without.packet["withheld"] == ["contact_details", "code_word"]

    other = make_partner()
    give_consent(case, coordinator, partner=other)
    give_consent(case, coordinator, partner=other, purpose="contact")
    with_contact = send(draft_for(case, other, coordinator, wanted), coordinator)
    fields = dict(with_contact.packet["fields"])
    assert (fields["contact_details"], fields["code_word"]) == ("+1 555 0100 7788",
                                                                "herongate")
    assert with_contact.packet["withheld"] == []


def test_consent_withdrawn_between_preview_and_send_refuses_the_send():
    coordinator = UserFactory(coordinator=True)
    case = make_case(coordinator)
    partner = make_partner()
    consent = give_consent(case, coordinator, partner=partner)
    referral = draft_for(case, partner, coordinator)
    from referrals.selectors import draft_preview

    fingerprint = draft_preview(referral)["fingerprint"]
    consent_withdraw(actor=coordinator, consent=consent)
    client = sign_in(Client(), coordinator)
    response = client.post(f"/referrals/{referral.reference}/send/",
                           {"fingerprint": fingerprint})
    assert response.status_code == 409
    assert Referral.objects.get(pk=referral.pk).status == S.DRAFT
    assert OutboxMessage.objects.count() == 0


@pytest.mark.parametrize("status", [S.SENT, S.ACCEPTED, S.IN_PROGRESS])
def test_withdrawing_consent_after_sending_notifies_the_partner_and_revokes_the_packet(
        status, django_capture_on_commit_callbacks):
    counsellor = UserFactory(counsellor=True)
    case = make_case(counsellor)
    partner, other = make_partner(), make_partner()
    consent = give_consent(case, counsellor, partner=partner)
    give_consent(case, counsellor, partner=other)
    referral = walk_to(draft_for(case, partner, counsellor), status, coordinator=counsellor,
                       partner=partner.user)
    untouched = walk_to(draft_for(case, other, counsellor), S.SENT, coordinator=counsellor,
                        partner=other.user)
    portal = sign_in(Client(), partner.user)
    assert "Marisol" in portal.get(f"/portal/referrals/{referral.reference}/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = sign_in(Client(), counsellor).post(
            f"/cases/{case.number}/consents/{consent.pk}/withdraw/")
    assert response.status_code == 302

    referral.refresh_from_db()
    assert referral.status == S.WITHDRAWN
    assert referral.packet is None and referral.packet_revoked_at is not None
    assert referral.packet_fields  # what had been shared stays on record, by name
    page = portal.get(f"/portal/referrals/{referral.reference}/").content.decode()
    assert "data-packet-field" not in page and "Marisol" not in page
    assert "withdrew their consent" in page
    notice = OutboxMessage.objects.get(referral=referral, kind="consent_withdrawn")
    assert notice.recipient_organisation == partner.organisation
    assert notice.delivered_at is not None
    delivered = [m for m in mail.outbox if m.extra_headers["Message-ID"].startswith(
        f"<{referral.reference}.withdrawn.partner@")]
    assert len(delivered) == 1 and delivered[0].bcc == [partner.user.email]
    assert "Marisol" not in delivered[0].body and case.number not in delivered[0].body
    assert ReferralEvent.objects.filter(referral=referral, kind="packet_revoked").count() == 1
    assert AuditEvent.objects.filter(action="referral.packet_revoked",
                                     object_id=str(referral.pk)).count() == 1
    # A referral sent under another consent that still stands is not touched.
    untouched.refresh_from_db()
    assert untouched.status == S.SENT and untouched.packet is not None


def test_consent_withdrawn_after_a_referral_closed_still_wipes_its_packet():
    counsellor = UserFactory(counsellor=True)
    case = make_case(counsellor)
    partner = make_partner()
    consent = give_consent(case, counsellor, partner=partner)
    referral = walk_to(draft_for(case, partner, counsellor), S.COMPLETED,
                       coordinator=counsellor, partner=partner.user)
    outbox_before = OutboxMessage.objects.count()
    consent_withdraw(actor=counsellor, consent=consent)
    referral.refresh_from_db()
    assert (referral.status, referral.packet) == (S.COMPLETED, None)
    assert OutboxMessage.objects.count() == outbox_before  # the partner had no access left


def test_an_agreement_signed_today_and_one_ending_today_are_in_force():
    coordinator = UserFactory(coordinator=True)
    case = make_case(coordinator)
    partner = make_partner(agreement=False)
    DataSharingAgreementFactory(organisation=partner.organisation, signed_on=TODAY,
                                expires_on=TODAY)
    give_consent(case, coordinator, partner=partner)
    assert send(draft_for(case, partner, coordinator), coordinator).status == S.SENT
