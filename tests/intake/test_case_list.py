import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from intake.case_numbers import new_case_number
from intake.models import Case, CaseStatus, Client, Urgency
from intake.services import case_close, case_create
from northstar.audit.models import AuditEvent
from tests.factories import UserFactory
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db


def bulk_cases(owner, count: int, **fields) -> None:
    clients = Client.objects.bulk_create(
        [Client(given_name=f"Bulk{i}", family_name="Person") for i in range(count)],
        batch_size=1000)
    Case.objects.bulk_create(
        [Case(client=client, number=new_case_number(), created_by=owner, assigned_to=owner,
              status=CaseStatus.OPEN, urgency=i % 4, **fields)
         for i, client in enumerate(clients)], batch_size=1000)


def test_query_count_does_not_grow_with_page_size(client):
    coordinator = UserFactory(coordinator=True)
    counsellor = UserFactory(counsellor=True)
    bulk_cases(counsellor, 10_000)
    sign_in(client, coordinator)
    counts = {}
    for size in (10, 50):
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/cases/", {"per_page": size, "page": 3})
        assert response.status_code == 200
        assert response.content.decode().count('<td><a href="/cases/NS-') == size
        counts[size] = len(queries)
    assert counts[10] == counts[50]
    assert counts[10] <= 12


def test_the_count_stops_at_the_limit_and_the_list_says_so(client, settings):
    """The total is counted up to the limit (its cost does not grow with the network): past
    it the pages go through the first thousand and the page asks for a filter."""
    from northstar.common.pagination import DEFAULT_LIMIT

    coordinator = UserFactory(coordinator=True)
    counsellor = UserFactory(counsellor=True)
    bulk_cases(counsellor, DEFAULT_LIMIT + 1)
    sign_in(client, coordinator)
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/cases/", {"per_page": 50}).content.decode()
    counts = [query["sql"] for query in queries if "COUNT(*)" in query["sql"]]
    assert len(counts) == 1 and f"LIMIT {DEFAULT_LIMIT + 1}" in counts[0]
    assert ("More than 1000 cases: the list shows the first 1000. Use the filters to narrow "
            "it.") in html
    assert "Page 1 of 20" in html
    last = client.get("/cases/", {"per_page": 50, "page": 20}).content.decode()
    assert last.count('<td><a href="/cases/NS-') == 50
    assert 'rel="next"' not in last
    assert "Page 20 of 20" in client.get("/cases/", {"per_page": 50, "page": 99}).content.decode()

    Case.objects.filter(pk=Case.objects.order_by("pk").first().pk).update(
        status=CaseStatus.CLOSED)
    exact = client.get("/cases/", {"per_page": 50}).content.decode()
    assert "1000 cases" in exact and "More than" not in exact


def test_the_list_reads_only_the_columns_it_shows(client):
    """No case's facts or client's contact details are read (and decrypted) for the list."""
    coordinator = UserFactory(coordinator=True)
    counsellor = UserFactory(counsellor=True, full_name="Ana Counsellor")
    bulk_cases(counsellor, 3)
    sign_in(client, coordinator)
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/cases/").content.decode()
    assert html.count("Bulk") == 3 and html.count("Ana Counsellor") == 3
    listed = [query["sql"] for query in queries.captured_queries
              if query["sql"].startswith('SELECT "intake_case"."id"')]
    assert len(listed) == 1
    for column in ('"intake_case"."person"', '"intake_case"."plan"',
                   '"intake_client"."contact_details"', '"intake_client"."date_of_birth"'):
        assert column not in listed[0]


def test_counsellor_sees_own_and_assigned_cases_only(client, counsellor):
    other = UserFactory(counsellor=True)
    mine = case_create(actor=counsellor, given_name="Mine")
    theirs = case_create(actor=other, given_name="Theirs")
    sign_in(client, counsellor)
    html = client.get("/cases/").content.decode()
    assert mine.number in html and theirs.number not in html
    assert client.get(f"/cases/{theirs.number}/").status_code == 404


def test_coordinator_sees_all_active_cases_and_closed_on_request(client, coordinator,
                                                                 counsellor):
    active = case_create(actor=counsellor, given_name="Active")
    closed = case_create(actor=counsellor, given_name="Closed")
    case_close(actor=counsellor, case=closed, reason="no_contact")
    sign_in(client, coordinator)
    html = client.get("/cases/").content.decode()
    assert active.number in html and closed.number not in html
    html = client.get("/cases/", {"status": "closed"}).content.decode()
    assert closed.number in html and active.number not in html


def test_most_urgent_first_and_filters(client, coordinator, counsellor):
    routine = case_create(actor=counsellor, given_name="Routine")
    critical = case_create(actor=counsellor, given_name="Critical")
    Case.objects.filter(pk=critical.pk).update(urgency=Urgency.CRITICAL,
                                               screening_outcomes={"refugee_claim":
                                                                   "LIKELY_ELIGIBLE"})
    sign_in(client, coordinator)
    html = client.get("/cases/").content.decode()
    assert html.index(critical.number) < html.index(routine.number)
    html = client.get("/cases/", {"urgency": Urgency.URGENT}).content.decode()
    assert critical.number in html and routine.number not in html
    html = client.get("/cases/", {"pathway": "refugee_claim",
                                  "outcome": "LIKELY_ELIGIBLE"}).content.decode()
    assert critical.number in html and routine.number not in html
    html = client.get("/cases/", {"outcome": "NEEDS_REVIEW"}).content.decode()
    assert critical.number not in html
    today = datetime.date.today().isoformat()
    assert routine.number in client.get("/cases/", {"created_after": today}).content.decode()
    html = client.get("/cases/", {"assigned": "none"}).content.decode()
    assert routine.number not in html
    html = client.get("/cases/", {"urgency": "bogus", "per_page": "9999"})
    assert html.status_code == 200


def test_search_by_number_and_by_name_and_birth_date_is_post_only(client, counsellor):
    case = case_create(actor=counsellor, given_name="José", family_name="Searchable",
                       date_of_birth=datetime.date(1988, 7, 4))
    other = case_create(actor=counsellor, given_name="José", family_name="Searchable",
                        date_of_birth=datetime.date(1988, 7, 5))
    sign_in(client, counsellor)
    response = client.post("/cases/search/", {"case_number": case.number.lower()
                                              .replace("-", " ")})
    assert case.number in response.content.decode()
    response = client.post("/cases/search/", {"full_name": "jose SEARCHABLE",
                                              "date_of_birth": "1988-07-04"})
    html = response.content.decode()
    assert case.number in html and other.number not in html
    response = client.get("/cases/search/", {"full_name": "José Searchable",
                                             "date_of_birth": "1988-07-04"})
    assert case.number not in response.content.decode()  # GET never searches
    response = client.post("/cases/search/", {"full_name": "José Searchable"})
    assert "together with the date of birth" in response.content.decode()
    events = AuditEvent.objects.filter(action="case.searched").order_by("id")
    assert [e.details for e in events] == [{"by": "number", "results": 1},
                                           {"by": "name_and_birth_date", "results": 1}]


def test_search_finds_aliases_but_not_other_counsellors_cases(client, counsellor):
    from intake.services import client_name_indexes_rebuild

    other = UserFactory(counsellor=True)
    hidden = case_create(actor=other, given_name="Hidden", family_name="Person",
                         date_of_birth=datetime.date(1970, 1, 1))
    mine = case_create(actor=counsellor, given_name="Known", family_name="Person",
                       date_of_birth=datetime.date(1970, 1, 1))
    mine.client.aliases = ["Hidden Person"]
    mine.client.save()
    client_name_indexes_rebuild(mine.client)
    sign_in(client, counsellor)
    html = client.post("/cases/search/", {"full_name": "Hidden Person",
                                          "date_of_birth": "1970-01-01"}).content.decode()
    assert mine.number in html and hidden.number not in html
