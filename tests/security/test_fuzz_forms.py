"""Every form-handling POST URL, fuzzed: at least 500 generated submissions each → no response
≥ 500 and no exception.

The URLs come from the resolver: every pattern whose access-matrix row takes a POST (the
matrix records what each view answers; rows refused to everyone have no form behind them),
except the intake steps, which ``tests/intake/test_fuzz_steps.py`` fuzzes with its own 500
submissions per step. A new POST URL is fuzzed as soon as it has its matrix row and its entry
in ``tests/security/targets.py`` (which the access tests require anyway); its form's fields
come from ``fields_of`` (else from its valid data). ``test_every_post_url_is_fuzzed`` fails
when a POST URL is neither fuzzed here nor named in ``FUZZED_ELSEWHERE``.

Each submission starts from the page's own valid form data (``tests/security/targets.py``)
and changes it: fields left out, replaced by strings (unicode, control characters, NUL, very
long), numbers (huge, negative, not numbers), dates, lists where one value is expected
(duplicated fields), unknown fields added. It is sent as the user's browser would (signed in,
with the CSRF token, so the CSRF check reads the body first) and undone afterwards (a
rolled-back savepoint; the session cookie and the cache restored), so every submission meets
the same data. The JSON screening API gets generated JSON documents and bodies of other types;
the document upload gets generated files and file names.

``pytest -s tests/security/test_fuzz_forms.py`` prints, per URL, the statuses seen.
"""

from __future__ import annotations

import json
import os
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django import forms
from django.conf import settings
from django.core.cache import cache
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.helpers import sign_in
from tests.security.access_matrix import MATRIX
from tests.security.snapshot import rolled_back
from tests.security.targets import target_for, url_for
from tests.security.test_access_matrix import PATTERNS
from tests.security.world import keep_media_root, world_fixture  # noqa: F401 (fixtures)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "500"))
FUZZED_ELSEWHERE = {"intake:step": "tests/intake/test_fuzz_steps.py (500 per step)"}


def post_urls() -> list[str]:
    """Our patterns that take a POST (the Django admin's are operators' forms), but those the
    access policy refuses to everyone ("nobody" rows: no form behind them)."""
    return sorted(name for name, _pattern, _prefix in PATTERNS
                  if not name.startswith("admin:") and MATRIX[name].post != 405
                  and MATRIX[name].who != "nobody")


# --- the fields of each form -------------------------------------------------------------------


def form_fields(form_class, prefix: str = "", **kwargs) -> dict[str, forms.Field]:
    form = form_class(prefix=prefix or None, **kwargs)
    return {form.add_prefix(name): field for name, field in form.fields.items()}


def fields_of(view_name: str) -> dict[str, forms.Field]:
    """The form fields a URL's page submits (beyond those of its valid data)."""
    from intake.forms import (
        AssignForm,
        CloseForm,
        ConsentForm,
        ErasureRequestForm,
        NewCaseForm,
        NoteForm,
        SearchForm,
    )
    from intake.forms_documents import DocumentUploadForm
    from intake.forms_help import DismissForm, HelpRequestForm
    from northstar.accounts.forms import AcceptInvitationForm, InvitationForm, RolesForm
    from referrals.forms import (
        AnswerNoteForm,
        DeclineForm,
        DraftCreateForm,
        MessageForm,
        PacketFieldsForm,
        PartnerMessageForm,
        RequiredNoteForm,
        SendForm,
    )
    from referrals.forms_directory import CapacityForm
    from stats.forms import ExportForm

    forms_of = {
        "accounts:invitation_accept": lambda: form_fields(AcceptInvitationForm),
        "accounts:invitation_create": lambda: form_fields(InvitationForm),
        "accounts:user_edit": lambda: form_fields(RolesForm),
        "intake:case_search": lambda: form_fields(SearchForm),
        "intake:case_new": lambda: form_fields(NewCaseForm),
        "intake:note_add": lambda: form_fields(NoteForm),
        "intake:close": lambda: form_fields(CloseForm),
        "intake:assign": lambda: form_fields(AssignForm),
        "intake:erasure_request": lambda: form_fields(ErasureRequestForm),
        "intake:documents:upload": lambda: form_fields(DocumentUploadForm),
        "intake:consent_new": lambda: form_fields(ConsentForm),
        "intake:help_form": lambda: form_fields(HelpRequestForm),
        "intake:help_form_language": lambda: form_fields(HelpRequestForm),
        "intake:triage_dismiss": lambda: form_fields(DismissForm),
        "directory:service_capacity": lambda: form_fields(CapacityForm),
        "referrals:referral_new": lambda: form_fields(DraftCreateForm),
        "referrals:referral_fields": lambda: form_fields(PacketFieldsForm,
                                                         service_type="legal_aid"),
        "referrals:referral_send": lambda: form_fields(SendForm),
        "referrals:referral_message": lambda: form_fields(MessageForm),
        "referrals:portal_accept": lambda: form_fields(AnswerNoteForm, "accept"),
        "referrals:portal_decline": lambda: form_fields(DeclineForm),
        "referrals:portal_complete": lambda: form_fields(AnswerNoteForm, "complete"),
        "referrals:portal_hand_back": lambda: form_fields(RequiredNoteForm, "hand_back"),
        "referrals:portal_message": lambda: form_fields(PartnerMessageForm),
        "stats:exports": lambda: form_fields(ExportForm),
    }
    plain = {
        "set_language": ("language", "next"),
        "accounts:session_end": ("next",),
        "accounts:user_set_active": ("active",),
        "intake:erasure_decision": ("decision",),
        # allauth's forms
        "account_login": ("login", "password", "remember"),
        "account_signup": ("email", "password1", "password2"),
        "account_reauthenticate": ("password",),
        "account_email": ("email", "action_add", "action_remove", "action_primary",
                          "action_send"),
        "account_change_password": ("oldpassword", "password1", "password2"),
        "account_set_password": ("password1", "password2"),
        "account_reset_password": ("email",),
        "account_confirm_login_code": ("code",),
        "account_reset_password_from_key": ("password1", "password2"),
        "mfa_authenticate": ("code",),
        "mfa_reauthenticate": ("code",),
        "mfa_activate_totp": ("code",),
        "mfa_deactivate_totp": ("action",),
        "mfa_generate_recovery_codes": ("action",),
    }
    if view_name in forms_of:
        return forms_of[view_name]()
    if view_name in plain:
        return {name: forms.CharField() for name in plain[view_name]}
    assert view_name in WITHOUT_FIELDS, (
        f"{view_name}: say which fields its form sends (fields_of) or add it to WITHOUT_FIELDS")
    return {}


# POST URLs whose form has no field (a button): fuzzed with unknown fields only.
WITHOUT_FIELDS = frozenset({
    "account_logout", "account_confirm_email", "accounts:session_keep_alive",
    "accounts:invitation_revoke", "intake:reopen", "intake:documents:remove",
    "intake:consent_withdraw", "intake:triage_convert", "referrals:referral_withdraw",
    "referrals:referral_discard", "referrals:portal_start", "mfa_download_recovery_codes",
})


# --- strategies ---------------------------------------------------------------------------------

NASTY = st.sampled_from([
    "", " ", "\x00", "a\x00b", "\r\n", "\t", "\u202e", "\ufeff", "\uffff", "null", "None",
    "true", "[]", "{}", "0", "-1", "1e309", "NaN", "Infinity", "9" * 30, "-" + "9" * 30,
    "0x1F", "1_000", "٣", "²", "2026-02-30", "2026-13-01", "0000-00-00", "9999-12-31",
    "1900-01-01", "2026-01-01T00:00:00", "<script>alert(1)</script>", "' OR 1=1 --",
    "../../etc/passwd", "%00", "%s%s%n", "{{7*7}}", "x" * 5001, "é" * 1001, "😀" * 300,
    "NS-0000-0000", "RF-0000-0000", "/", "//evil.example", "https://evil.example/",
    "javascript:alert(1)", "approve", "reject", "on", "off", "1", "yes", "no",
])
TEXT = st.one_of(NASTY, st.text(max_size=40), st.text(st.characters(max_codepoint=0x7f),
                                                      max_size=12))
NUMBER = st.one_of(st.integers(-(2 ** 70), 2 ** 70).map(str),
                   st.floats(allow_nan=True, allow_infinity=True).map(repr))


def choice_values(field: forms.Field) -> list[str]:
    values = []
    for value, label in getattr(field, "choices", []) or []:
        if isinstance(label, list | tuple):
            values.extend(str(inner) for inner, _ in label)
        else:
            values.append(str(value))
    return values


def value_strategy(field: forms.Field, valid):
    """A value for ``field``: its valid value, one of its choices, or something wrong."""
    candidates = [TEXT, NUMBER]
    if valid not in (None, ""):
        candidates.append(st.just(valid))
    if isinstance(field, forms.ModelChoiceField):
        candidates.append(st.integers(-3, 10 ** 6).map(str))
    elif isinstance(field, forms.ChoiceField) and choice_values(field):
        candidates.append(st.sampled_from(choice_values(field)))
    if isinstance(field, forms.DateField):
        candidates.append(st.dates().map(lambda day: day.isoformat()))
    if isinstance(field, forms.BooleanField):
        candidates.append(st.sampled_from(["on", "", "false", "0"]))
    if isinstance(field, forms.CharField) and field.max_length:
        length = field.max_length
        candidates.append(st.sampled_from([length - 1, length, length + 1]).map(
            lambda size: "ß" * size))
    single = st.one_of(*candidates)
    many = st.lists(single, min_size=0, max_size=3)
    if isinstance(field, forms.MultipleChoiceField):
        return st.one_of(many, single)
    return st.one_of(single, single, single, many)  # sometimes the field twice or more


@st.composite
def submissions(draw, fields: dict[str, forms.Field], valid: dict):
    data = {}
    for name in sorted(set(fields) | set(valid)):
        field = fields.get(name) or forms.CharField()
        if isinstance(field, forms.FileField):
            continue  # files: see ``uploads``
        how = draw(st.sampled_from(("valid", "valid", "fuzz", "fuzz", "fuzz", "absent")))
        if how == "valid" and name in valid:
            data[name] = valid[name]
        elif how != "absent":
            data[name] = draw(value_strategy(field, valid.get(name)))
    for _ in range(draw(st.integers(0, 2))):
        data[draw(st.text(min_size=1, max_size=12))] = draw(TEXT)
    return data


FACTS = json.loads((Path(__file__).parents[1] / "eligibility" / "examples" /
                    "honduran-pr-brother-land-port.facts.json").read_text())
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2 ** 70), 2 ** 70) |
    st.floats(allow_nan=False) | TEXT,
    lambda children: st.lists(children, max_size=4) |
    st.dictionaries(TEXT, children, max_size=4), max_leaves=12)


@st.composite
def changed_facts(draw):
    """The valid example with some values replaced (a block, a field, a list item)."""
    facts = json.loads(json.dumps(FACTS))
    for _ in range(draw(st.integers(1, 4))):
        node = facts
        while isinstance(node, dict) and node and draw(st.booleans()):
            key = draw(st.sampled_from(sorted(node)))
            if not isinstance(node[key], dict | list) or draw(st.booleans()):
                node[key] = draw(JSON_VALUES)
                break
            inner = node[key]
            if isinstance(inner, list):
                if inner:
                    inner[draw(st.integers(0, len(inner) - 1))] = draw(JSON_VALUES)
                break
            node = inner
        else:
            if isinstance(node, dict):
                node[draw(TEXT)] = draw(JSON_VALUES)
    return facts


@st.composite
def json_bodies(draw):
    """(body bytes, content type) for the screening API."""
    kind = draw(st.sampled_from(("valid", "facts", "facts", "facts", "json", "nested",
                                 "bytes")))
    if kind == "valid":
        body = json.dumps(FACTS).encode()
    elif kind == "facts":
        body = json.dumps(draw(changed_facts())).encode()
    elif kind == "json":
        body = json.dumps(draw(JSON_VALUES)).encode()
    elif kind == "nested":
        depth = draw(st.sampled_from([10, 100, 900, 1000, 5000]))
        body = ("[" * depth + "]" * depth).encode()
    else:
        body = draw(st.binary(max_size=200))
    content_type = draw(st.sampled_from([
        "application/json", "application/json", "application/json; charset=utf-8",
        "text/plain", "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=fuzz", "application/xml", ""]))
    return body, content_type


PDF_START = b"%PDF-1.7\n"
PNG_START = b"\x89PNG\r\n\x1a\n"


@st.composite
def uploads(draw, valid: dict):
    """A multipart body for the upload form: a generated file under a generated name."""
    from tests.intake.document_helpers import make_pdf

    boundary = "fuzzboundary7"
    content = draw(st.one_of(st.binary(max_size=300), st.just(make_pdf()),
                             st.binary(max_size=200).map(lambda tail: PDF_START + tail),
                             st.binary(max_size=200).map(lambda tail: PNG_START + tail)))
    name = draw(st.one_of(TEXT, st.just("x.pdf"), st.text(max_size=300).map(lambda s: s + ".pdf"),
                          st.just("a" * 10_000 + ".pdf")))
    content_type = draw(st.sampled_from(["application/pdf", "image/png", "text/html", "",
                                         "application/octet-stream"]))
    kind = draw(st.one_of(st.just(valid.get("kind", "other")), TEXT))
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\n'
             .encode() + kind.encode() + b"\r\n"]
    if draw(st.integers(0, 9)):  # one in ten without a file
        header = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                  f'filename="{name}"\r\nContent-Type: {content_type}\r\n\r\n')
        parts.append(header.encode() + content + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


# --- the test -----------------------------------------------------------------------------------




@pytest.fixture(autouse=True)
def _fast_client(monkeypatch):
    """The test client without its per-template context copies (not the subject here)."""
    monkeypatch.setattr("django.test.client.store_rendered_templates",
                        lambda *args, **kwargs: None)


FUZZ_SETTINGS = hypothesis_settings(
    max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much])
PATTERN_BY_NAME = {name: (pattern, prefix) for name, pattern, prefix in PATTERNS}


@pytest.mark.django_db
def test_every_post_url_is_fuzzed():
    """Every POST URL of the resolver is fuzzed (parametrized from ``post_urls``) with its
    form's fields declared: a new one fails here until they are."""
    names = post_urls()
    assert len(names) == len(TARGETS_FUZZED) + len(FUZZED_ELSEWHERE)
    undeclared = []
    for name in TARGETS_FUZZED:
        if name == "eligibility:screen_api":
            continue  # a JSON body (json_bodies), not a form
        try:
            fields_of(name)
        except AssertionError:
            undeclared.append(name)
    assert undeclared == [], f"POST URLs without their form's fields: {undeclared}"
    print(f"\nfuzz: {len(TARGETS_FUZZED)} POST URLs × {EXAMPLES} examples = "
          f"{len(TARGETS_FUZZED) * EXAMPLES} submissions (+ intake steps elsewhere)")


TARGETS_FUZZED = [name for name in post_urls() if name not in FUZZED_ELSEWHERE]


@pytest.mark.django_db
@pytest.mark.parametrize("view_name", TARGETS_FUZZED)
def test_fuzzed_submissions_never_get_a_server_error(view_name, world, settings):
    settings.HELP_REQUEST_RATE_LIMIT = 10 ** 6
    target = target_for(view_name)
    pattern, prefix = PATTERN_BY_NAME[view_name]
    url = url_for(view_name, pattern, prefix, world)
    client = fresh_client(target, world)
    token = _get_new_csrf_string()
    client.cookies[settings.CSRF_COOKIE_NAME] = token
    valid = target.data(world, client)
    cookies = SimpleCookie()
    cookies.load(client.cookies.output(header="", sep=";"))
    statuses: dict[int, int] = {}

    if view_name == "eligibility:screen_api":
        strategy = json_bodies()
    elif view_name == "intake:documents:upload":
        strategy = uploads(valid)
    else:
        strategy = submissions(fields_of(view_name), valid)

    @FUZZ_SETTINGS
    @given(example=strategy)
    def submit(example):
        try:
            with rolled_back():
                response = send(client, url, example, token)
        finally:
            client.cookies = SimpleCookie()
            client.cookies.load(cookies.output(header="", sep=";"))
            cache.clear()
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        assert response.status_code < 500, (response.status_code, example)

    started = time.process_time()
    submit()
    cpu = (time.process_time() - started) * 1000 / max(sum(statuses.values()), 1)
    print(f"\nfuzz {view_name}: {sum(statuses.values())} examples, statuses {statuses} "
          f"({cpu:.1f} ms CPU each)")
    assert sum(statuses.values()) >= EXAMPLES


def fresh_client(target, world) -> Client:
    """The persona's browser, signed in now: the world's own sessions are as old as the
    module, and past a few minutes allauth asks for the password again before the MFA
    pages (and past 15 minutes every session is idle)."""
    client = Client(enforce_csrf_checks=True)
    if target.persona != "anonymous":
        sign_in(client, world.users[target.persona])
    if target.prepare is not None:
        target.prepare(client, world)
    return client


def send(client, url: str, example, token: str):
    if isinstance(example, tuple):  # a raw body and its content type
        body, content_type = example
        return client.generic("POST", url, body, content_type, HTTP_X_CSRFTOKEN=token)
    body = urlencode({**example, "csrfmiddlewaretoken": token}, doseq=True)  # as browsers do
    return client.post(url, body, content_type="application/x-www-form-urlencoded")


@pytest.fixture(autouse=True)
def _settings_note():
    """Sessions stay in the database (as in production): each submission's changes to its
    own session row are rolled back with the rest."""
    assert settings.SESSION_ENGINE.endswith(".db")
