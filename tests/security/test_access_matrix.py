"""Every URL pattern × persona × method gives the status the matrix expects."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import UserFactory
from tests.helpers import sign_in
from tests.security.access_matrix import ADMIN_SITE_ROW, MATRIX, PERSONAS, Row

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


def make_persona(persona: str) -> Client:
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
    if persona == "superuser":  # an operator: Django admin access, no role in the app
        return sign_in(client, UserFactory(is_staff=True, is_superuser=True))
    if persona == "partner":
        return sign_in(client, UserFactory(partner=True))
    return sign_in(client, UserFactory(**{persona: True}))


def expected_status(row: Row, persona: str, method: str) -> tuple[int, str | None]:
    """(status, required Location prefix)."""
    if (persona, method) in row.overrides:
        return row.overrides[(persona, method)], None
    allowed = row.get if method == "GET" else row.post
    if row.who in ("public", "nobody"):
        return allowed, None
    if persona in ("anonymous", "deactivated"):
        return 302, LOGIN_PATH
    if persona == "password_only":
        return (allowed, None) if row.who == "before_mfa" else (302, MFA_SETUP_PATH)
    if row.who in ("before_mfa", "signed_in"):
        return allowed, None
    if row.who == "superuser":
        return (allowed, None) if persona == "superuser" else (403, None)
    return (allowed, None) if persona in row.who else (403, None)


def url_for(view_name: str, pattern: URLPattern, prefix: str, row: Row) -> str:
    if view_name.startswith("admin:<unnamed"):
        return unnamed_admin_url(pattern, prefix)
    if view_name.startswith("admin:"):
        names = set(pattern.pattern.regex.groupindex)
        return reverse(view_name, kwargs={k: v for k, v in SAMPLE_KWARGS.items() if k in names})
    kwargs = row.kwargs() if row.kwargs else {}
    return reverse(view_name, kwargs=kwargs)


PATTERNS = all_patterns()


@pytest.mark.django_db
@pytest.mark.parametrize(("view_name", "pattern", "prefix"), PATTERNS,
                         ids=[name for name, _, _ in PATTERNS])
def test_access(view_name, pattern, prefix):
    row = row_for(view_name)
    assert row is not None, f"{view_name} has no matrix row"
    url = url_for(view_name, pattern, prefix, row)
    failures = []
    for persona in PERSONAS:
        for method in ("GET", "POST"):
            client = make_persona(persona)
            response = client.get(url) if method == "GET" else client.post(url, {})
            status, location = expected_status(row, persona, method)
            if view_name.startswith("admin:") and persona == "superuser":
                # Django's admin decides per model (read-only models answer 403): the matrix
                # only requires that the operator gets through our policy without an error.
                ok = response.status_code < 500
            else:
                ok = response.status_code == status
            if ok and location:
                ok = re.match(re.escape(location), response.get("Location", "")) is not None
            if not ok:
                got = f"{response.status_code} {response.get('Location', '')}"
                failures.append(f"{persona} {method}: got {got}, "
                                f"expected {status} {location or ''}")
    assert failures == [], f"{view_name} ({url}):\n" + "\n".join(failures)
