"""``partner_suggestions_for``: filtering, exact ranking with its reasons, constant queries."""

import pytest
from django.db.models import Value

from referrals.directory.suggestions import AcceptanceHistory, partner_suggestions_for
from referrals.models import ServiceStatus, ServiceType
from tests.factories import OrganisationFactory
from tests.referrals.factories import DataSharingAgreementFactory, PartnerServiceFactory

pytestmark = pytest.mark.django_db

SHELTER, LEGAL_AID = ServiceType.SHELTER, ServiceType.LEGAL_AID


def partner(name: str, *, agreement: bool = True, active: bool = True):
    organisation = OrganisationFactory(name=name, is_active=active)
    if agreement:
        DataSharingAgreementFactory(organisation=organisation)
    return organisation


def capacity(available: int, maximum: int) -> dict:
    from django.utils import timezone

    return {"capacity_available": available, "capacity_maximum": maximum,
            "capacity_updated_at": timezone.now()}


@pytest.fixture
def network():
    alpha = partner("Alpha Shelter")
    bravo = partner("Bravo House")
    charlie = partner("Charlie Refuge", agreement=False)
    delta = partner("Delta Beds")
    echo = partner("Echo Shelter")
    foxtrot = partner("Foxtrot Lodging")
    golf = partner("Golf Hostel", active=False)
    hotel = partner("Hotel Legal")
    services = {
        "alpha": PartnerServiceFactory(organisation=alpha, name="Youth beds", min_age=16,
                                       max_age=24, languages=["es"], provinces=["ON"],
                                       **capacity(5, 10)),
        "alpha_legal": PartnerServiceFactory(organisation=alpha, service_type=LEGAL_AID,
                                             name="Alpha legal desk", languages=["en"],
                                             provinces=["ON", "QC"]),
        "bravo": PartnerServiceFactory(organisation=bravo, name="Family rooms",
                                       languages=["fr", "en"], provinces=["ON"],
                                       **capacity(10, 10)),
        "charlie": PartnerServiceFactory(organisation=charlie, name="Adult dorm", min_age=18,
                                         languages=["en"], provinces=["ON"], **capacity(0, 8)),
        "delta": PartnerServiceFactory(organisation=delta, name="Delta beds", languages=["es"],
                                       provinces=["ON"], accepting_referrals=False,
                                       **capacity(3, 3)),
        "echo": PartnerServiceFactory(organisation=echo, name="Echo beds", languages=["es"],
                                      provinces=["QC"], **capacity(9, 9)),
        "foxtrot": PartnerServiceFactory(organisation=foxtrot, name="Closed beds",
                                         languages=["es"], provinces=["ON"],
                                         status=ServiceStatus.INACTIVE),
        "golf": PartnerServiceFactory(organisation=golf, name="Golf beds", languages=["es"],
                                      provinces=["ON"]),
        "hotel": PartnerServiceFactory(organisation=hotel, service_type=LEGAL_AID,
                                       name="Claims clinic", languages=["es"],
                                       provinces=["ON"], **capacity(2, 4)),
        "hotel_medical": PartnerServiceFactory(organisation=hotel,
                                               service_type=ServiceType.MEDICAL,
                                               name="Clinic", provinces=["ON"]),
    }
    return services


def test_ranking_with_reasons_exactly(network):
    histories = {
        network["alpha"].organisation_id: AcceptanceHistory(accepted=8, answered=10),
        network["bravo"].organisation_id: AcceptanceHistory(accepted=1, answered=2),
        network["hotel"].organisation_id: AcceptanceHistory(accepted=3, answered=3),
    }
    asked = []

    def history(organisation_ids):
        asked.append(list(organisation_ids))
        return {pk: value for pk, value in histories.items() if pk in organisation_ids}

    suggestions = partner_suggestions_for(needs=[SHELTER, LEGAL_AID], province="ON",
                                          languages=["es", "fr"], age=17,
                                          acceptance_history=history)
    got = [(s.need, s.service.name, s.score, list(s.reasons), s.has_valid_agreement)
           for s in suggestions]
    assert got == [
        ("shelter", "Youth beds", 76, [
            "Offers shelter", "Serves Ontario", "Speaks Spanish (preferred language)",
            "Age 17 is within 16–24", "5 of 10 places available", "Accepted 8 of 10 referrals",
            "Also offers legal aid"], True),
        ("shelter", "Family rooms", 40, [
            "Offers shelter", "Serves Ontario", "Speaks French", "10 of 10 places available",
            "Few referrals answered so far"], True),
        ("shelter", "Delta beds", -50, [
            "Offers shelter", "Serves Ontario", "Speaks Spanish (preferred language)",
            "3 of 3 places available", "Not accepting referrals at the moment"], True),
        ("shelter", "Adult dorm", -110, [
            "Offers shelter", "Serves Ontario", "No shared language: an interpreter is needed",
            "Age 17 is outside 18+", "No places available (0 of 8)",
            "No data-sharing agreement in force"], False),
        ("legal_aid", "Claims clinic", 65, [
            "Offers legal aid", "Serves Ontario", "Speaks Spanish (preferred language)",
            "2 of 4 places available", "Accepted 3 of 3 referrals"], True),
        ("legal_aid", "Alpha legal desk", 11, [
            "Offers legal aid", "Serves Ontario", "No shared language: an interpreter is needed",
            "Capacity not reported", "Accepted 8 of 10 referrals", "Also offers shelter"], True),
    ]
    assert all(s.score == sum(s.points) for s in suggestions)
    assert suggestions[0].organisation.name == "Alpha Shelter"
    expected_ids = sorted({network[key].organisation_id for key in
                           ("alpha", "bravo", "charlie", "delta", "hotel")})
    assert asked == [expected_ids]  # the history is asked once, for all candidates


def test_filters_out_other_provinces_inactive_services_and_organisations(network):
    names = [s.service.name for s in partner_suggestions_for(needs=[SHELTER], province="ON")]
    assert sorted(names) == ["Adult dorm", "Delta beds", "Family rooms", "Youth beds"]
    anywhere = [s.service.name for s in partner_suggestions_for(needs=[SHELTER])]
    assert "Echo beds" in anywhere
    assert "Closed beds" not in anywhere and "Golf beds" not in anywhere
    quebec = partner_suggestions_for(needs=[SHELTER, LEGAL_AID], province="QC")
    assert [(s.service.name, list(s.reasons)) for s in quebec] == [
        ("Echo beds", ["Offers shelter", "Serves Quebec", "9 of 9 places available"]),
        ("Alpha legal desk", ["Offers legal aid", "Serves Quebec", "Capacity not reported"]),
    ]


def test_history_from_a_queryset_annotation_hook(network):
    def annotate(queryset):
        return queryset.annotate(referrals_accepted=Value(9), referrals_answered=Value(10))

    suggestions = partner_suggestions_for(needs=[LEGAL_AID], province="ON", annotate=annotate)
    assert [(s.service.name, s.score, s.reasons[-1]) for s in suggestions] == [
        ("Claims clinic", 15 + 18, "Accepted 9 of 10 referrals"),
        ("Alpha legal desk", 0 + 18, "Accepted 9 of 10 referrals"),
    ]


def test_limit_per_need_and_repeated_needs(network):
    suggestions = partner_suggestions_for(needs=[LEGAL_AID, SHELTER, LEGAL_AID], province="ON",
                                          languages=["es"], limit_per_need=1)
    assert [(s.need, s.service.name) for s in suggestions] == [
        ("legal_aid", "Claims clinic"), ("shelter", "Youth beds")]


def test_unknown_inputs_are_refused():
    with pytest.raises(ValueError, match="unknown service types"):
        partner_suggestions_for(needs=["housing"])
    with pytest.raises(ValueError, match="unknown province"):
        partner_suggestions_for(needs=[SHELTER], province="XX")


def test_no_candidates_is_an_empty_list_and_history_is_not_asked(db):
    def history(organisation_ids):
        raise AssertionError("not called without candidates")

    assert partner_suggestions_for(needs=[SHELTER], acceptance_history=history) == []


def make_partners(count: int) -> None:
    for index in range(count):
        organisation = partner(f"Scale Partner {index:03d}")
        PartnerServiceFactory(organisation=organisation, languages=["es", "fr"],
                              provinces=["ON", "QC"], min_age=index % 20, max_age=60,
                              **capacity(index % 5, 5))
        PartnerServiceFactory(organisation=organisation, service_type=LEGAL_AID,
                              languages=["en"], provinces=["ON"])


@pytest.mark.parametrize("count", [5, 50])
def test_query_count_does_not_grow_with_partners(count, django_assert_num_queries):
    make_partners(count)

    def history(organisation_ids):
        return {pk: AcceptanceHistory(pk % 4, 3) for pk in organisation_ids}

    with django_assert_num_queries(3):
        suggestions = partner_suggestions_for(needs=[SHELTER, LEGAL_AID], province="ON",
                                              languages=["fr"], age=12,
                                              acceptance_history=history)
    assert len(suggestions) == 2 * count
    with django_assert_num_queries(3):
        for suggestion in suggestions:  # everything a page shows is already loaded
            _ = (suggestion.organisation.name, suggestion.service.language_codes,
                 suggestion.service.province_codes, suggestion.has_valid_agreement)
        partner_suggestions_for(needs=[SHELTER], province="QC")
