"""The Django side of screening: the ``screen`` command, the staff API, the stored
assessments and the re-screening of every open case when the rules change."""

import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from eligibility.engine import rules_version, screen
from eligibility.models import Assessment, RescreenRun
from eligibility.services import case_screen, cases_screen, rescreen_start
from intake.models import CaseEvent, CaseStatus
from intake.services import case_close, case_create
from tests.factories import UserFactory
from tests.helpers import sign_in

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "tests/eligibility/examples/honduran-pr-brother-land-port.facts.json"


def run_screen(*args, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")}  # nothing else
    return subprocess.run([sys.executable, "manage.py", "screen", *args], cwd=ROOT, env=env,
                          input=stdin, capture_output=True, text=True, timeout=60, check=False)


def test_screen_command_prints_the_assessment_without_database_or_environment():
    result = run_screen(str(EXAMPLE))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == screen(json.loads(EXAMPLE.read_text()))


def test_screen_command_reads_stdin():
    result = run_screen("-", stdin=EXAMPLE.read_text())
    assert result.returncode == 0
    assert json.loads(result.stdout)["schema"] == "northstar.eligibility.assessment/1"


@pytest.mark.parametrize(
    ("body", "expected"),
    [("{not json", "invalid facts: malformed JSON"),
     ('{"plan": {"entry_date": "2026-13-01"}}',
      "invalid facts: /plan/entry_date: '2026-13-01' is not a 'date'"),
     ('{"person": {"date_of_birth": "2026-02-30"}}', "invalid facts: /person/date_of_birth"),
     ('{"nonsense": 1}', "invalid facts:"),
     ('{"person": {"stateless": "maybe"}}', "invalid facts: /person/stateless")],
)
def test_screen_command_rejects_bad_facts_with_exit_2_and_no_traceback(body, expected):
    result = run_screen("-", stdin=body)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith(expected)
    assert "Traceback" not in result.stderr


@pytest.mark.django_db
def test_api_screens_for_case_roles_and_explains_bad_facts(client, counsellor, caplog):
    caplog.set_level(logging.DEBUG)
    sign_in(client, counsellor)
    facts = json.loads(EXAMPLE.read_text())
    response = client.post("/api/eligibility/screen/", facts, content_type="application/json")
    assert response.status_code == 200
    assert response.json() == screen(facts)
    bad = client.post("/api/eligibility/screen/", {"plan": {"entry_date": "2026-13-01"}},
                      content_type="application/json")
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["path"] == "/plan/entry_date"
    malformed = client.post("/api/eligibility/screen/", "{oops",
                            content_type="application/json")
    assert malformed.status_code == 400
    assert "malformed JSON" in malformed.json()["errors"][0]["message"]
    assert "HN" not in caplog.text and "permanent_resident" not in caplog.text


@pytest.mark.django_db
def test_api_refuses_anonymous_and_roles_without_cases(client, partner_user, admin_user):
    assert client.post("/api/eligibility/screen/", {},
                       content_type="application/json").status_code == 401
    for user in (partner_user, admin_user):
        sign_in(client, user)
        response = client.post("/api/eligibility/screen/", {},
                               content_type="application/json")
        assert response.status_code == 403 and response["Content-Type"] == "application/json"


@pytest.mark.django_db
def test_case_screening_is_stored_once_per_facts_and_rules(counsellor):
    case = case_create(actor=counsellor, given_name="Screened")
    first = case_screen(case_id=case.pk)
    assert first.rules_version == rules_version()
    assert set(first.outcomes) >= {"refugee_claim", "express_entry", "stca_applies"}
    assert case_screen(case_id=case.pk) == first  # nothing changed: no new row
    case.person = {"canadian_status": "citizen"}  # gating: every other pathway N/A
    case.save()
    second = case_screen(case_id=case.pk)
    assert second != first and Assessment.objects.filter(case=case).count() == 2
    assert second.changed  # which pathways moved, with before and after
    event = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.SCREENED)
    assert event.details["changed"] == second.changed
    case.refresh_from_db()
    assert case.screening_outcomes == second.outcomes


def age_assessments(cases, flip: set) -> None:
    """Pretend the cases were screened under an older rule set; for ``flip`` also with other
    outcomes, so that re-screening under the current rules changes them."""
    for case in cases:
        current = case_screen(case_id=case.pk)
        outcomes = dict(current.outcomes)
        if case.pk in flip:
            outcomes["refugee_claim"] = "NOT_APPLICABLE"
        Assessment.objects.create(case=case, trigger="intake", rules_version="2000-01-01",
                                  screening_date=current.screening_date,
                                  facts_fingerprint=current.facts_fingerprint,
                                  outcomes=outcomes, result=current.result)


@pytest.mark.django_db
def test_rules_change_rescreens_every_open_case_in_chunks_once(counsellor):
    cases = [case_create(actor=counsellor, given_name=f"Open {n}") for n in range(7)]
    closed = case_create(actor=counsellor, given_name="Closed")
    case_close(actor=counsellor, case=closed, reason="no_contact")
    age_assessments(cases, flip={cases[0].pk, cases[3].pk})
    Assessment.objects.filter(trigger="intake").exclude(rules_version="2000-01-01").delete()

    run = rescreen_start(chunk_size=3)
    run.refresh_from_db()
    assert (run.cases_total, run.chunks_total, len(run.chunks_finished)) == (7, 3, 3)
    assert run.finished_at is not None
    assert run.cases_changed == 2
    rescreened = Assessment.objects.filter(trigger="rules_change")
    assert rescreened.count() == 7
    assert set(rescreened.exclude(changed={}).values_list("case_id", flat=True)) == {
        cases[0].pk, cases[3].pk}
    assert not Assessment.objects.filter(case=closed).exists()
    assert rescreen_start() is None  # once per rules version


@pytest.mark.django_db
def test_batch_screening_stores_what_one_by_one_would_in_constant_queries(counsellor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from northstar.audit.models import AuditEvent

    small = [case_create(actor=counsellor, given_name=f"Small {n}") for n in range(2)]
    large = [case_create(actor=counsellor, given_name=f"Large {n}") for n in range(8)]
    age_assessments([*small, *large], flip={small[1].pk, large[0].pk, large[5].pk})
    Assessment.objects.exclude(rules_version="2000-01-01").delete()
    queries = []
    for group in (small, large):
        with CaptureQueriesContext(connection) as captured:
            assert cases_screen(case_ids=[case.pk for case in group],
                                trigger="rules_change") == len(group)
        queries.append(len(captured.captured_queries))
    assert queries[0] == queries[1]
    current = rules_version()
    for case in [*small, *large]:
        case.refresh_from_db()
        latest = Assessment.objects.filter(case=case).order_by("-id").first()
        assert (latest.trigger, latest.rules_version) == ("rules_change", current)
        assert case.screening_outcomes == latest.outcomes
        assert case.screening_rules_version == current
    changed = {event.case_id: event.details["changed"]
               for event in CaseEvent.objects.filter(kind=CaseEvent.Kind.SCREENED)}
    assert set(changed) == {small[1].pk, large[0].pk, large[5].pk}
    assert changed[large[0].pk]["refugee_claim"][0] == "NOT_APPLICABLE"
    audited = AuditEvent.objects.filter(action="case.screened",
                                        details__trigger="rules_change")
    assert sorted(audited.values_list("object_id", flat=True)) == sorted(
        str(case.pk) for case in [*small, *large])
    # Screened again under the same rules: nothing new is stored.
    assert cases_screen(case_ids=[case.pk for case in large], trigger="rules_change") == 8
    assert Assessment.objects.filter(trigger="rules_change").count() == 10


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_rescreen_runs_through_a_real_worker(celery_worker_process, require_postgres):
    counsellor = UserFactory(counsellor=True)
    cases = [case_create(actor=counsellor, given_name=f"Open {n}") for n in range(12)]
    for case in cases:
        case.status = CaseStatus.OPEN
        case.save(update_fields=["status"])
    age_assessments(cases, flip={cases[5].pk})
    Assessment.objects.exclude(rules_version="2000-01-01").delete()
    run = rescreen_start(chunk_size=5)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.finished_at:
            break
        assert celery_worker_process.poll() is None
        time.sleep(0.3)
    assert run.finished_at is not None
    assert (run.cases_total, run.chunks_total, run.cases_changed) == (12, 3, 1)
    assert RescreenRun.objects.count() == 1
