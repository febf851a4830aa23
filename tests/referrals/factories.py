"""Factories for the partner directory. Every name, address and number is fictional."""

import datetime

import factory
from django.utils import timezone

from referrals.models import (
    DataSharingAgreement,
    PartnerContact,
    PartnerLocation,
    PartnerProfile,
    PartnerService,
    PartnerServiceLanguage,
    PartnerServiceProvince,
    ServiceType,
)
from tests.factories import OrganisationFactory


class PartnerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerProfile
        django_get_or_create = ("organisation",)

    organisation = factory.SubFactory(OrganisationFactory)
    hsds_id = factory.Sequence(lambda n: f"org-{n:04d}")
    description = "A fictional partner organisation."


class PartnerServiceFactory(factory.django.DjangoModelFactory):
    """A service with its languages and provinces (``languages=[...]``, ``provinces=[...]``);
    the organisation is put in the directory (given a profile) too."""

    class Meta:
        model = PartnerService
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    hsds_id = factory.Sequence(lambda n: f"svc-{n:04d}")
    service_type = ServiceType.SHELTER
    name = factory.Sequence(lambda n: f"Service {n}")
    accepting_referrals = True

    @factory.post_generation
    def profile(obj, create, extracted, **kwargs):
        if create:
            PartnerProfileFactory(organisation=obj.organisation)

    @factory.post_generation
    def languages(obj, create, extracted, **kwargs):
        if create and extracted:
            PartnerServiceLanguage.objects.bulk_create(
                PartnerServiceLanguage(service=obj, code=code) for code in extracted)

    @factory.post_generation
    def provinces(obj, create, extracted, **kwargs):
        if create and extracted:
            PartnerServiceProvince.objects.bulk_create(
                PartnerServiceProvince(service=obj, province=code) for code in extracted)

    class Params:
        with_capacity = factory.Trait(
            capacity_available=5, capacity_maximum=10,
            capacity_updated_at=factory.LazyFunction(timezone.now))


class PartnerLocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerLocation

    organisation = factory.SubFactory(OrganisationFactory)
    hsds_id = factory.Sequence(lambda n: f"loc-{n:04d}")
    name = "Main office"
    address_1 = factory.Sequence(lambda n: f"{n + 1} Example Street")
    city = "Ottawa"
    province = "ON"
    postal_code = "K1P 5J2"


class PartnerContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerContact

    organisation = factory.SubFactory(OrganisationFactory)
    hsds_id = factory.Sequence(lambda n: f"contact-{n:04d}")
    name = factory.Sequence(lambda n: f"Fictional Contact {n}")
    title = "Intake coordinator"
    phone = "+1 613 555 0100"
    email = factory.Sequence(lambda n: f"contact{n}@partner.example")


class DataSharingAgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DataSharingAgreement

    organisation = factory.SubFactory(OrganisationFactory)
    signed_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=355))
    document_reference = factory.Sequence(lambda n: f"DSA-{n:04d}")
