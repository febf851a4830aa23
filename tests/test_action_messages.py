"""Every action ends with a message saying what happened (the actions that had none)."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages

from intake.models import Case
from referrals.models import Referral
from tests.helpers import sign_in
from tests.intake.intake_helpers import COMPLETE_CASE, step_post
from tests.referrals.referral_helpers import make_world

pytestmark = pytest.mark.django_db


def messages_of(response) -> list[tuple[str, str]]:
    return [(message.level_tag, str(message)) for message in get_messages(response.wsgi_request)]


def test_starting_a_case_says_so(client, counsellor):
    sign_in(client, counsellor)
    response = client.post("/cases/new/", {"given_name": "Odalys", "family_name": "Messagetest"})
    case = Case.objects.get(created_by=counsellor)
    assert response.status_code == 302
    assert messages_of(response) == [
        ("success", f"Case {case.number} started. Answers are saved as you type.")]


def test_a_refused_new_case_says_so(client, counsellor):
    sign_in(client, counsellor)
    response = client.post("/cases/new/", {"given_name": ""})
    assert response.status_code == 200
    assert messages_of(response) == [
        ("error", "The case was not started: check the answers below.")]
    assert not Case.objects.exists()


def test_save_and_continue_says_saved(client, counsellor, django_capture_on_commit_callbacks):
    sign_in(client, counsellor)
    client.post("/cases/new/", {"given_name": "Odalys"})
    case = Case.objects.get(created_by=counsellor)
    list(get_messages(client.get("/").wsgi_request))  # the "started" message is shown
    values, none = COMPLETE_CASE["urgency"]
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(f"/cases/{case.number}/intake/urgency/",
                               step_post("urgency", values, none, save_next=True))
    assert response.status_code == 302
    assert messages_of(response) == [("success", "Saved.")]


def test_preparing_a_referral_says_what_comes_next(client):
    world = make_world()
    sign_in(client, world.coordinator)
    response = client.post(f"/cases/{world.case.number}/referrals/new/",
                           {"service": world.partner.service.pk})
    referral = Referral.objects.get(case=world.case)
    assert response["Location"] == f"/referrals/{referral.reference}/"
    assert messages_of(response) == [
        ("success", "Draft referral prepared. Choose what to share and check the preview "
                    "before sending.")]


def test_requesting_an_export_says_so(client, admin_user, django_capture_on_commit_callbacks):
    sign_in(client, admin_user)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post("/stats/exports/", {"from_quarter": "2026-Q1",
                                                   "to_quarter": "2026-Q2", "format": "csv"})
    assert response.status_code == 302
    assert messages_of(response) == [
        ("success", "Export requested. This page shows when the file is ready.")]


def test_a_refused_export_says_so(client, admin_user):
    sign_in(client, admin_user)
    response = client.post("/stats/exports/", {"format": "nonsense"})
    assert response.status_code == 200
    assert messages_of(response) == [
        ("error", "The export was not requested: check the period and the format.")]
