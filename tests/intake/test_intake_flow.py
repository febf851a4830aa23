"""The intake over HTTP, as a counsellor does it during a call."""

import pytest
from django.urls import reverse

from eligibility.selectors import facts_for_case
from intake.models import Case, CaseEvent, CaseStatus, Urgency
from intake.services import facts_errors
from intake.steps import STEP_SLUGS
from northstar.audit.models import AuditEvent
from tests.helpers import sign_in
from tests.intake.intake_helpers import COMPLETE_CASE, step_post

pytestmark = pytest.mark.django_db


def start_case(client, given="Marisol", family="Testcase", dob="1994-03-12") -> Case:
    response = client.post("/cases/new/", {"given_name": given, "family_name": family,
                                           "date_of_birth": dob})
    assert response.status_code == 302
    case = Case.objects.latest("id")
    assert response["Location"] == f"/cases/{case.number}/intake/identity/"
    return case


def step_url(case, slug):
    return reverse("intake:step", kwargs={"number": case.number, "step": slug})


def test_full_intake_captures_every_step_and_screens(client, counsellor,
                                                    django_capture_on_commit_callbacks):
    sign_in(client, counsellor)
    case = start_case(client)
    with django_capture_on_commit_callbacks(execute=True):
        for slug in STEP_SLUGS:
            values, none = COMPLETE_CASE[slug]
            response = client.post(step_url(case, slug), step_post(slug, values, none,
                                                                    save_next=True))
            assert response.status_code == 302, (slug, response.content.decode()[:3000])
    case.refresh_from_db()
    assert case.steps_done == list(STEP_SLUGS)
    facts = facts_for_case(case)
    assert facts_errors(case) == []
    assert facts["person"]["citizenships"] == ["HN"]
    assert facts["relatives_in_canada"][0] == {
        "relationship": "brother", "status": "permanent_resident", "in_canada": True,
        "resides_in_canada": True, "province": "QC", "age": 35}
    assert facts["prior_claims"][0]["kind"] == "asylum_affirmative"
    assert facts["canadian_documents"] == []
    assert facts["economic"]["language"] == {"english": "no_test", "french": "no_test"}
    assert "spouse" not in facts
    assert case.urgency == Urgency.URGENT
    assert case.stat_nationality == "HN" and case.stat_province == "QC"
    # Screened after the saves (in-process): STCA exception through the PR brother in Canada,
    # but the pending US asylum claim bars the claim under A101(1)(c.1).
    assert case.screening_outcomes["refugee_claim"] == "LIKELY_INELIGIBLE"
    assert case.screening_outcomes["stca_applies"] is False

    review = client.get(step_url(case, "review"))
    assert review.status_code == 200
    assert "not legal advice" in review.content.decode()
    assert client.post(step_url(case, "review")).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN

    page = client.get(f"/cases/{case.number}/")
    html = page.content.decode()
    assert "Marisol Testcase" in html and "Likely" in html
    assert AuditEvent.objects.filter(action="case.viewed", object_id=str(case.pk)).exists()


def test_invalid_answers_rerender_with_errors_and_valid_ones_are_kept(client, counsellor):
    sign_in(client, counsellor)
    case = start_case(client)
    data = step_post("plan", {"plan": {"entry_mode": "airport", "entry_date": "2026-12-10",
                                       "claim_date": "2026-12-01"}}, save_next=True)
    response = client.post(step_url(case, "plan"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "The claim date cannot be before the entry date." in html
    assert 'value="2026-12-01"' in html  # what was typed is still there
    case.refresh_from_db()
    assert case.plan == {"entry_mode": "airport", "entry_date": "2026-12-10"}
    assert "plan" not in case.steps_done


def test_wrong_date_does_not_cost_the_name(client, counsellor):
    sign_in(client, counsellor)
    case = start_case(client, dob="")
    data = step_post("identity", {"client": {"given_name": "Renamed", "family_name": "Person",
                                             "date_of_birth": "2026-02-30"}})
    response = client.post(step_url(case, "identity"), data)
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.client.given_name == "Renamed"
    assert case.client.date_of_birth is None


def test_steps_can_be_done_in_any_order_and_resume_where_stopped(client, counsellor):
    sign_in(client, counsellor)
    case = start_case(client)
    values, none = COMPLETE_CASE["relatives"]
    client.post(step_url(case, "relatives"), step_post("relatives", values, none, save=True))
    resume = client.get(f"/cases/{case.number}/intake/")
    assert resume["Location"] == step_url(case, "identity")
    data = step_post("plan", {"plan": {"entry_date": "2026-13-01"}}, save=True)
    client.post(step_url(case, "plan"), data)
    assert client.get(f"/cases/{case.number}/intake/")["Location"] == step_url(case, "plan")


def test_add_row_keeps_typed_rows_and_adds_one(client, counsellor):
    sign_in(client, counsellor)
    case = start_case(client)
    data = step_post("relatives", {"relatives_in_canada": [
        {"relationship": "sister", "status": "citizen", "in_canada": True}]})
    data["add"] = "relatives_in_canada"
    response = client.post(step_url(case, "relatives"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="relatives_in_canada-1-relationship"' in html
    case.refresh_from_db()
    assert case.relatives_in_canada == [{"relationship": "sister", "status": "citizen",
                                         "in_canada": True}]


def test_none_box_and_rows_together_is_an_error(client, counsellor):
    sign_in(client, counsellor)
    case = start_case(client)
    data = step_post("relatives", {"relatives_in_canada": [{"relationship": "sister"}]},
                     none={"relatives_in_canada"})
    response = client.post(step_url(case, "relatives"), data)
    assert "You ticked “none” but also added entries." in response.content.decode()
    case.refresh_from_db()
    assert case.relatives_in_canada is None


def test_list_left_empty_is_unknown_and_none_box_means_none(client, counsellor):
    sign_in(client, counsellor)
    case = start_case(client)
    client.post(step_url(case, "relatives"), step_post("relatives"))
    case.refresh_from_db()
    assert case.relatives_in_canada is None
    client.post(step_url(case, "relatives"), step_post("relatives",
                                                       none={"relatives_in_canada"}))
    case.refresh_from_db()
    assert case.relatives_in_canada == []


def test_two_mothers_are_refused(client, counsellor):
    sign_in(client, counsellor)
    case = start_case(client)
    data = step_post("family", {"parents": [{"relationship": "mother"},
                                            {"relationship": "mother"}]})
    response = client.post(step_url(case, "family"), data)
    assert "Give at most one mother." in response.content.decode()
    case.refresh_from_db()
    assert case.parents is None


def test_stateless_with_citizenship_is_refused(client, counsellor):
    sign_in(client, counsellor)
    case = start_case(client)
    data = step_post("identity", {"client": {"given_name": "Marisol"},
                                  "person": {"citizenships": ["HN"], "stateless": True}})
    response = client.post(step_url(case, "identity"), data)
    assert "A stateless person has no citizenship" in response.content.decode()
    case.refresh_from_db()
    assert case.person.get("stateless") is None


def test_spouse_fields_without_relationship_are_refused_and_empty_step_means_none(
        client, counsellor):
    sign_in(client, counsellor)
    case = start_case(client)
    response = client.post(step_url(case, "spouse"), step_post(
        "spouse", {"spouse": {"canadian_status": "citizen"}}))
    assert "Choose the relationship" in response.content.decode()
    client.post(step_url(case, "spouse"), step_post(
        "spouse", {"spouse": {"relationship": "spouse", "canadian_status": "citizen",
                              "lives_in": "canada"}}))
    case.refresh_from_db()
    assert case.spouse == {"relationship": "spouse", "canadian_status": "citizen",
                           "lives_in": "canada"}
    client.post(step_url(case, "spouse"), step_post("spouse", {"spouse": {}}))
    case.refresh_from_db()
    assert case.spouse is None


def test_steps_and_saves_are_audited_and_on_the_timeline(client, counsellor):
    sign_in(client, counsellor)
    case = start_case(client)
    values, none = COMPLETE_CASE["contact"]
    client.post(step_url(case, "contact"), step_post("contact", values, none))
    event = CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.STEP_SAVED).get()
    assert event.details == {"step": "contact", "saved": ["client", "person"],
                             "with_errors": []}
    audit = AuditEvent.objects.get(action="case.updated", object_id=str(case.pk))
    assert audit.details == {"step": "contact", "sections": ["client", "person"]}
    assert "555" not in str(audit.details) and "heron" not in str(event.details)


def test_duplicate_warning_on_same_name_and_birth_date(client, counsellor):
    sign_in(client, counsellor)
    first = start_case(client, given="Ana", family="Duplicate", dob="1990-01-01")
    second = start_case(client, given="ANA", family="duplicate", dob="1990-01-01")
    html = client.get(step_url(second, "identity")).content.decode()
    assert "Possible duplicate." in html and first.number in html
    third = start_case(client, given="Ana", family="Duplicate", dob="1990-01-02")
    assert "Possible duplicate." not in client.get(step_url(third, "identity")).content.decode()


def test_closed_case_is_read_only(client, counsellor):
    sign_in(client, counsellor)
    case = start_case(client)
    client.post(f"/cases/{case.number}/close/", {"reason": "not_pursuing"})
    data = step_post("identity", {"client": {"given_name": "Changed"}})
    client.post(step_url(case, "identity"), data)
    case.refresh_from_db()
    assert case.client.given_name == "Marisol"
    assert case.status == CaseStatus.CLOSED
    client.post(f"/cases/{case.number}/reopen/")
    case.refresh_from_db()
    assert case.status == CaseStatus.DRAFT


def test_autosave_by_htmx_saves_and_answers_with_a_status_line(client, counsellor):
    sign_in(client, counsellor)
    case = start_case(client)
    data = step_post("contact", {"client": {"code_word": "autosaved"},
                                 "person": {"us_status": "tps"}})
    data["autosave"] = "1"
    response = client.post(step_url(case, "contact"), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.content.decode().startswith("Saved at ")
    case.refresh_from_db()
    assert case.client.code_word == "autosaved" and case.person["us_status"] == "tps"
    data = step_post("plan", {"plan": {"entry_date": "2026-12-01", "claim_date": "2026-11-01"}})
    data["autosave"] = "1"
    response = client.post(step_url(case, "plan"), data, HTTP_HX_REQUEST="true")
    assert "need attention" in response.content.decode()
    case.refresh_from_db()
    assert case.plan == {"entry_date": "2026-12-01"}
