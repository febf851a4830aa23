"""The directory's database rules: constraints, encryption of contact people, agreements."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from referrals.directory.selectors import agreement_in_force, has_valid_agreement
from referrals.models import (
    DataSharingAgreement,
    PartnerContact,
    PartnerService,
    PartnerServiceLanguage,
    PartnerServiceProvince,
    Province,
    ServiceType,
)
from tests.factories import OrganisationFactory
from tests.referrals.factories import (
    DataSharingAgreementFactory,
    PartnerContactFactory,
    PartnerLocationFactory,
    PartnerServiceFactory,
)

pytestmark = pytest.mark.django_db


def refused(**fields) -> bool:
    """Whether the database refuses a service row with ``fields``."""
    fields = {"name": "Constraint probe", "service_type": ServiceType.SHELTER, **fields}
    organisation = OrganisationFactory()
    try:
        with transaction.atomic():
            PartnerService.objects.create(organisation=organisation, **fields)
    except IntegrityError:
        return True
    return False


def test_service_type_taxonomy_is_fixed_and_labelled():
    assert ServiceType.values == ["shelter", "legal_aid", "work_permit", "medical",
                                  "settlement", "interpretation", "mental_health"]
    assert ServiceType.LEGAL_AID.label == "Legal aid"
    assert len(Province.values) == 13


@pytest.mark.parametrize(("fields", "is_refused"), [
    ({"min_age": 16, "max_age": 24}, False),
    ({"min_age": 18, "max_age": 18}, False),
    ({"min_age": 25, "max_age": 24}, True),
    ({"min_age": 12}, False),
    ({"max_age": 131}, True),
    ({"service_type": "housing"}, True),
    ({"status": "closed"}, True),
])
def test_age_type_and_status_constraints(fields, is_refused):
    assert refused(**fields) is is_refused


@pytest.mark.parametrize(("available", "maximum", "updated", "is_refused"), [
    (0, 10, True, False),
    (10, 10, True, False),
    (11, 10, True, True),
    (5, None, True, True),
    (None, 5, True, True),
    (5, 10, False, True),  # figures without the time they were reported
    (None, None, False, False),
])
def test_capacity_constraint(available, maximum, updated, is_refused):
    stamp = timezone.now() if updated else None
    assert refused(capacity_available=available, capacity_maximum=maximum,
                   capacity_updated_at=stamp) is is_refused


def test_capacity_cannot_be_updated_past_maximum_in_the_database():
    service = PartnerServiceFactory(with_capacity=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        PartnerService.objects.filter(pk=service.pk).update(capacity_available=11)
    service.refresh_from_db()
    assert service.capacity_available == 5


def test_languages_and_provinces_are_rows_once_each():
    service = PartnerServiceFactory(languages=["fr", "es"], provinces=["QC", "ON"])
    assert service.language_codes == ["es", "fr"]
    assert service.province_codes == ["ON", "QC"]
    with pytest.raises(IntegrityError), transaction.atomic():
        PartnerServiceLanguage.objects.create(service=service, code="fr")
    with pytest.raises(IntegrityError), transaction.atomic():
        PartnerServiceProvince.objects.create(service=service, province="XX")
    with pytest.raises(IntegrityError), transaction.atomic():
        PartnerServiceProvince.objects.create(service=service, province="QC")


def test_services_filter_by_language_and_province_in_the_database():
    match = PartnerServiceFactory(languages=["es"], provinces=["ON"])
    PartnerServiceFactory(languages=["es"], provinces=["QC"])
    PartnerServiceFactory(languages=["fr"], provinces=["ON"])
    found = PartnerService.objects.filter(languages__code="es", provinces_served__province="ON")
    assert list(found) == [match]


def raw_column(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_contact_person_is_encrypted_at_rest_but_title_is_not():
    contact = PartnerContactFactory(name="Marker Personname", phone="+1 613 555 0199",
                                    email="marker.person@partner.example", title="Director")
    table = PartnerContact._meta.db_table
    for column, plain in (("name", "Marker Personname"), ("phone", "+1 613 555 0199"),
                          ("email", "marker.person@partner.example")):
        stored = raw_column(table, column, contact.pk)
        assert plain not in stored
        assert stored.count(":") >= 1  # a key-id-prefixed token
    assert raw_column(table, "title", contact.pk) == "Director"
    reloaded = PartnerContact.objects.get(pk=contact.pk)
    assert (reloaded.name, reloaded.phone, reloaded.email) == (
        "Marker Personname", "+1 613 555 0199", "marker.person@partner.example")
    assert "Marker" not in str(reloaded)


def test_location_is_plain_organisational_data():
    location = PartnerLocationFactory(address_1="12 Sample Road", city="Ottawa")
    assert raw_column("referrals_partnerlocation", "address_1", location.pk) == "12 Sample Road"


def test_agreement_cannot_expire_before_it_is_signed():
    organisation = OrganisationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        DataSharingAgreement.objects.create(
            organisation=organisation, signed_on=datetime.date(2026, 5, 1),
            expires_on=datetime.date(2026, 4, 30), document_reference="DSA-X")


def test_has_valid_agreement_counts_signature_and_expiry_days():
    organisation = OrganisationFactory()
    DataSharingAgreementFactory(organisation=organisation, signed_on=datetime.date(2026, 1, 10),
                                expires_on=datetime.date(2026, 12, 31))
    assert has_valid_agreement(organisation, datetime.date(2026, 1, 9)) is False
    assert has_valid_agreement(organisation, datetime.date(2026, 1, 10)) is True
    assert has_valid_agreement(organisation, datetime.date(2026, 12, 31)) is True
    assert has_valid_agreement(organisation, datetime.date(2027, 1, 1)) is False
    assert has_valid_agreement(OrganisationFactory(), datetime.date(2026, 6, 1)) is False


def test_has_valid_agreement_defaults_to_today_and_picks_the_latest():
    organisation = OrganisationFactory()
    today = timezone.localdate()
    DataSharingAgreementFactory(organisation=organisation,
                                signed_on=today - datetime.timedelta(days=400),
                                expires_on=today - datetime.timedelta(days=1))
    assert has_valid_agreement(organisation) is False
    latest = DataSharingAgreementFactory(organisation=organisation, signed_on=today,
                                         expires_on=today + datetime.timedelta(days=30))
    DataSharingAgreementFactory(organisation=organisation, signed_on=today,
                                expires_on=today + datetime.timedelta(days=5))
    assert has_valid_agreement(organisation) is True
    assert agreement_in_force(organisation) == latest
