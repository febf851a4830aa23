"""The public "get help" form (/help/) and the counsellors' triage queue (/triage/)."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.utils import timezone

from intake.help_requests import (
    help_request_convert,
    help_request_dismiss,
    help_request_submit,
    help_requests_purge_expired,
)
from intake.lifecycle import case_purge
from intake.models import Case, HelpRequest, HelpRequestStatus
from intake.models import Client as ClientRecord
from intake.services import case_create
from northstar.audit.models import AuditEvent
from tests.factories import UserFactory
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db

NAME = "Quillon Marwick"
DETAILS = "+1 555 0199 marker"
MESSAGE = "Marker message about my brother in Winnipeg"


def form_data(**overrides) -> dict:
    data = {"name": NAME, "contact_method": "signal", "contact_details": DETAILS,
            "preferred_language": "es", "message": MESSAGE, "consent": "on", "website": ""}
    data.update(overrides)
    return data


def audit_actions() -> list[str]:
    return list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))


# --- The public form -----------------------------------------------------------------------


@pytest.mark.parametrize(("url", "lang"), [("/help/", "en"), ("/help/es/", "es"),
                                           ("/help/fr/", "fr"), ("/help/ht/", "ht")])
def test_the_form_is_in_the_language_of_its_url_with_links_to_the_others(client, url, lang):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="fr" if lang != "fr" else "es")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in html
    assert response["Content-Language"] == lang
    for other, path in (("en", "/help/"), ("es", "/help/es/"), ("fr", "/help/fr/"),
                        ("ht", "/help/ht/")):
        assert f'<link rel="alternate" hreflang="{other}" href="http://testserver{path}">' in html
        assert f'href="{path}" hreflang="{other}" lang="{other}"' in html
    assert f'value="{lang}" checked' in html  # the page's language is the default choice
    assert 'name="website"' in html and 'tabindex="-1"' in html and 'autocomplete="off"' in html
    assert "<script" not in html
    assert "http://" not in html.replace("http://testserver/", "")  # no third-party assets
    assert "https://" not in html


def test_unknown_language_is_not_found(client):
    assert client.get("/help/de/").status_code == 404


def test_a_submission_is_stored_and_sent_to_the_confirmation_in_its_language(client):
    response = client.post("/help/es/", form_data(), REMOTE_ADDR="198.51.100.1")

    assert response.status_code == 302
    assert response["Location"] == "/help/es/sent/"
    stored = HelpRequest.objects.get()
    assert (stored.name, stored.contact_method, stored.contact_details,
            stored.preferred_language, stored.message, stored.status) == (
        NAME, "signal", DETAILS, "es", MESSAGE, HelpRequestStatus.NEW)
    assert stored.consent_given_at is not None
    assert audit_actions() == ["help_request.received"]


def test_thirty_rapid_submissions_from_one_address_are_throttled(client, settings):
    settings.HELP_REQUEST_RATE_LIMIT = 5
    statuses = [client.post("/help/fr/", form_data(), REMOTE_ADDR="203.0.113.7").status_code
                for _ in range(30)]

    assert statuses == [302] * 5 + [429] * 25
    assert HelpRequest.objects.count() == 5
    refused = client.post("/help/fr/", form_data(), REMOTE_ADDR="203.0.113.7")
    assert refused.status_code == 429
    assert '<html lang="fr">' in refused.content.decode()  # the friendly page, same language
    assert refused["Retry-After"] == str(settings.HELP_REQUEST_RATE_WINDOW_SECONDS)
    # Another address is not affected.
    other = client.post("/help/fr/", form_data(), REMOTE_ADDR="203.0.113.8")
    assert other.status_code == 302
    assert HelpRequest.objects.count() == 6


def test_the_rate_limit_is_a_setting(client, settings):
    settings.HELP_REQUEST_RATE_LIMIT = 2
    statuses = [client.post("/help/", form_data(), REMOTE_ADDR="203.0.113.9").status_code
                for _ in range(4)]
    assert statuses == [302, 302, 429, 429]
    assert HelpRequest.objects.count() == 2


def test_invalid_submissions_do_not_use_up_the_limit(client, settings):
    settings.HELP_REQUEST_RATE_LIMIT = 1
    for _ in range(3):
        assert client.post("/help/", form_data(message=""), REMOTE_ADDR="203.0.113.10"
                           ).status_code == 200
    assert client.post("/help/", form_data(), REMOTE_ADDR="203.0.113.10").status_code == 302


def test_the_honeypot_drops_bots_with_the_same_answer_as_success(client):
    real = Client().post("/help/es/", form_data(), REMOTE_ADDR="198.51.100.2")
    before = (HelpRequest.objects.count(), AuditEvent.objects.count())

    bot = Client().post("/help/es/", form_data(website="http://spam.example"),
                        REMOTE_ADDR="198.51.100.3")
    sloppy_bot = Client().post("/help/es/", {"website": "x", "message": ""},
                               REMOTE_ADDR="198.51.100.4")

    assert (HelpRequest.objects.count(), AuditEvent.objects.count()) == before == (1, 1)
    for response in (bot, sloppy_bot):
        assert response.status_code == real.status_code == 302
        assert response["Location"] == real["Location"]
        assert sorted(response.cookies) == sorted(real.cookies)


def test_public_pages_set_no_cookie_but_csrf(settings):
    browser = Client(enforce_csrf_checks=True)
    pages = [browser.get("/help/ht/")]
    token = browser.cookies["csrftoken"].value
    pages.append(browser.post("/help/ht/", form_data(csrfmiddlewaretoken=token, message="")))
    pages.append(browser.post("/help/ht/", form_data(csrfmiddlewaretoken=token)))
    pages.append(browser.get(pages[-1]["Location"]))

    assert [page.status_code for page in pages] == [200, 200, 302, 200]
    for page in pages:
        assert set(page.cookies) <= {"csrftoken"}, page.cookies
    assert set(browser.cookies) == {"csrftoken"}
    assert settings.SESSION_COOKIE_NAME not in browser.cookies
    assert settings.LANGUAGE_COOKIE_NAME not in browser.cookies
    assert Session.objects.count() == 0
    assert HelpRequest.objects.count() == 1


def test_the_confirmation_echoes_nothing_and_is_the_same_for_everyone(client):
    existing = case_create(actor=UserFactory(counsellor=True), given_name=NAME)
    assert existing.client.given_name == NAME  # this person already has a case

    response = client.post("/help/", form_data(), REMOTE_ADDR="198.51.100.5", follow=True)
    html = response.content.decode()
    stranger = Client().get("/help/sent/").content.decode()

    assert response.status_code == 200
    assert response.redirect_chain == [("/help/sent/", 302)]
    for value in (NAME, "Quillon", DETAILS, "0199", MESSAGE, "Winnipeg", "Signal"):
        assert value not in html
    assert html == stranger  # nothing tells whether someone already has a case


def test_errors_are_linked_and_summarised_and_nothing_is_stored(client):
    response = client.post("/help/", {"name": "", "contact_method": "pigeon",
                                      "contact_details": "x" * 201, "consent": ""})
    html = response.content.decode()

    assert response.status_code == 200
    assert HelpRequest.objects.count() == 0
    assert 'id="error-summary" role="alert" tabindex="-1" autofocus' in html
    assert "<title>Error: Get help" in html
    assert 'aria-describedby="id_name_helptext id_name_error"' in html
    assert 'id="id_name_error">Please tell us what to call you.' in html
    assert 'aria-describedby="id_contact_details_helptext id_contact_details_error"' in html
    assert "Please keep this under 200 characters." in html
    assert "Please choose one of the options." in html
    assert 'aria-describedby="id_consent_error"' in html
    assert 'href="#id_message"' in html


def test_fields_are_encrypted_at_rest():
    help_request_submit(name=NAME, contact_method="whatsapp", contact_details=DETAILS,
                        preferred_language="ht", message=MESSAGE)
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, contact_method, contact_details, message, "
                       "preferred_language FROM intake_helprequest")
        raw = cursor.fetchone()

    for column, plain in zip(raw[:4], (NAME, "whatsapp", DETAILS, MESSAGE), strict=True):
        assert plain not in column and column.count(":") >= 1, column
    assert "Quillon" not in repr(raw) and "Winnipeg" not in repr(raw)
    assert raw[4] == "ht"  # the language stays plain: it routes the request
    assert HelpRequest.objects.get().message == MESSAGE


def test_nothing_personal_is_logged(client, caplog, settings):
    caplog.set_level(logging.DEBUG)
    settings.HELP_REQUEST_RATE_LIMIT = 1
    client.post("/help/es/", form_data(), REMOTE_ADDR="198.51.100.6")
    client.post("/help/es/", form_data(), REMOTE_ADDR="198.51.100.6")  # the 429
    client.post("/help/es/", form_data(name="", message=""), REMOTE_ADDR="198.51.100.6")

    assert len(caplog.records) > 0
    for value in (NAME, DETAILS, MESSAGE, "198.51.100.6"):
        assert value not in caplog.text


# --- The triage queue ----------------------------------------------------------------------


@pytest.fixture
def counsellor_client(counsellor):
    return sign_in(Client(), counsellor)


def make_request(**overrides) -> HelpRequest:
    values = {"name": NAME, "contact_method": "sms", "contact_details": DETAILS,
              "preferred_language": "ht", "message": MESSAGE}
    values.update(overrides)
    return help_request_submit(**values)


def test_the_queue_lists_new_requests_newest_first(counsellor_client, counsellor):
    older = make_request(name="Older Requester")
    HelpRequest.objects.filter(pk=older.pk).update(
        created_at=timezone.now() - timedelta(hours=5))
    newer = make_request(name="Newer Requester", preferred_language="fr",
                         contact_method="email")
    handled = make_request(name="Handled Requester")
    help_request_dismiss(actor=counsellor, help_request=handled, reason="spam")

    html = counsellor_client.get("/triage/").content.decode()

    assert html.index("Newer Requester") < html.index("Older Requester")
    assert "Handled Requester" not in html
    assert "Français" in html and "E-mail" in html and "Text message" in html
    assert "5\xa0hours ago" in html
    assert f'href="/triage/{newer.pk}/"' in html
    dismissed = counsellor_client.get("/triage/?status=dismissed").content.decode()
    assert "Handled Requester" in dismissed and "Newer Requester" not in dismissed


def test_an_empty_queue_says_so(counsellor_client):
    html = counsellor_client.get("/triage/").content.decode()
    assert "No new help requests." in html


def test_reading_a_request_is_audited(counsellor_client, counsellor):
    help_request = make_request()
    response = counsellor_client.get(f"/triage/{help_request.pk}/")

    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    event = AuditEvent.objects.get(action="help_request.viewed")
    assert (event.actor_id, event.object_id) == (counsellor.pk, str(help_request.pk))


def test_other_roles_cannot_see_requests(coordinator):
    help_request = make_request()
    other = sign_in(Client(), coordinator)
    assert other.get(f"/triage/{help_request.pk}/").status_code == 403
    assert other.post(f"/triage/{help_request.pk}/convert/").status_code == 403
    assert HelpRequest.objects.get().status == HelpRequestStatus.NEW
    assert Client().get("/triage/").status_code == 302


def test_start_an_intake_creates_the_client_and_case_once(counsellor_client, counsellor):
    help_request = make_request()
    response = counsellor_client.post(f"/triage/{help_request.pk}/convert/")

    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.number}/intake/identity/"
    client_record = case.client
    assert (client_record.given_name, client_record.contact_method,
            client_record.contact_details, client_record.preferred_language,
            client_record.languages) == (NAME, "sms", DETAILS, "ht", ["ht"])
    assert (case.created_by, case.assigned_to, case.status) == (counsellor, counsellor, "draft")
    help_request.refresh_from_db()
    assert (help_request.status, help_request.case, help_request.handled_by) == (
        HelpRequestStatus.CONVERTED, case, counsellor)
    converted = AuditEvent.objects.get(action="help_request.converted")
    assert converted.details == {"case": case.number}
    assert "case.created" in audit_actions()

    # The second click changes nothing.
    events = AuditEvent.objects.count()
    again = counsellor_client.post(f"/triage/{help_request.pk}/convert/", follow=True)
    assert again.redirect_chain == [(f"/triage/{help_request.pk}/", 302)]
    assert "This request has already been handled." in again.content.decode()
    assert (Case.objects.count(), ClientRecord.objects.count()) == (1, 1)
    assert AuditEvent.objects.exclude(action="help_request.viewed").count() == events
    assert counsellor_client.post(f"/triage/{help_request.pk}/dismiss/",
                                  {"reason": "spam"}).status_code == 302
    help_request.refresh_from_db()
    assert (help_request.status, help_request.dismiss_reason) == (
        HelpRequestStatus.CONVERTED, "")


def test_dismiss_needs_a_reason_and_happens_once(counsellor_client, counsellor):
    help_request = make_request()
    missing = counsellor_client.post(f"/triage/{help_request.pk}/dismiss/", {"reason": ""})
    assert missing.status_code == 200
    assert "Choose a reason." in missing.content.decode()
    help_request.refresh_from_db()
    assert help_request.status == HelpRequestStatus.NEW

    response = counsellor_client.post(f"/triage/{help_request.pk}/dismiss/",
                                      {"reason": "unreachable"})
    assert response.status_code == 302 and response["Location"] == "/triage/"
    help_request.refresh_from_db()
    assert (help_request.status, help_request.dismiss_reason, help_request.handled_by) == (
        HelpRequestStatus.DISMISSED, "unreachable", counsellor)
    dismissed = AuditEvent.objects.get(action="help_request.dismissed")
    assert (dismissed.actor_id, dismissed.details) == (counsellor.pk, {"reason": "unreachable"})

    counsellor_client.post(f"/triage/{help_request.pk}/dismiss/", {"reason": "spam"})
    counsellor_client.post(f"/triage/{help_request.pk}/convert/")
    help_request.refresh_from_db()
    assert (help_request.status, help_request.dismiss_reason) == (
        HelpRequestStatus.DISMISSED, "unreachable")
    assert Case.objects.count() == 0
    assert AuditEvent.objects.filter(action="help_request.dismissed").count() == 1


def test_services_refuse_a_handled_request(counsellor):
    from django.core.exceptions import ValidationError

    help_request = make_request()
    help_request_dismiss(actor=counsellor, help_request=help_request, reason="spam")
    with pytest.raises(ValidationError):
        help_request_convert(actor=counsellor, help_request=help_request)
    with pytest.raises(ValidationError):
        help_request_dismiss(actor=counsellor, help_request=help_request, reason="other")
    assert Case.objects.count() == 0


# --- Retention -----------------------------------------------------------------------------


def test_handled_requests_lose_their_personal_fields_after_the_retention_period(
        counsellor, settings):
    settings.HELP_REQUEST_RETENTION_DAYS = 30
    dismissed = make_request()
    help_request_dismiss(actor=counsellor, help_request=dismissed, reason="spam")
    converted = make_request()
    help_request_convert(actor=counsellor, help_request=converted)
    waiting = make_request()
    now = timezone.now()

    assert help_requests_purge_expired(now=now + timedelta(days=29)) == 0
    assert help_requests_purge_expired(now=now + timedelta(days=31)) == 2

    for handled in (dismissed, converted):
        handled.refresh_from_db()
        assert (handled.name, handled.contact_method, handled.contact_details,
                handled.message) == ("", "", "", "")
        assert handled.purged_at is not None
    waiting.refresh_from_db()
    assert (waiting.name, waiting.message, waiting.purged_at) == (NAME, MESSAGE, None)
    assert Case.objects.get().client.given_name == NAME  # the case keeps its own copy
    assert AuditEvent.objects.filter(action="help_request.purged").count() == 2
    assert help_requests_purge_expired(now=now + timedelta(days=60)) == 0


def test_the_beat_task_runs_the_purge(counsellor, settings):
    from intake.tasks import purge_expired_help_requests

    settings.HELP_REQUEST_RETENTION_DAYS = 0
    help_request = make_request()
    help_request_dismiss(actor=counsellor, help_request=help_request, reason="spam")
    HelpRequest.objects.filter(pk=help_request.pk).update(
        handled_at=timezone.now() - timedelta(days=1))

    assert purge_expired_help_requests.delay().get() == 1
    assert HelpRequest.objects.get().name == ""
    assert "intake.purge_expired_help_requests" in {
        entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}


def test_purging_the_case_purges_the_request_it_came_from(counsellor):
    help_request = make_request()
    case = help_request_convert(actor=counsellor, help_request=help_request)

    case_purge(case=case, reason="erasure", actor=counsellor)

    help_request.refresh_from_db()
    assert (help_request.name, help_request.message, help_request.contact_details) == (
        "", "", "")
    assert help_request.purged_at is not None
