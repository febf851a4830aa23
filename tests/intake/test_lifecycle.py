"""Closing, the retention purge and erasure on request."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from intake.consent import consent_record
from intake.lifecycle import (
    case_purge,
    erasure_decide,
    erasure_request_create,
    purge_expired_closed_cases,
)
from intake.models import Case, CaseEvent, CaseStatus, ClientNameIndex, Note
from intake.services import case_close, case_create, note_add
from intake.tasks import refresh_urgency
from northstar.audit.models import AuditEvent
from tests.canary import database_text
from tests.factories import OrganisationFactory, UserFactory
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db
MARKERS = ("Purgeable", "Testperson", "purge-note-marker", "purge-alias", "purge-code")


def rich_case(counsellor) -> Case:
    case = case_create(actor=counsellor, given_name="Purgeable", family_name="Testperson",
                       date_of_birth=datetime.date(1980, 5, 5))
    case.client.aliases = ["purge-alias"]
    case.client.code_word = "purge-code"
    case.client.save()
    case.person = {"citizenships": ["HN"]}
    case.economic = {"intended_province": "ON"}
    case.stat_nationality, case.stat_province, case.stat_age_band = "HN", "ON", "35-49"
    case.screening_outcomes = {"refugee_claim": "NEEDS_REVIEW"}
    case.save()
    note_add(actor=counsellor, case=case, body="purge-note-marker")
    consent_record(actor=counsellor, case=case, purpose="referral", method="verbal",
                   given_by="client", given_on=timezone.localdate(),
                   partner=OrganisationFactory(), notes="purge-note-marker consent")
    return case


def assert_no_personal_data_left(case: Case) -> None:
    case.refresh_from_db()
    client = case.client
    assert case.purged_at is not None and client.purged_at is not None
    assert (client.given_name, client.family_name, client.aliases, client.date_of_birth) == (
        "", "", [], None)
    assert case.person == {} and case.economic is None and case.household == []
    assert not Note.objects.filter(case=case).exists()
    assert not ClientNameIndex.objects.filter(client=client).exists()
    assert not case.assessments.exists()
    dump = database_text()
    assert [m for m in MARKERS if m in dump] == []
    # The anonymised statistical record remains.
    assert (case.stat_nationality, case.stat_province, case.stat_age_band) == ("HN", "ON",
                                                                               "35-49")
    assert case.screening_outcomes == {"refugee_claim": "NEEDS_REVIEW"}


def test_retention_purges_cases_closed_long_enough_ago(settings, counsellor):
    settings.RETENTION_DAYS = 30
    old = rich_case(counsellor)
    recent = case_create(actor=counsellor, given_name="Recent")
    case_close(actor=counsellor, case=old, reason="done")
    case_close(actor=counsellor, case=recent, reason="done")
    Case.objects.filter(pk=old.pk).update(closed_at=timezone.now() - datetime.timedelta(days=31))
    assert purge_expired_closed_cases() == 1
    assert_no_personal_data_left(old)
    recent.refresh_from_db()
    assert recent.purged_at is None and recent.client.given_name == "Recent"
    assert CaseEvent.objects.filter(case=old, kind=CaseEvent.Kind.PURGED).exists()
    assert AuditEvent.objects.filter(action="case.purged", object_id=str(old.pk),
                                     details={"reason": "retention"}).exists()
    assert purge_expired_closed_cases() == 0  # idempotent


def test_open_cases_are_never_purged_by_retention(settings, counsellor):
    settings.RETENTION_DAYS = 0
    case = case_create(actor=counsellor, given_name="Still open")
    assert purge_expired_closed_cases() == 0
    case.refresh_from_db()
    assert case.purged_at is None


def test_client_identity_survives_while_another_case_is_live(counsellor):
    first = rich_case(counsellor)
    second = Case.objects.create(client=first.client, number="NS-TEST-0002",
                                 created_by=counsellor)
    case_purge(case=first, reason="retention")
    first.client.refresh_from_db()
    assert first.client.given_name == "Purgeable"
    case_purge(case=second, reason="retention")
    first.client.refresh_from_db()
    assert first.client.given_name == ""


def test_erasure_needs_a_coordinator_request_and_another_admins_confirmation(client):
    counsellor = UserFactory(counsellor=True)
    coordinator = UserFactory(coordinator=True, is_network_admin=True)
    admin = UserFactory(admin=True)
    case = rich_case(counsellor)
    with pytest.raises(PermissionDenied):
        erasure_request_create(actor=counsellor, case=case)
    request = erasure_request_create(actor=coordinator, case=case, reason="client asked")
    assert erasure_request_create(actor=coordinator, case=case) == request  # one open request
    with pytest.raises(ValidationError):  # four eyes: not the requester
        erasure_decide(actor=coordinator, request=request, approve=True)
    with pytest.raises(PermissionDenied):
        erasure_decide(actor=counsellor, request=request, approve=True)
    sign_in(client, admin)
    page = client.get("/manage/erasures/").content.decode()
    assert case.number in page and "Purgeable" not in page  # admins see no case file
    response = client.post(f"/manage/erasures/{request.pk}/", {"decision": "approve"})
    assert response.status_code == 302
    assert_no_personal_data_left(case)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert AuditEvent.objects.filter(action="case.erasure_decided",
                                     details__approved=True).exists()
    assert client.get(f"/cases/{case.number}/").status_code == 403  # admin: no case role


def test_rejected_erasure_changes_nothing(client, admin_user, coordinator, counsellor):
    case = rich_case(counsellor)
    request = erasure_request_create(actor=coordinator, case=case)
    sign_in(client, admin_user)
    client.post(f"/manage/erasures/{request.pk}/", {"decision": "reject"})
    case.refresh_from_db()
    assert case.purged_at is None and case.client.given_name == "Purgeable"
    request.refresh_from_db()
    assert request.approved is False


def test_erasure_request_page_flow_for_coordinators(client, coordinator, counsellor):
    case = rich_case(counsellor)
    sign_in(client, coordinator)
    response = client.post(f"/cases/{case.number}/erasure/", {"confirm": "on",
                                                              "reason": "asked by phone"})
    assert response.status_code == 302
    assert case.erasure_requests.filter(decided_at__isnull=True).count() == 1


def test_nightly_urgency_refresh_follows_the_removal_date(counsellor):
    case = case_create(actor=counsellor, given_name="Soon removed")
    case.removal_date = timezone.localdate() + datetime.timedelta(days=3)
    case.save()
    Case.objects.filter(pk=case.pk).update(urgency=0)
    assert refresh_urgency() == 1
    case.refresh_from_db()
    assert case.urgency == 3
