"""The directory pages over HTTP, per role: who sees what, who may change capacity, audit."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from northstar.audit.models import AuditEvent
from tests.factories import OrganisationFactory, UserFactory
from tests.helpers import sign_in
from tests.referrals.factories import (
    DataSharingAgreementFactory,
    PartnerContactFactory,
    PartnerLocationFactory,
    PartnerProfileFactory,
    PartnerServiceFactory,
)

pytestmark = pytest.mark.django_db

LIST = reverse("directory:partner_list")


def capacity_url(service) -> str:
    return reverse("directory:service_capacity", kwargs={"pk": service.pk})


def assert_csp_friendly(html: str) -> None:
    assert "style=" not in html
    for tag in re.findall(r"<script[^>]*>", html):
        assert "nonce=" in tag


@pytest.fixture
def directory():
    aurore = OrganisationFactory(name="Aurore (test)")
    rideau = OrganisationFactory(name="Rideau (test)")
    shelter = PartnerServiceFactory(organisation=aurore, name="Family shelter",
                                    languages=["fr", "es"], provinces=["QC"], with_capacity=True)
    legal = PartnerServiceFactory(organisation=rideau, service_type="legal_aid",
                                  name="Claims clinic", languages=["en"], provinces=["ON"],
                                  accepting_referrals=False)
    DataSharingAgreementFactory(organisation=aurore, document_reference="DSA-AURORE")
    return {"aurore": aurore, "rideau": rideau, "shelter": shelter, "legal": legal}


# --- browsing -------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["coordinator", "counsellor", "admin"])
def test_network_staff_browse_the_directory(client, directory, role):
    sign_in(client, UserFactory(**{role: True}))
    response = client.get(LIST)
    assert response.status_code == 200
    assert [partner.name for partner in response.context["page"]] == ["Aurore (test)",
                                                                      "Rideau (test)"]
    html = response.content.decode()
    assert "<caption>" in html and 'scope="col"' in html
    assert "Not accepting referrals" in html and "5 of 10 places available" in html
    assert_csp_friendly(html)


@pytest.mark.parametrize(("query", "names"), [
    ({"service_type": "legal_aid"}, ["Rideau (test)"]),
    ({"province": "QC"}, ["Aurore (test)"]),
    ({"language": "es"}, ["Aurore (test)"]),
    ({"language": "es", "province": "ON"}, []),
    ({"accepting_only": "on"}, ["Aurore (test)"]),
    ({"service_type": "nonsense"}, ["Aurore (test)", "Rideau (test)"]),  # invalid: ignored
])
def test_directory_filters(client, directory, query, names):
    sign_in(client, UserFactory(coordinator=True))
    response = client.get(LIST, query)
    assert [partner.name for partner in response.context["page"]] == names


def test_directory_list_queries_do_not_grow_with_partners(client):
    sign_in(client, UserFactory(coordinator=True))

    def queries_for_list() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST).status_code == 200
        return len(captured)

    for _ in range(3):
        PartnerServiceFactory(languages=["fr"], provinces=["QC"], with_capacity=True)
    few = queries_for_list()
    for _ in range(12):
        PartnerServiceFactory(languages=["en"], provinces=["ON"])
    assert queries_for_list() == few


def test_partner_detail_shows_services_locations_contacts_and_agreement(client, directory):
    PartnerLocationFactory(organisation=directory["aurore"], address_1="1200 rue Fictive")
    PartnerContactFactory(organisation=directory["aurore"], name="Jeanne Fictive",
                          title="Intake lead")
    sign_in(client, UserFactory(coordinator=True))
    response = client.get(reverse("directory:partner_detail",
                                  kwargs={"pk": directory["aurore"].pk}))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("Family shelter", "1200 rue Fictive", "Jeanne Fictive", "Intake lead",
                 "DSA-AURORE"):
        assert text in html
    assert "Update capacity" not in html  # only an admin edits from here
    assert_csp_friendly(html)


def test_partner_without_agreement_says_so_in_words(client, directory):
    sign_in(client, UserFactory(counsellor=True))
    response = client.get(reverse("directory:partner_detail",
                                  kwargs={"pk": directory["rideau"].pk}))
    assert "None in force: personal data cannot be shared with this partner." in \
        response.content.decode()


def test_organisations_outside_the_directory_are_404(client, directory):
    sign_in(client, UserFactory(coordinator=True))
    outside = OrganisationFactory(name="Not listed (test)")
    for pk in (outside.pk, 999_999):
        assert client.get(reverse("directory:partner_detail", kwargs={"pk": pk})) \
            .status_code == 404


def test_partner_users_cannot_browse_the_directory(client, directory):
    sign_in(client, UserFactory(partner=True, organisation=directory["aurore"]))
    assert client.get(LIST).status_code == 403
    assert client.get(reverse("directory:partner_detail",
                              kwargs={"pk": directory["aurore"].pk})).status_code == 403


# --- partner users: their own services only ----------------------------------------------------

def test_partner_sees_only_their_own_services(client, directory):
    sign_in(client, UserFactory(partner=True, organisation=directory["aurore"]))
    response = client.get(reverse("directory:own_services"))
    assert response.status_code == 200
    assert [service.name for service in response.context["services"]] == ["Family shelter"]
    assert "Claims clinic" not in response.content.decode()


def test_partner_updates_their_own_capacity(client, directory):
    partner = UserFactory(partner=True, organisation=directory["aurore"])
    sign_in(client, partner)
    service = directory["shelter"]
    page = client.get(capacity_url(service))
    assert page.status_code == 200
    html = page.content.decode()
    assert re.search(r'<label\s+for="id_capacity_available"', html)
    assert_csp_friendly(html)
    response = client.post(capacity_url(service), {"capacity_available": "2",
                                                   "capacity_maximum": "12"})
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:own_services")
    service.refresh_from_db()
    assert (service.capacity_available, service.capacity_maximum,
            service.accepting_referrals) == (2, 12, False)
    event = AuditEvent.objects.get(action="directory.capacity_updated")
    assert (event.actor_id, event.object_id) == (partner.pk, str(service.pk))
    assert event.details["after"] == {"available": 2, "maximum": 12, "accepting": False}


def test_invalid_capacity_is_shown_again_and_changes_nothing(client, directory):
    sign_in(client, UserFactory(partner=True, organisation=directory["aurore"]))
    service = directory["shelter"]
    response = client.post(capacity_url(service), {"capacity_available": "13",
                                                   "capacity_maximum": "12",
                                                   "accepting_referrals": "on"})
    assert response.status_code == 200
    assert "More places available (13) than places in all (12)." in response.content.decode()
    service.refresh_from_db()
    assert (service.capacity_available, service.capacity_maximum) == (5, 10)
    assert not AuditEvent.objects.filter(action="directory.capacity_updated").exists()


def test_partner_cannot_touch_another_organisations_capacity(client, directory):
    sign_in(client, UserFactory(partner=True, organisation=directory["rideau"]))
    service = directory["shelter"]  # Aurore's
    assert client.get(capacity_url(service)).status_code == 404
    response = client.post(capacity_url(service), {"capacity_available": "0",
                                                   "capacity_maximum": "10"})
    assert response.status_code == 404
    service.refresh_from_db()
    assert (service.capacity_available, service.capacity_maximum,
            service.accepting_referrals) == (5, 10, True)
    assert not AuditEvent.objects.filter(action="directory.capacity_updated").exists()


def test_admin_may_update_any_partner(client, directory):
    admin = UserFactory(admin=True)
    sign_in(client, admin)
    detail = client.get(reverse("directory:partner_detail",
                                kwargs={"pk": directory["rideau"].pk}))
    assert capacity_url(directory["legal"]) in detail.content.decode()
    response = client.post(capacity_url(directory["legal"]), {
        "capacity_available": "3", "capacity_maximum": "3", "accepting_referrals": "on"})
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:partner_detail",
                                           kwargs={"pk": directory["rideau"].pk})
    directory["legal"].refresh_from_db()
    assert (directory["legal"].capacity_available, directory["legal"].accepting_referrals) == (
        3, True)
    assert AuditEvent.objects.get(action="directory.capacity_updated").actor_id == admin.pk


@pytest.mark.parametrize("role", ["coordinator", "counsellor"])
def test_staff_without_admin_cannot_change_capacity(client, directory, role):
    sign_in(client, UserFactory(**{role: True}))
    response = client.post(capacity_url(directory["shelter"]), {"capacity_available": "0",
                                                               "capacity_maximum": "10"})
    assert response.status_code == 403
    directory["shelter"].refresh_from_db()
    assert directory["shelter"].capacity_available == 5


def test_partner_profile_alone_lists_an_organisation_without_services(client):
    PartnerProfileFactory(organisation=OrganisationFactory(name="Empty Partner (test)"))
    sign_in(client, UserFactory(coordinator=True))
    response = client.get(LIST)
    assert [partner.name for partner in response.context["page"]] == ["Empty Partner (test)"]
    assert "No active service listed." in response.content.decode()
