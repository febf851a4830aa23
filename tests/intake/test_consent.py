import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from intake.consent import consent_covering, consent_record, consent_withdraw
from intake.models import CaseEvent, Consent
from intake.services import case_create
from northstar.audit.models import AuditEvent
from tests.factories import OrganisationFactory
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def record(case, actor, **fields):
    defaults = {"purpose": "referral", "method": "verbal", "given_by": "client",
                "given_on": TODAY}
    return consent_record(actor=actor, case=case, **{**defaults, **fields})


def test_consent_for_a_partner_covers_that_partner_only(counsellor):
    case = case_create(actor=counsellor, given_name="Consenting")
    shelter, clinic = OrganisationFactory(), OrganisationFactory()
    consent = record(case, counsellor, partner=shelter)
    assert consent_covering(case, partner_id=shelter.pk, service_type="shelter") == consent
    assert consent_covering(case, partner_id=clinic.pk, service_type="shelter") is None


def test_consent_for_a_service_type_covers_every_partner_of_that_type(counsellor):
    case = case_create(actor=counsellor, given_name="Consenting")
    partner = OrganisationFactory()
    consent = record(case, counsellor, service_type="legal_aid")
    assert consent_covering(case, partner_id=partner.pk, service_type="legal_aid") == consent
    assert consent_covering(case, partner_id=partner.pk, service_type="shelter") is None


def test_expired_withdrawn_and_future_consents_cover_nothing(counsellor):
    case = case_create(actor=counsellor, given_name="Consenting")
    partner = OrganisationFactory()
    expired = record(case, counsellor, partner=partner,
                     given_on=TODAY - datetime.timedelta(days=30),
                     expires_on=TODAY - datetime.timedelta(days=1))
    assert consent_covering(case, partner_id=partner.pk, service_type="shelter") is None
    assert not expired.is_in_force()
    withdrawn = record(case, counsellor, partner=partner)
    consent_withdraw(actor=counsellor, consent=withdrawn)
    assert consent_covering(case, partner_id=partner.pk, service_type="shelter") is None
    assert CaseEvent.objects.filter(case=case, kind="consent_withdrawn").count() == 1
    assert AuditEvent.objects.filter(action="case.consent_withdrawn").count() == 1
    last_day = record(case, counsellor, partner=partner, expires_on=TODAY)
    assert consent_covering(case, partner_id=partner.pk, service_type="x") == last_day


@pytest.mark.parametrize(
    ("fields", "field"),
    [({}, "partner"),
     ({"service_type": "shelter", "partner": "ORG"}, "partner"),
     ({"service_type": "shelter", "given_on": TODAY + datetime.timedelta(days=1)}, "given_on"),
     ({"service_type": "shelter", "expires_on": TODAY - datetime.timedelta(days=1)},
      "expires_on")],
)
def test_invalid_consents_are_refused(counsellor, fields, field):
    case = case_create(actor=counsellor, given_name="Consenting")
    if fields.get("partner") == "ORG":
        fields["partner"] = OrganisationFactory()
    with pytest.raises(ValidationError) as error:
        record(case, counsellor, **fields)
    assert field in error.value.message_dict
    assert Consent.objects.count() == 0


def test_database_enforces_one_scope(counsellor):
    case = case_create(actor=counsellor, given_name="Consenting")
    with pytest.raises(IntegrityError), transaction.atomic():
        Consent.objects.create(case=case, purpose="referral", method="verbal",
                               given_by="client", given_on=TODAY, recorded_by=counsellor)


def test_consent_page_records_and_rerenders_errors(client, counsellor):
    case = case_create(actor=counsellor, given_name="Consenting")
    partner = OrganisationFactory()
    sign_in(client, counsellor)
    response = client.post(f"/cases/{case.number}/consents/new/", {
        "purpose": "referral", "method": "signed", "given_by": "client",
        "given_on": TODAY.isoformat(), "notes": "signed sheet in the folder"})
    assert response.status_code == 200
    assert "Choose either one partner organisation or one service type." in \
        response.content.decode()
    response = client.post(f"/cases/{case.number}/consents/new/", {
        "purpose": "referral", "method": "signed", "given_by": "client",
        "given_on": TODAY.isoformat(), "partner": partner.pk})
    assert response.status_code == 302
    consent = Consent.objects.get()
    html = client.get(f"/cases/{case.number}/").content.decode()
    assert partner.name in html and "In force" in html
    client.post(f"/cases/{case.number}/consents/{consent.pk}/withdraw/")
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None and consent.withdrawn_by == counsellor
