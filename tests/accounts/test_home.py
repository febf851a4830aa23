"""The home page (``/``): a section per role held, with counts, links and empty states, at a
constant number of queries whatever the number of cases and referrals."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from intake.case_numbers import new_case_number
from intake.models import Case, CaseStatus, Client, ErasureRequest, Urgency
from referrals.models import Referral, ReferralStatus
from tests.factories import OrganisationFactory, UserFactory
from tests.helpers import sign_in
from tests.html_tree import Node, parse

pytestmark = pytest.mark.django_db

NAMES = ["Aurelio Fakename", "Brisa Fakename", "Celio Fakename", "Dalia Fakename"]


def make_cases(owner, count: int, *, status=CaseStatus.OPEN, urgency=Urgency.ROUTINE,
               **fields) -> list[Case]:
    """Cases of fictional clients, written directly (the intake's own tests cover how they
    are made)."""
    cases = []
    for index in range(count):
        client = Client.objects.create(given_name=NAMES[index % len(NAMES)])
        cases.append(Case.objects.create(
            client=client, number=new_case_number(), created_by=owner, assigned_to=owner,
            status=status, urgency=urgency,
            opened_at=timezone.now() if status != CaseStatus.DRAFT else None, **fields))
    return cases


def make_referrals(case_owner, partner_org, count: int, *, sent_hours_ago: float,
                   status=ReferralStatus.SENT) -> list[Referral]:
    referrals = []
    for case in make_cases(case_owner, count):
        referrals.append(Referral.objects.create(
            case=case, partner=partner_org, service_type="shelter", status=status,
            created_by=case_owner,
            sent_at=timezone.now() - timedelta(hours=sent_hours_ago)))
    return referrals


def home(client, user) -> Node:
    sign_in(client, user)
    response = client.get("/")
    assert response.status_code == 200
    return parse(response.content)


def section(page: Node, name: str):
    return page.select_one(f'[data-home-section="{name}"]')


def count(page: Node, name: str) -> str:
    return page.select_one(f'[data-count="{name}"]').get_text(strip=True)


def listed(page: Node, name: str, attribute: str) -> list[str]:
    return [item[attribute] for item in page.select(f'[data-list="{name}"] [{attribute}]')]


# --- sections per role ----------------------------------------------------------------------

@pytest.mark.parametrize(("flags", "sections"), [
    ({"counsellor": True}, ["counsellor"]),
    ({"coordinator": True}, ["coordinator"]),
    ({"admin": True}, ["admin"]),
    ({"counsellor": True, "coordinator": True, "admin": True},
     ["counsellor", "coordinator", "admin"]),
    ({}, []),
])
def test_each_role_sees_its_own_sections(client, flags, sections):
    page = home(client, UserFactory(**flags))
    assert [tag["data-home-section"] for tag in page.select("[data-home-section]")] == sections


def test_a_partner_sees_only_the_partner_section(client, partner_user):
    page = home(client, partner_user)
    assert [tag["data-home-section"] for tag in page.select("[data-home-section]")] == [
        "partner"]


def test_every_section_shows_its_empty_state(client):
    user = UserFactory(counsellor=True, coordinator=True, admin=True)
    page = home(client, user)
    empty = {tag["data-empty"]: tag.get_text(" ", strip=True)
             for tag in page.select("[data-empty]")}
    assert empty == {
        "drafts": "No drafts to finish.",
        "cases": "No active cases. Cases appear here once you complete an intake or a "
                 "coordinator assigns one to you.",
        "overdue": "Nothing overdue.",
        "waiting": "No referral is waiting on a partner.",
        "needing_handoff": "Every open case has been handed off.",
        "pending_erasures": "No erasure requests waiting.",
    }
    assert count(page, "drafts") == "0"
    assert count(page, "pending_erasures") == "0"


def test_partner_empty_state(client, partner_user):
    page = home(client, partner_user)
    assert page.select_one('[data-empty="new"]').get_text(strip=True) == (
        "No new referrals. You will be told by e-mail when one arrives.")
    assert count(page, "new") == "0"


# --- counsellor -----------------------------------------------------------------------------

def test_counsellor_sees_their_caseload_urgent_first_and_drafts_to_finish(client, counsellor):
    routine = make_cases(counsellor, 2)
    critical = make_cases(counsellor, 1, urgency=Urgency.CRITICAL)
    urgent = make_cases(counsellor, 1, urgency=Urgency.URGENT, status=CaseStatus.REFERRED)
    drafts = make_cases(counsellor, 2, status=CaseStatus.DRAFT)
    make_cases(counsellor, 1, status=CaseStatus.CLOSED)
    make_cases(UserFactory(counsellor=True), 3)  # someone else's caseload

    page = home(client, counsellor)
    assert listed(page, "cases", "data-case")[:2] == [critical[0].number, urgent[0].number]
    assert sorted(listed(page, "cases", "data-case")[2:]) == sorted(c.number for c in routine)
    assert sorted(listed(page, "drafts", "data-case")) == sorted(c.number for c in drafts)
    assert count(page, "cases") == "4"
    assert count(page, "drafts") == "2"
    assert section(page, "counsellor").select_one('[data-counts="counsellor"]').get_text(
        " ", strip=True) == "4 active cases · 2 drafts to finish · 2 urgent or critical"
    resume = section(page, "counsellor").select_one(f'[data-case="{drafts[0].number}"] a')
    assert resume["href"] == f"/cases/{drafts[0].number}/intake/"


def test_counsellor_lists_are_cut_with_a_link_to_all(client, counsellor):
    make_cases(counsellor, 7)
    page = home(client, counsellor)
    assert len(listed(page, "cases", "data-case")) == 5
    assert count(page, "cases") == "7"
    link = section(page, "counsellor").find("a", string="Show all 7 in the case list")
    assert link["href"] == "/cases/?assigned=me"


# --- coordinator ----------------------------------------------------------------------------

def test_coordinator_sees_handoffs_waiting_with_age_and_overdue(client, coordinator, settings):
    settings.REFERRAL_ESCALATE_HOURS = 96
    counsellor = UserFactory(counsellor=True)
    partner_org = OrganisationFactory()
    needing = make_cases(counsellor, 2, urgency=Urgency.URGENT)
    waiting = make_referrals(counsellor, partner_org, 3, sent_hours_ago=5)
    overdue = make_referrals(counsellor, partner_org, 1, sent_hours_ago=100)
    make_referrals(counsellor, partner_org, 1, sent_hours_ago=2,
                   status=ReferralStatus.ACCEPTED)

    page = home(client, coordinator)
    assert (count(page, "needing_handoff"), count(page, "waiting"), count(page, "overdue")) == (
        "2", "3", "1")
    assert sorted(listed(page, "needing_handoff", "data-case")) == sorted(
        c.number for c in needing)
    assert sorted(listed(page, "waiting", "data-referral")) == sorted(
        r.reference for r in waiting)
    assert listed(page, "overdue", "data-referral") == [overdue[0].reference]
    age = page.select_one(f'[data-referral="{waiting[0].reference}"]').get_text(" ", strip=True)
    assert "Waiting for 5\xa0hours" in age


# --- partner --------------------------------------------------------------------------------

def test_partner_sees_new_referrals_of_their_organisation_only(client, partner_user):
    counsellor = UserFactory(counsellor=True)
    mine = make_referrals(counsellor, partner_user.organisation, 2, sent_hours_ago=3)
    make_referrals(counsellor, partner_user.organisation, 1, sent_hours_ago=3,
                   status=ReferralStatus.ACCEPTED)
    make_referrals(counsellor, OrganisationFactory(), 2, sent_hours_ago=3)  # another partner

    page = home(client, partner_user)
    assert count(page, "new") == "2"
    assert sorted(listed(page, "new", "data-referral")) == sorted(r.reference for r in mine)
    assert section(page, "partner").select_one('[data-counts="partner"]').get_text(
        " ", strip=True) == "1 accepted · 0 in progress"
    for referral in mine:
        assert referral.case.number not in str(page)  # the portal never shows case numbers


# --- admin ----------------------------------------------------------------------------------

def test_admin_sees_links_counts_and_pending_erasures(client, admin_user):
    coordinator = UserFactory(coordinator=True)
    case = make_cases(UserFactory(counsellor=True), 1)[0]
    ErasureRequest.objects.create(case=case, requested_by=coordinator)
    UserFactory(counsellor=True, is_active=False)

    page = home(client, admin_user)
    admin = section(page, "admin")
    links = {a.get_text(strip=True): a["href"] for a in admin.select("a")}
    assert links["Manage accounts"] == "/manage/users/"
    assert links["Audit trail"] == "/audit/"
    assert links["Anonymised figures and exports"] == "/stats/"
    assert links["Decide on erasure requests"] == "/manage/erasures/"
    assert count(page, "pending_erasures") == "1"
    assert case.number in admin.select_one('[data-list="pending_erasures"]').get_text()
    assert "Aurelio" not in str(admin)  # an administrator never sees a client's name
    from northstar.accounts.models import User

    assert count(page, "active_users") == str(User.objects.filter(is_active=True).count())


# --- constant queries -----------------------------------------------------------------------

def populate(user, partner_org, size: int) -> None:
    make_cases(user, size, urgency=Urgency.URGENT)
    make_cases(user, size, status=CaseStatus.DRAFT)
    make_referrals(user, partner_org, size, sent_hours_ago=3)
    make_referrals(user, partner_org, size, sent_hours_ago=200)
    for case in make_cases(user, size):
        ErasureRequest.objects.create(case=case, requested_by=user)


def home_queries(client, user, django_assert_max_num_queries, limit: int) -> None:
    with django_assert_max_num_queries(limit):
        assert client.get("/").status_code == 200


@pytest.mark.parametrize("size", [5, 50])
def test_staff_home_costs_the_same_queries_for_5_or_50_cases(
        client, django_assert_max_num_queries, size):
    """Counsellor + coordinator + admin sections at once: the same ceiling at both sizes
    (session, user, 3 counsellor, 5 coordinator, 4 admin queries, saving the session)."""
    user = UserFactory(counsellor=True, coordinator=True, admin=True)
    populate(user, OrganisationFactory(), size)
    sign_in(client, user)
    home_queries(client, user, django_assert_max_num_queries, 17)


@pytest.mark.parametrize("size", [5, 50])
def test_partner_home_costs_the_same_queries_for_5_or_50_referrals(
        client, partner_user, django_assert_max_num_queries, size):
    make_referrals(UserFactory(counsellor=True), partner_user.organisation, size,
                   sent_hours_ago=3)
    sign_in(client, partner_user)
    home_queries(client, partner_user, django_assert_max_num_queries, 8)


def test_home_query_count_does_not_grow(client):
    """The exact count, measured at 5 and then at 50 cases of each kind: equal."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = UserFactory(counsellor=True, coordinator=True, admin=True)
    partner_org = OrganisationFactory()
    sign_in(client, user)
    counts = []
    for size in (5, 45):  # 5, then 50 in all
        populate(user, partner_org, size)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
