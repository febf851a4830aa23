"""Odd parameters: duplicated, oversized, out of range, NUL bytes, invalid UTF-8, wrong content
types, too many fields or files, huge file names → never a 5xx: a clear 4xx or the form again
with its errors, and nothing stored (the database and the stored files are compared before
and after, ``tests/security/snapshot.py``), or exactly what was meant (the last of duplicated
values, as Django reads them).

Every case runs in a rolled-back savepoint on the shared security world
(``tests/security/world.py``). ``pytest -s tests/security/test_parameters.py`` prints the
number of cases.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from django.conf import settings
from django.middleware.csrf import _get_new_csrf_string

from intake.models import Case, Document, Note
from tests.intake.document_helpers import make_pdf
from tests.security.snapshot import changes, rolled_back, snapshot
from tests.security.world import keep_media_root, world_fixture  # noqa: F401 (fixtures)

LONG = "ß" * 20_000  # 40 times the longest field; every form's body stays under 2.5 MB
HUGE_PAGE = "9" * 40
CASES_RUN: list[str] = []




def browser(world, persona: str):
    """``persona``'s browser: signed in, with its CSRF cookie (so that the CSRF check reads
    the body, as in production)."""
    client = world.client(persona, enforce_csrf_checks=True)
    token = _get_new_csrf_string()
    client.cookies[settings.CSRF_COOKIE_NAME] = token
    client.csrf_token = token
    return client


def post_form(client, url: str, body: bytes | str,
              content_type: str = "application/x-www-form-urlencoded", **headers):
    return client.generic("POST", url, body, content_type,
                          HTTP_X_CSRFTOKEN=client.csrf_token, **headers)


def unchanged(response, expected_status: int, before: dict, label: str) -> None:
    CASES_RUN.append(label)
    assert response.status_code == expected_status, (label, response.status_code)
    assert changes(before, snapshot()) == [], label


def client_values(client) -> dict:
    return {field.name: getattr(client, field.name) for field in client._meta.concrete_fields}


def text_of(response) -> str:
    return response.content.decode()


# --- GET list pages: duplicated, out-of-range and malformed query parameters ------------------

LIST_PAGES = {
    "counsellor": ["/cases/", "/triage/", "/directory/", "/referrals/"],
    "partner": ["/portal/"],
    "admin": ["/audit/", "/manage/users/", "/stats/", "/manage/erasures/", "/stats/exports/"],
}
QUERIES = [
    "page=1&page=2", f"page={HUGE_PAGE}", "page=-1", "page=0", "page=abc", "page=1e9",
    "page=%00", "page=%ff%fe", "page=%ed%a0%80", "status=open&status=closed",
    "status=%00", "status=" + quote(LONG[:5000]), "per_page=10&per_page=25", "per_page=-5",
    f"per_page={HUGE_PAGE}", "queue=new&queue=closed", "queue=%00",
    "urgency=9&urgency=x", "created_after=2026-02-30", "created_after=%00",
    "province=QC&province=ON", "service_type=%ff", "language=" + "x" * 3000,
    "action=a&action=b", "action=%00", "actor=1&actor=x", f"actor={HUGE_PAGE}",
    "object_id=" + quote(LONG[:3000]), "since=9999-99-99", "until=%00",
    "from_quarter=2026-Q1&from_quarter=2026-Q2", "from_quarter=%00", "to_quarter=" + "Q" * 500,
    "%00=%00", "a=" + "&a=".join(["1"] * 900),
]


@pytest.mark.django_db
def test_list_pages_take_any_query_string(world):
    for persona, paths in LIST_PAGES.items():
        client = browser(world, persona)
        for path in paths:
            for query in QUERIES:
                with rolled_back():
                    response = client.get(f"{path}?{query}")
                CASES_RUN.append(f"GET {path}?{query[:30]}")
                assert response.status_code == 200, (path, query, response.status_code)


@pytest.mark.django_db
def test_duplicated_page_parameter_reads_the_last_one(world):
    from northstar.audit.services import audit_record

    client = browser(world, "admin")
    with rolled_back():
        for _ in range(120):  # three pages of the audit log at least
            audit_record("test.parameters", actor=world.users["admin"])
        pages = {page: client.get(f"/audit/?page={page}").content for page in (1, 2, 3)}
        assert len(set(pages.values())) == 3
        assert client.get("/audit/?page=1&page=2").content == pages[2] or \
            rows(client.get("/audit/?page=1&page=2").content) == rows(pages[2])
        assert rows(client.get(f"/audit/?page={HUGE_PAGE}").content) == \
            rows(client.get("/audit/?page=-1").content)  # both: the last page
        assert rows(client.get("/audit/?page=abc").content) == rows(pages[1])
    CASES_RUN.append("GET /audit/ with duplicated, huge, negative and non-numeric pages")


def rows(html: bytes) -> list[str]:
    """The audit log's event ids on a page (the first cell of each row)."""
    import re

    return re.findall(r"<tr><td>(\d+)</td>", html.decode())


# --- path parameters ---------------------------------------------------------------------------

@pytest.mark.django_db
def test_nul_bytes_and_odd_characters_in_paths_are_not_found(world):
    client = browser(world, "counsellor")
    number = world.case_a.number
    for path in ("/cases/%00/", "/cases/NS-%00/notes/", f"/cases/{number}%00/",
                 "/cases/x%00y/intake/identity/", "/cases/%00/documents/new/",
                 "/cases/%ff/", "/cases/%ed%a0%80/", f"/cases/{number.lower()}/",
                 "/invitations/%00/", "/triage/%00/", "/referrals/RF-%00/",
                 "/directory/partners/%00/", "/stats/exports/%00/"):
        before = snapshot()
        with rolled_back():
            response = client.get(path)
            posted = post_form(client, path, "body=x")
        # 405 first where the method is wrong for the view; 404 for the object either way.
        statuses = {response.status_code, posted.status_code}
        CASES_RUN.append(f"GET and POST {path}")
        assert 404 in statuses and statuses <= {404, 405}, (path, statuses)
        assert changes(before, snapshot()) == [], path


# --- POST bodies: duplicated fields, CSRF tokens ---------------------------------------------

@pytest.mark.django_db
def test_duplicated_form_fields_store_the_last_value_once(world):
    client = browser(world, "counsellor")
    url = f"/cases/{world.case_a.number}/notes/"
    with rolled_back():
        notes = Note.objects.filter(case=world.case_a).count()
        response = post_form(client, url, "body=first&body=second&body=")
        assert response.status_code == 302
        assert Note.objects.filter(case=world.case_a).count() == notes  # the last is empty
        response = post_form(client, url, "body=first&body=second")
        assert response.status_code == 302
        assert list(Note.objects.filter(case=world.case_a).order_by("-pk").values_list(
            "body", flat=True))[:1] == ["second"]
        assert Note.objects.filter(case=world.case_a).count() == notes + 1
    CASES_RUN.append("POST note with the body twice")


@pytest.mark.django_db
def test_a_duplicated_csrf_token_is_read_last(world):
    client = world.client("counsellor", enforce_csrf_checks=True)
    token = _get_new_csrf_string()
    client.cookies[settings.CSRF_COOKIE_NAME] = token
    url = f"/cases/{world.case_a.number}/notes/"
    before = snapshot()
    with rolled_back():
        refused = client.post(url, f"csrfmiddlewaretoken={token}&csrfmiddlewaretoken=bad"
                              "&body=x", content_type="application/x-www-form-urlencoded")
    unchanged(refused, 403, before, "POST with a bad token after a good one")
    with rolled_back():
        accepted = client.post(url, f"csrfmiddlewaretoken=bad&csrfmiddlewaretoken={token}"
                               "&body=x", content_type="application/x-www-form-urlencoded")
        assert accepted.status_code == 302
    CASES_RUN.append("POST with a good token after a bad one")


# --- oversized values ----------------------------------------------------------------------

@pytest.mark.django_db
def test_very_long_values_in_every_field_are_refused_with_the_form_again(world):
    counsellor, coordinator = browser(world, "counsellor"), browser(world, "coordinator")
    public = browser(world, "anonymous")
    number = world.case_a.number
    too_long = quote(LONG)
    forms = [
        (public, "/help/", "name={0}&contact_method={0}&contact_details={0}&"
                           "preferred_language={0}&message={0}&consent={0}&website=",
         200, "Please keep this under 100 characters."),
        (counsellor, "/cases/new/", "given_name={0}&family_name={0}&date_of_birth={0}", 200,
         "Ensure this value has at most 150 characters"),
        (counsellor, "/cases/search/", "case_number={0}&full_name={0}&date_of_birth={0}", 200,
         "Ensure this value has at most 20 characters"),
        (counsellor, f"/cases/{number}/consents/new/",
         "purpose={0}&partner={0}&service_type={0}&method={0}&given_by={0}&given_on={0}&"
         "expires_on={0}&notes={0}", 200, "Ensure this value has at most 1000 characters"),
        (counsellor, f"/cases/{number}/notes/", "body={0}", 302, None),
        (coordinator, f"/cases/{number}/erasure/", "reason={0}&confirm={0}", 302, None),
        (coordinator, f"/referrals/{world.referral_a.reference}/messages/", "body={0}", 400,
         "Ensure this value has at most 5000 characters"),
        (coordinator, f"/referrals/{world.draft_a.reference}/fields/",
         "fields={0}&coordinator_note={0}", 400,
         "Ensure this value has at most 2000 characters"),
        # The intake steps with every other answer as stored (a step keeps valid answers).
        (counsellor, f"/cases/{number}/intake/identity/",
         "client-given_name={0}&client-family_name={0}&client-aliases={0}&save=1&"
         "client-date_of_birth=1994-03-12&client-languages=es&client-languages=en&"
         "client-preferred_language=es", 200, "Ensure this value has at most 150 characters"),
        (counsellor, f"/cases/{number}/intake/contact/",
         "client-contact_details={0}&client-code_word={0}&client-contact_notes={0}&"
         "client-us_city={0}&save=1&client-contact_method=signal&client-safe_to_call=no&"
         "client-safe_to_leave_message=no&client-us_state=NY", 200,
         "Ensure this value has at most 200 characters"),
    ]
    for client, url, template, status, message in forms:
        before = snapshot()
        with rolled_back():
            response = post_form(client, url, template.format(too_long))
            after = changes(before, snapshot())
            stored = Case.objects.select_related("client").get(pk=world.case_a.pk)
            assert all(LONG not in str(value) for value in (
                stored.urgency_notes, stored.household, *vars(stored.client).values()))
            assert client_values(stored.client) == client_values(world.case_a.client), url
        CASES_RUN.append(f"POST {url} with 20 000 characters in every field")
        assert response.status_code == status, (url, response.status_code)
        if message:
            assert message in text_of(response), url
        # An intake step records that it was saved (the case's step list, its timeline) and
        # writes the client's valid answers again (same values, new ciphertext, indexes
        # rebuilt; compared above by value): none of the refused values.
        assert [change for change in after if not change.startswith(
            ("intake_caseevent", "intake_case ", "intake_client"))] == [], (url, after)


@pytest.mark.django_db
def test_bodies_over_the_limits_are_a_bad_request(world, settings):
    client = browser(world, "counsellor")
    public = browser(world, "anonymous")
    url = f"/cases/{world.case_a.number}/notes/"
    too_big = "body=" + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    too_many = "&".join(f"f{index}=1" for index in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
                                                           + 1)) + "&body=x"
    for client_, target, body, label in (
            (client, url, too_big, "body over DATA_UPLOAD_MAX_MEMORY_SIZE"),
            (client, url, too_many, "more than DATA_UPLOAD_MAX_NUMBER_FIELDS fields"),
            (public, "/help/", too_big.replace("body=", "message="), "help form, body too big"),
            (public, "/help/", too_many, "help form, too many fields")):
        before = snapshot()
        with rolled_back():
            response = post_form(client_, target, body)
        unchanged(response, 400, before, label)
        assert "The request could not be understood" in text_of(response)


def multipart(parts: list[tuple[str, str | None, bytes]], boundary: str = "b0undary"):
    """(field name, file name or None, content) → a multipart body and its content type."""
    chunks = []
    for name, filename, content in parts:
        disposition = f'form-data; name="{name}"' + (
            f'; filename="{filename}"' if filename is not None else "")
        chunks.append(f"--{boundary}\r\nContent-Disposition: {disposition}\r\n"
                      f"Content-Type: application/pdf\r\n\r\n".encode() + content + b"\r\n")
    return b"".join(chunks) + f"--{boundary}--\r\n".encode(), \
        f"multipart/form-data; boundary={boundary}"


@pytest.mark.django_db
def test_uploads_with_odd_names_or_too_many_files(world, settings):
    client = browser(world, "counsellor")
    url = f"/cases/{world.case_a.number}/documents/new/"
    pdf = make_pdf()
    refused = [
        ([("kind", None, b"other")] + [("file", f"f{index}.pdf", pdf) for index in
                                       range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)],
         400, "more than DATA_UPLOAD_MAX_NUMBER_FILES files"),
        ([("kind", None, b"other"), ("file", "a" * 2_000 + ".pdf", pdf)], 400,
         "a 2 000-character file name (over Django's 1 KB multipart header limit)"),
        ([("kind", None, b"other"), ("file", "", pdf)], 200, "an empty file name"),
        ([("kind", None, b"x" * 5000), ("file", "ok.pdf", pdf)], 200, "an unknown kind"),
    ]
    for parts, status, label in refused:
        body, content_type = multipart(parts)
        before = snapshot()
        with rolled_back():
            response = post_form(client, url, body, content_type)
        unchanged(response, status, before, f"upload: {label}")
    body, content_type = multipart([("kind", None, b"other"),
                                    ("file", "é" * 400 + ".pdf", pdf)])
    with rolled_back():
        response = post_form(client, url, body, content_type)
        assert response.status_code == 302
        stored = Document.objects.filter(case=world.case_a).order_by("-pk").first()
        assert len(stored.original_name) == 150 and stored.original_name.endswith(".pdf")
    CASES_RUN.append("upload: a 400-character name is kept, shortened to 150")
    body, content_type = multipart([("kind", None, b"other"), ("file", "bad\u202efdp.exe", pdf)])
    with rolled_back():
        response = post_form(client, url, body, content_type)
        assert response.status_code == 302  # Django drops the invisible override first
        stored = Document.objects.filter(case=world.case_a).order_by("-pk").first()
        assert stored.original_name == "badfdp.exe"
    CASES_RUN.append("upload: a right-to-left override is dropped from the name")


# --- encodings and content types -----------------------------------------------------------

@pytest.mark.django_db
def test_nul_bytes_and_invalid_utf8_in_form_bodies(world):
    client = browser(world, "counsellor")
    public = browser(world, "anonymous")
    url = f"/cases/{world.case_a.number}/notes/"
    before = snapshot()
    with rolled_back():
        response = post_form(client, url, "body=a%00b")
    unchanged(response, 302, before, "note with a NUL byte")
    before = snapshot()
    with rolled_back():
        help_form = post_form(public, "/help/", "name=a%00b&contact_method=phone&"
                              "contact_details=x&preferred_language=es&message=m&consent=on")
    unchanged(help_form, 200, before, "help form with a NUL byte")
    assert "Null characters are not allowed." in text_of(help_form)
    # Django decodes percent-escapes as UTF-8 (with U+FFFD for bad bytes) and a body that is
    # not UTF-8 at all as ISO-8859-1.
    for body, stored in ((b"body=%ff%fe", "\ufffd\ufffd"), (b"body=\xff\xfeok", "\xff\xfeok"),
                         (b"body=%ed%a0%80", "\ufffd\ufffd\ufffd")):
        with rolled_back():
            response = post_form(client, url, body)
            assert response.status_code == 302
            assert Note.objects.filter(case=world.case_a).order_by("-pk").first().body == stored
        CASES_RUN.append(f"note body {body!r}: stored with replacement characters")


@pytest.mark.django_db
def test_wrong_content_types_on_forms(world):
    client = browser(world, "coordinator")
    url = f"/referrals/{world.referral_a.reference}/messages/"
    for body, content_type, status, label in (
            (json.dumps({"body": "hello"}), "application/json", 400, "JSON to a form"),
            ("body=hello", "text/plain", 400, "text/plain to a form"),
            ("body=hello", "multipart/form-data", 400, "multipart without a boundary"),
            ("--x\r\nbroken", "multipart/form-data; boundary=x", 400, "broken multipart")):
        before = snapshot()
        with rolled_back():
            response = post_form(client, url, body, content_type)
        unchanged(response, status, before, label)
        assert "Write a message" in text_of(response) or status == 400


@pytest.mark.django_db
def test_the_json_api_answers_json_errors(world):
    client = browser(world, "counsellor")
    url = "/api/eligibility/screen/"
    for body, content_type, status, message in (
            (b"{oops", "application/json", 400, "malformed JSON"),
            (b"\xff\xfe{}", "application/json", 400, "malformed JSON"),
            (b"[" * 100_000, "application/json", 400, "malformed JSON: nested too deeply"),
            (b'{"person": {"us_status": "\\ud800"}}', "application/json", 400,
             "not valid Unicode text"),
            (b"{}", "text/plain", 400, "send the facts as JSON"),
            (b"a=1", "application/x-www-form-urlencoded", 400, "send the facts as JSON"),
            (b'--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n',
             "multipart/form-data; boundary=x", 400, "send the facts as JSON"),
            (b'{"age": 1e999999}', "application/json", 400, ""),
            (b'{"age": ' + b"9" * 5000 + b"}", "application/json", 400, "malformed JSON"),
            (b"null", "application/json", 400, "")):
        with rolled_back():
            response = client.generic("POST", url, body, content_type,
                                      HTTP_X_CSRFTOKEN=client.csrf_token)
        CASES_RUN.append(f"screening API: {body[:20]!r} as {content_type}")
        assert response.status_code == status, (body[:30], response.status_code)
        assert response["Content-Type"] == "application/json"
        errors = response.json()["errors"]
        assert errors and message in " ".join(error["message"] for error in errors)


@pytest.fixture(scope="module", autouse=True)
def _count_cases():
    yield
    print(f"\nparameters: {len(CASES_RUN)} cases run in this process, 0 server errors")
