"""The directory's write services: validation, audit rows, demo data."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from northstar.accounts.models import Organisation
from northstar.audit.models import AuditEvent
from referrals.directory import services
from referrals.models import (
    DataSharingAgreement,
    PartnerLocation,
    PartnerProfile,
    PartnerService,
    ServiceType,
)
from tests.factories import OrganisationFactory, UserFactory, network_organisation
from tests.referrals.factories import PartnerServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(db):
    return UserFactory(admin=True)


def last_event() -> AuditEvent:
    return AuditEvent.objects.order_by("-id").first()


def test_partner_create_makes_a_partner_organisation_in_the_directory(admin):
    organisation = services.partner_create(actor=admin, name="Harbour Legal (test)",
                                           description="Legal clinic", hsds_id="org-h")
    assert organisation.kind == Organisation.Kind.PARTNER
    assert organisation.partner_profile.hsds_id == "org-h"
    event = last_event()
    assert (event.action, event.actor_id, event.object_id) == (
        "directory.partner_created", admin.pk, str(organisation.pk))
    with pytest.raises(ValidationError):
        services.partner_create(actor=admin, name="Harbour Legal (test)")


def test_directory_refuses_the_network_organisation(admin):
    with pytest.raises(ValidationError):
        services.partner_profile_ensure(actor=admin, organisation=network_organisation())
    assert PartnerProfile.objects.count() == 0


def test_service_create_stores_reach_and_stamps_capacity(admin):
    organisation = OrganisationFactory()
    service = services.partner_service_create(
        actor=admin, organisation=organisation, service_type=ServiceType.LEGAL_AID,
        name="Claims clinic", languages=["es", "fr", "es"], provinces=["ON"],
        min_age=16, capacity_available=2, capacity_maximum=8)
    service.refresh_from_db()
    assert service.language_codes == ["es", "fr"]
    assert service.province_codes == ["ON"]
    assert service.capacity_updated_at is not None
    assert PartnerProfile.objects.filter(organisation=organisation).exists()
    event = last_event()
    assert event.action == "directory.service_created"
    assert event.details == {"organisation": organisation.pk, "service_type": "legal_aid"}


@pytest.mark.parametrize(("values", "message"), [
    ({"min_age": 20, "max_age": 18}, "The maximum age is below the minimum age."),
    ({"capacity_available": 9, "capacity_maximum": 8},
     "More places available (9) than places in all (8)."),
    ({"capacity_available": 1}, "Give both the places available and the places in all, "
                                "or neither."),
    ({"languages": ["xx"]}, "Unknown language code(s): xx."),
    ({"provinces": ["ZZ"]}, "Unknown province code(s): ZZ."),
])
def test_service_create_refuses_bad_values_and_writes_nothing(admin, values, message):
    organisation = OrganisationFactory()
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.partner_service_create(actor=admin, organisation=organisation,
                                        service_type=ServiceType.SHELTER, name="Beds", **values)
    assert message in caught.value.messages
    assert PartnerService.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_service_update_records_changed_fields_only(admin):
    service = PartnerServiceFactory(languages=["en"], provinces=["ON"], fees="")
    services.partner_service_update(actor=admin, service=service, fees="Free",
                                    languages=["en", "fr"], name=service.name)
    service.refresh_from_db()
    assert service.fees == "Free"
    assert service.language_codes == ["en", "fr"]
    event = last_event()
    assert (event.action, event.details) == ("directory.service_updated",
                                             {"fields": ["fees", "languages"]})
    events = AuditEvent.objects.count()
    services.partner_service_update(actor=admin, service=service, fees="Free")
    assert AuditEvent.objects.count() == events  # nothing changed, nothing recorded


def test_capacity_update_is_audited_with_before_and_after(admin):
    service = PartnerServiceFactory(with_capacity=True)
    partner = UserFactory(partner=True, organisation=service.organisation)
    services.partner_service_capacity_update(actor=partner, service=service, available=0,
                                             maximum=12, accepting_referrals=False)
    service.refresh_from_db()
    assert (service.capacity_available, service.capacity_maximum,
            service.accepting_referrals) == (0, 12, False)
    event = last_event()
    assert event.action == "directory.capacity_updated"
    assert event.actor_id == partner.pk
    assert event.details == {
        "organisation": service.organisation_id,
        "before": {"available": 5, "maximum": 10, "accepting": True},
        "after": {"available": 0, "maximum": 12, "accepting": False},
    }


def test_capacity_update_refuses_more_available_than_maximum(admin):
    service = PartnerServiceFactory(with_capacity=True)
    with pytest.raises(ValidationError):
        services.partner_service_capacity_update(actor=admin, service=service, available=13,
                                                 maximum=12)
    service.refresh_from_db()
    assert (service.capacity_available, service.capacity_maximum) == (5, 10)


def test_accepting_switch_is_audited_once_per_change(admin):
    service = PartnerServiceFactory()
    services.partner_service_accepting_set(actor=admin, service=service, accepting=False)
    services.partner_service_accepting_set(actor=admin, service=service, accepting=False)
    assert AuditEvent.objects.filter(action="directory.accepting_changed").count() == 1
    service.refresh_from_db()
    assert service.accepting_referrals is False


def test_location_normalises_the_postal_code(admin):
    organisation = OrganisationFactory()
    location = services.partner_location_add(
        actor=admin, organisation=organisation, address_1="1 Sample Road", city="Halifax",
        province="NS", postal_code="b3h4r2")
    assert location.postal_code == "B3H 4R2"
    with pytest.raises(ValidationError):
        services.partner_location_add(actor=admin, organisation=organisation,
                                      address_1="1 Sample Road", city="Halifax",
                                      province="NS", postal_code="12345")
    assert PartnerLocation.objects.count() == 1


def test_contact_audit_holds_no_personal_data(admin):
    organisation = OrganisationFactory()
    services.partner_contact_add(actor=admin, organisation=organisation,
                                 name="Marker Contactname", phone="+1 902 555 0110",
                                 email="marker.contact@partner.example", title="Lead")
    event = last_event()
    assert event.action == "directory.contact_added"
    assert "Marker" not in str(event.details) and "marker" not in str(event.details)


def test_agreement_record(admin):
    organisation = OrganisationFactory()
    agreement = services.data_sharing_agreement_record(
        actor=admin, organisation=organisation, signed_on=datetime.date(2026, 1, 1),
        expires_on=datetime.date(2026, 12, 31), document_reference="DSA-2026-01")
    assert last_event().details == {"organisation": organisation.pk,
                                     "signed_on": "2026-01-01", "expires_on": "2026-12-31"}
    assert agreement.is_valid_on(datetime.date(2026, 6, 1))
    with pytest.raises(ValidationError):
        services.data_sharing_agreement_record(
            actor=admin, organisation=organisation, signed_on=datetime.date(2026, 1, 1),
            expires_on=datetime.date(2025, 12, 31), document_reference="DSA-bad")
    assert DataSharingAgreement.objects.count() == 1


def test_seed_demo_directory_is_fictional_complete_and_idempotent():
    partners = [OrganisationFactory(name=f"Demo Partner {n} (test)") for n in range(3)]
    created = services.seed_demo_directory([*partners, network_organisation()])
    assert len(created) == 7  # 2 + 2 + 3 services from the three templates
    assert sorted({service.service_type for service in created}) == sorted(ServiceType.values)
    for organisation in partners:
        assert organisation.partner_profile is not None
        assert organisation.partner_locations.count() == 1
        assert organisation.data_sharing_agreements.filter(
            expires_on__gt=timezone.localdate()).count() == 1
    assert all(service.has_capacity_figures for service in created)
    assert services.seed_demo_directory(partners) == []
    assert PartnerService.objects.count() == 7
