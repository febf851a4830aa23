"""CSRF: no state-changing request is accepted without the token.

Every state-changing URL pattern of the resolver (``state_changing``), by the person who uses
it (signed in, with a CSRF cookie as their browser holds one, and the page's own form data),
is sent POST, PUT, PATCH and DELETE without the token: 403 from the CSRF check (our "page
expired" page, JSON for the API), and nothing changes. With the token the same POST gets past
the check, so it is the token, not something else, that stopped the request.

Decided here: the JSON screening API (``/api/eligibility/screen/``) authenticates by the
session cookie, so it needs the token too (``X-CSRFToken``), like every form, and says so in
JSON (the API's error shape) when it is missing; so does the
public help form (a cross-site page must not file requests in a visitor's name), the login
and the sign-out pages.
"""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.middleware.csrf import _get_new_csrf_string

from northstar.common.views import CSRF_API_MESSAGE
from tests.security.access_matrix import MATRIX
from tests.security.snapshot import changes, rolled_back, snapshot
from tests.security.targets import grouped, target_for, url_for
from tests.security.test_access_matrix import PATTERNS
from tests.security.world import keep_media_root, world_fixture  # noqa: F401 (fixtures)

UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
CSRF_PAGE = "errors/403_csrf.html"
# Views that check the token themselves, after refusing the methods they do not take: the
# upload sets its streaming upload handler before reading the body, then checks CSRF.
CHECKED_BY_THE_VIEW = {"intake:documents:upload": {"PUT": 405, "PATCH": 405, "DELETE": 405}}


ADMIN_SITE_FORMS = ("admin:login", "admin:logout", "admin:password_change")
ADMIN_SITE_FORM_SUFFIXES = ("_add", "_change", "_delete", "_changelist")


def state_changing(view_name: str) -> bool:
    """Whether the view takes a POST: the access matrix records what each of ours answers (no
    view of ours takes PUT, PATCH or DELETE: the matrix checks they are 405); in the Django
    admin, the add, change, delete and list forms (list actions), login, logout and password
    change."""
    if view_name.startswith("admin:"):
        return view_name in ADMIN_SITE_FORMS or view_name.endswith(ADMIN_SITE_FORM_SUFFIXES)
    return MATRIX[view_name].post != 405


STATE_CHANGING = [(name, pattern, prefix) for name, pattern, prefix in PATTERNS
                  if state_changing(name)]
# The check with the token is run on ours (the Django admin's are operators' forms).
OURS = [entry for entry in STATE_CHANGING if not entry[0].startswith("admin:")]




def browser(world, view_name: str):
    """The user's client with its CSRF cookie; the token is what a page of ours would send."""
    client = target_for(view_name).client(world, enforce_csrf_checks=True)
    token = _get_new_csrf_string()
    client.cookies[settings.CSRF_COOKIE_NAME] = token
    return client, token


def send(client, method: str, url: str, data: dict, *, as_json: bool, token: str = ""):
    headers = {"HTTP_X_CSRFTOKEN": token} if token and as_json else {}
    if as_json:
        return client.generic(method, url, json.dumps(data), "application/json", **headers)
    if method == "POST":
        return client.post(url, {**data, **({"csrfmiddlewaretoken": token} if token else {})})
    return client.generic(method, url, "", "application/x-www-form-urlencoded")


def is_csrf_refusal(response) -> bool:
    """Our CSRF failure answer: the page, or for the API its JSON error."""
    if response.status_code != 403:
        return False
    if response.get("Content-Type", "").startswith("application/json"):
        return response.json() == {"errors": [{"path": "", "message": CSRF_API_MESSAGE}]}
    return CSRF_PAGE in [template.name for template in response.templates]


def refusals_missed(view_name, pattern, prefix, world) -> list[str]:
    target = target_for(view_name)
    url = url_for(view_name, pattern, prefix, world)
    client, _token = browser(world, view_name)
    data = target.data(world, client)
    before = snapshot()
    missed = []
    for method in UNSAFE_METHODS:
        response = send(client, method, url, data, as_json=target.json)
        expected = CHECKED_BY_THE_VIEW.get(view_name, {}).get(method)
        if expected is not None and response.status_code == expected:
            continue
        if not is_csrf_refusal(response):
            missed.append(f"{method} {url} without a token: {response.status_code}")
    return missed + [f"{url} changed {change}" for change in changes(before, snapshot())]


@pytest.mark.django_db
@pytest.mark.parametrize("group", sorted(grouped(STATE_CHANGING)))
def test_no_token_no_change(group, world):
    missed = []
    for view_name, pattern, prefix in grouped(STATE_CHANGING)[group]:
        with rolled_back():
            missed += refusals_missed(view_name, pattern, prefix, world)
    assert missed == []


@pytest.mark.django_db
@pytest.mark.parametrize("group", sorted(grouped(OURS)))
def test_with_the_token_the_check_lets_the_request_through(group, world):
    refused = []
    for view_name, pattern, prefix in grouped(OURS)[group]:
        target = target_for(view_name)
        url = url_for(view_name, pattern, prefix, world)
        with rolled_back():
            client, token = browser(world, view_name)
            response = send(client, "POST", url, target.data(world, client),
                            as_json=target.json, token=token)
        if is_csrf_refusal(response) or response.status_code >= 500:
            refused.append(f"POST {url} with the token: {response.status_code}")
    assert refused == []


@pytest.mark.django_db
def test_the_screening_api_needs_the_token(world):
    """A signed-in counsellor's browser, a cross-site page posting facts: refused; the same
    request from our own page (with ``X-CSRFToken``) is screened."""
    target = target_for("eligibility:screen_api")
    client, token = browser(world, "eligibility:screen_api")
    facts = target.data(world, client)
    refused = send(client, "POST", "/api/eligibility/screen/", facts, as_json=True)
    assert refused.status_code == 403
    assert refused.json() == {"errors": [{"path": "", "message": CSRF_API_MESSAGE}]}
    accepted = send(client, "POST", "/api/eligibility/screen/", facts, as_json=True,
                    token=token)
    assert accepted.status_code == 200
    assert accepted.json()["pathways"]
