"""Every URL pattern × persona × method gives the status the matrix expects."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from northstar.accounts.receivers import LOGIN_AT_KEY
from tests.factories import UserFactory
from tests.helpers import sign_in
from tests.security.access_matrix import ADMIN_SITE_ROW, MATRIX, PERSONAS, Row
from tests.security.headers import header_problems
from tests.security.matrix_base import OTHER_METHODS

LOGIN_PATH = "/accounts/login/"
MFA_SETUP_PATH = "/accounts/2fa/totp/activate/"
SAMPLE_KWARGS = {"object_id": "1", "content_type_id": "1", "app_label": "accounts"}


def walk(patterns, namespace: str = "", prefix: str = ""):
    """Yield (view name, pattern, route prefix) for every pattern; unnamed patterns get a
    name from their route so that they too need a row."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace \
                else (pattern.namespace or namespace)
            yield from walk(pattern.url_patterns, inner, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            name = pattern.name or f"<unnamed {prefix}{pattern.pattern}>"
            yield (f"{namespace}:{name}" if namespace else name), pattern, prefix


def all_patterns() -> list[tuple[str, URLPattern, str]]:
    return list(walk(get_resolver().url_patterns))


def row_for(view_name: str) -> Row | None:
    if view_name.startswith("admin:"):
        return ADMIN_SITE_ROW
    return MATRIX.get(view_name)


def unnamed_admin_url(pattern: URLPattern, prefix: str) -> str:
    route = prefix + str(pattern.pattern)
    route = route.replace("<path:object_id>", "1").replace("(?P<url>.*)$", "no-such-page/")
    return "/" + route.replace("^", "")


def test_every_url_pattern_has_a_matrix_row():
    missing = sorted(name for name, _, _ in all_patterns() if row_for(name) is None)
    assert missing == [], f"URL patterns without an access-matrix row: {missing}"


def test_matrix_has_no_stale_rows():
    names = {name for name, _, _ in all_patterns()}
    assert sorted(set(MATRIX) - names) == []


SIGNED_OUT_PERSONAS = ("anonymous", "deactivated", "idle_expired")


def partner_in(organisation_id: int | None):
    if organisation_id is None:
        return UserFactory(partner=True)
    return UserFactory(is_partner=True, organisation_id=organisation_id)


def make_persona(persona: str, organisation_id: int | None = None) -> Client:
    """A client signed in as ``persona``; ``organisation_id`` is the partner organisation that
    owns the row's object (the "partner" persona belongs to it, "other_partner" never)."""
    client = Client()
    if persona == "anonymous":
        return client
    if persona == "password_only":
        return sign_in(client, UserFactory(counsellor=True), mfa=False)
    if persona == "deactivated":
        user = UserFactory(counsellor=True)
        sign_in(client, user)
        user.is_active = False
        user.save(update_fields=["is_active"])
        return client
    if persona == "idle_expired":  # last request more than 15 minutes ago
        sign_in(client, UserFactory(coordinator=True, counsellor=True, admin=True))
        Session.objects.filter(session_key=client.session.session_key).update(
            expire_date=timezone.now() - timedelta(seconds=1))
        return client
    if persona == "absolute_expired":  # signed in more than 12 hours ago, active since
        sign_in(client, UserFactory(coordinator=True, counsellor=True, admin=True))
        session = client.session
        session[LOGIN_AT_KEY] = time.time() - settings.SESSION_ABSOLUTE_SECONDS - 1
        session.save()
        return client
    if persona == "superuser":  # an operator: Django admin access, no role in the app
        return sign_in(client, UserFactory(is_staff=True, is_superuser=True))
    if persona == "partner":
        return sign_in(client, partner_in(organisation_id))
    if persona == "other_partner":
        return sign_in(client, UserFactory(partner=True))
    return sign_in(client, UserFactory(**{persona: True}))


def refusal(row: Row, persona: str) -> tuple[int, str | None] | None:
    """The access policy's answer when it refuses ``persona``; None when it lets them in."""
    if persona == "absolute_expired":
        return 302, LOGIN_PATH  # the session ends before any view is chosen
    if row.who == "public":
        return None
    if row.who == "nobody":
        return 403, None
    if persona in SIGNED_OUT_PERSONAS:
        return 302, LOGIN_PATH
    if persona == "password_only":
        return None if row.who == "before_mfa" else (302, MFA_SETUP_PATH)
    if row.who in ("before_mfa", "signed_in"):
        return None
    if row.who == "superuser":
        return None if persona == "superuser" else (403, None)
    role = "partner" if persona == "other_partner" else persona
    return None if role in row.who else (403, None)


def expected_status(row: Row, persona: str, method: str) -> tuple[int, str | None]:
    """(status, required Location prefix)."""
    if (persona, method) in row.overrides:
        return row.overrides[(persona, method)], None
    refused = refusal(row, persona)
    if refused is not None:
        return refused
    return (row.get if method == "GET" else row.post), None


def url_for(view_name: str, pattern: URLPattern, prefix: str, row: Row) -> str:
    if view_name.startswith("admin:<unnamed"):
        return unnamed_admin_url(pattern, prefix)
    if view_name.startswith("admin:"):
        names = set(pattern.pattern.regex.groupindex)
        return reverse(view_name, kwargs={k: v for k, v in SAMPLE_KWARGS.items() if k in names})
    kwargs = row.kwargs() if row.kwargs else {}
    return reverse(view_name, kwargs=kwargs)


PATTERNS = all_patterns()
OUR_APPS = ("northstar.", "intake.", "eligibility.", "referrals.", "stats.")


def is_ours(pattern: URLPattern) -> bool:
    view = getattr(pattern.callback, "view_class", pattern.callback)
    return view.__module__.startswith(OUR_APPS)


def prepare(view_name, pattern, prefix) -> tuple[Row, str, int | None]:
    row = row_for(view_name)
    assert row is not None, f"{view_name} has no matrix row"
    if view_name.startswith("admin:"):
        return row, url_for(view_name, pattern, prefix, row), None
    kwargs = row.kwargs() if row.kwargs else {}
    organisation = row.organisation(kwargs) if row.organisation else None
    return row, reverse(view_name, kwargs=kwargs), organisation


def check(response, status: int, location: str | None) -> str | None:
    ok = response.status_code == status
    if ok and location:
        ok = re.match(re.escape(location), response.get("Location", "")) is not None
    if ok:
        return headers_check(response)
    return f"got {response.status_code} {response.get('Location', '')}, " \
           f"expected {status} {location or ''}"


def headers_check(response) -> str | None:
    """Every answer of the matrix also carries the foundation's security headers."""
    problems = header_problems(response)
    return f"headers: {problems}" if problems else None


@pytest.mark.django_db
@pytest.mark.parametrize(("view_name", "pattern", "prefix"), PATTERNS,
                         ids=[name for name, _, _ in PATTERNS])
def test_access(view_name, pattern, prefix):
    row, url, organisation = prepare(view_name, pattern, prefix)
    failures = []
    for persona in PERSONAS:
        for method in ("GET", "POST"):
            client = make_persona(persona, organisation)
            response = client.get(url) if method == "GET" else client.post(url, {})
            status, location = expected_status(row, persona, method)
            if view_name.startswith("admin:") and persona == "superuser":
                # Django's admin decides per model (read-only models answer 403): the matrix
                # only requires that the operator gets through our policy without an error.
                problem = headers_check(response) if response.status_code < 500 \
                    else f"got {response.status_code}"
            else:
                problem = check(response, status, location)
            if problem:
                failures.append(f"{persona} {method}: {problem}")
    assert failures == [], f"{view_name} ({url}):\n" + "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize(("view_name", "pattern", "prefix"), PATTERNS,
                         ids=[name for name, _, _ in PATTERNS])
def test_other_methods(view_name, pattern, prefix):
    """PUT, PATCH and DELETE: the policy refuses whom it refuses for any method; those it lets
    in get 405 from our views (none takes these methods) and never a server error from a
    library's view (allauth's form views treat PUT as POST)."""
    row, url, organisation = prepare(view_name, pattern, prefix)
    failures = []
    for persona in PERSONAS:
        client = make_persona(persona, organisation)
        for method in OTHER_METHODS:
            if persona == "absolute_expired":
                client = make_persona(persona, organisation)  # the first request ended it
            response = client.generic(method, url)
            if (persona, method) in row.overrides:
                problem = check(response, row.overrides[(persona, method)], None)
            elif (refused := refusal(row, persona)) is not None:
                problem = check(response, *refused)
            elif is_ours(pattern):
                problem = check(response, 405, None)
            else:
                problem = headers_check(response) if response.status_code < 500 \
                    else f"got {response.status_code}"
            if problem:
                failures.append(f"{persona} {method}: {problem}")
    assert failures == [], f"{view_name} ({url}):\n" + "\n".join(failures)


def test_matrix_covers_every_pattern_persona_and_method():
    """The coverage figure of docs/SECURITY.md: every pattern has a row, and each of the two
    tests above sends one request per (pattern, persona, method)."""
    from tests.security.matrix_coverage import coverage

    figure = coverage()
    assert figure["patterns_without_row"] == []
    assert figure["patterns"] == len(PATTERNS)
    assert figure["requests"] == len(PATTERNS) * len(PERSONAS) * (2 + len(OTHER_METHODS))
