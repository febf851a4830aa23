"""factory_boy factories. Every name is fictional."""

import factory

from northstar.accounts.models import Organisation, User


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Partner Organisation {n} (test)")
    kind = Organisation.Kind.PARTNER


def network_organisation() -> Organisation:
    organisation, _ = Organisation.objects.get_or_create(
        kind=Organisation.Kind.NETWORK, defaults={"name": "Test Network"})
    return organisation


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@staff.example")
    full_name = factory.Sequence(lambda n: f"Staff Member {n}")
    organisation = factory.LazyFunction(network_organisation)
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery-9")

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()

    class Params:
        counsellor = factory.Trait(is_counsellor=True)
        coordinator = factory.Trait(is_coordinator=True)
        admin = factory.Trait(is_network_admin=True)
        partner = factory.Trait(is_partner=True,
                                organisation=factory.SubFactory(OrganisationFactory))
