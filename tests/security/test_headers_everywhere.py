"""The foundation's security headers and cookie flags (``tests/security/headers.py`` says
which) are on every kind of response: each role's parameterless pages and every public URL
(200, redirects, 405), 400 (bad host, malformed JSON), 403 (refused, CSRF failure), 404, 405,
429, 500 (a view that raises), 503, static files, downloads (attachments), JSON API errors,
logout; with the test settings and with the production settings' cookie and transport values
(HSTS, ``__Host-`` cookies) over HTTPS, where a plain-HTTP request is redirected. The access
matrix (``test_access_matrix.py``) checks the same headers on all of its requests: every URL
pattern, persona and method."""

from __future__ import annotations

import importlib.util
import re
import time
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from northstar.accounts.permissions import policy_for
from northstar.accounts.receivers import LOGIN_AT_KEY
from northstar.accounts.totp import totp_enable
from tests.factories import UserFactory
from tests.helpers import DEFAULT_PASSWORD, sign_in
from tests.security.headers import header_problems

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.security.urls_errors_test")]
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXQ"
ROOT = Path(__file__).resolve().parents[2]
# What the production settings module sets about cookies, messages and transport.
PRODUCTION_PREFIXES = ("SESSION_COOKIE_", "CSRF_COOKIE_", "LANGUAGE_COOKIE_", "SECURE_",
                       "MESSAGE_", "MESSAGES_")


def production_values(monkeypatch) -> dict:
    """The cookie and transport settings of ``northstar.settings.production``, read from
    the module itself (with throw-away secrets in the environment)."""
    for name in ("DJANGO_SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY",
                 "AUDIT_HMAC_KEY"):
        monkeypatch.setenv(name, "k1:dGVzdA==" if name == "FIELD_ENCRYPTION_KEYS" else "x")
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "testserver")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    spec = importlib.util.spec_from_file_location(
        "northstar.settings._production_values", ROOT / "northstar/settings/production.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {name: getattr(module, name) for name in dir(module)
            if name.startswith(PRODUCTION_PREFIXES)}


@pytest.fixture(params=[False, True], ids=["test-settings", "production-settings"])
def production(request, settings, monkeypatch):
    if request.param:
        for name, value in production_values(monkeypatch).items():
            setattr(settings, name, value)
    return request.param


def browser(production: bool, **kwargs) -> Client:
    if production:
        kwargs.setdefault("HTTP_X_FORWARDED_PROTO", "https")
    return Client(raise_request_exception=False, **kwargs)


def walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def parameterless_paths() -> list[str]:
    """Every URL of the resolver that takes no argument (the Django admin: its index only)."""
    paths = []
    for route, pattern in walk(get_resolver().url_patterns):
        if pattern.pattern.regex.groups or "<" in route or route.startswith(
                ("django-admin/", "test-only/")):
            continue
        paths.append("/" + route.replace("^", "").replace("$", ""))
    return [*sorted(set(paths)), "/django-admin/"]


class Responses:
    """Collects (label, response, kind) and reports the header problems of each."""

    def __init__(self, production: bool):
        self.production = production
        self.problems: dict[str, list[str]] = {}
        self.statuses: dict[str, int] = {}
        self.cookies: set[str] = set()

    def check(self, label: str, response, kind: str | None = None, status: int | None = None):
        self.statuses[label] = response.status_code
        self.cookies |= set(response.cookies)
        problems = header_problems(response, kind=kind, production=self.production)
        if status is not None and response.status_code != status:
            problems.insert(0, f"status {response.status_code}, expected {status}")
        if problems:
            self.problems[label] = problems
        return response


def policy_of(path: str):
    return policy_for(resolve(path))


def test_every_parameterless_url_for_every_role_under_production_settings(settings,
                                                                          monkeypatch):
    """Each role's own pages (the signed-in URLs its policy lets it use), every public URL for
    an anonymous visitor, and a redirect to the login page. Every URL for every persona (and
    the refusals) is checked by the access matrix with the test settings."""
    for name, value in production_values(monkeypatch).items():
        setattr(settings, name, value)
    users = {
        "counsellor": UserFactory(counsellor=True),
        "coordinator": UserFactory(coordinator=True),
        "admin": UserFactory(admin=True),
        "partner": UserFactory(partner=True),
        "superuser": UserFactory(is_staff=True, is_superuser=True),
    }
    paths = [path for path in parameterless_paths() if path != "/accounts/logout/"]
    assert len(paths) >= 40
    seen = Responses(production=True)
    for persona, user in users.items():
        client = sign_in(browser(True), user)
        for path in paths:
            policy = policy_of(path)
            if policy is not None and not policy.anonymous and policy.allows(user):
                seen.check(f"{persona} GET {path}", client.get(path))
    anonymous = browser(True)
    for path in paths:
        policy = policy_of(path)
        if (policy is not None and policy.anonymous) or path in ("/", "/cases/"):
            seen.check(f"anonymous GET {path}", anonymous.get(path))
    assert seen.problems == {}
    assert {200, 302, 405} <= set(seen.statuses.values())
    for persona, home in [("counsellor", "/cases/"), ("coordinator", "/referrals/"),
                          ("admin", "/audit/"), ("partner", "/portal/"),
                          ("superuser", "/django-admin/")]:
        assert seen.statuses[f"{persona} GET {home}"] == 200, (persona, home)
    for persona in ("counsellor", "coordinator", "admin", "partner"):
        assert seen.statuses[f"{persona} GET /"] == 200, persona
    assert seen.statuses["anonymous GET /"] == 302
    assert seen.statuses["anonymous GET /accounts/login/"] == 200


def test_every_kind_of_response(production, settings, counsellor, admin_user):
    from intake.documents.services import document_add
    from stats import services as stats_services
    from stats.periods import Period
    from stats.tasks import build_export
    from tests.intake.document_helpers import make_pdf, new_case, upload

    settings.WHITENOISE_USE_FINDERS = True  # no collectstatic in tests: serve the sources
    seen = Responses(production)
    anonymous = browser(production)
    worker = sign_in(browser(production), counsellor)
    admin = sign_in(browser(production), admin_user)

    # Redirects, the login pages, a sign-in (session cookie), language (language cookie).
    seen.check("redirect to login", anonymous.get("/cases/"), status=302)
    seen.check("login page (CSRF cookie)", anonymous.get("/accounts/login/"), status=200)
    totp_user = UserFactory(counsellor=True)
    totp_enable(totp_user, SECRET)
    seen.check("password accepted", anonymous.post(
        "/accounts/login/", {"login": totp_user.email, "password": DEFAULT_PASSWORD}),
        status=302)
    seen.check("second-factor page", anonymous.get("/accounts/2fa/authenticate/"), status=200)
    seen.check("language chosen", browser(production).post(
        "/i18n/setlang/", {"language": "fr", "next": "/accounts/login/"}), status=302)
    # 400
    seen.check("400 bad host", anonymous.get("/", HTTP_HOST="evil.example"), status=400)
    seen.check("400 malformed JSON", worker.post(
        "/api/eligibility/screen/", data="{not json", content_type="application/json"),
        status=400)
    # 403
    seen.check("403 denied", worker.get("/audit/"), status=403)
    strict = sign_in(browser(production, enforce_csrf_checks=True), counsellor)
    seen.check("403 CSRF failure", strict.post("/accounts/logout/"), status=403)
    # 404, 405
    seen.check("404 page", worker.get("/no-such-page/"), status=404)
    seen.check("404 object", worker.get("/cases/NS-0000-0000/"), status=404)
    seen.check("405", worker.put("/"), status=405)
    # 429: the login page's address limit, lowered to one a minute for the test.
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "1/m/ip"}
    throttled = browser(production)
    throttled.post("/accounts/login/", {"login": "someone@staff.example", "password": "x"})
    seen.check("429", throttled.post("/accounts/login/", {"login": "someone@staff.example",
                                                         "password": "x"}), status=429)
    # 500 (a view that raises, test-only URLconf) and 503 (health: the broker unreachable).
    seen.check("500", anonymous.get("/test-only/raise/"), status=500)
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    seen.check("503", anonymous.get("/healthz"), status=503)
    # Static files (WhiteNoise) and downloads (attachments).
    seen.check("static CSS", anonymous.get("/static/css/northstar.css"), kind="static",
               status=200)
    seen.check("static JS", anonymous.get("/static/js/session.js"), kind="static", status=200)
    seen.check("static file missing", anonymous.get("/static/no-such-file.css"), status=404)
    case = new_case(counsellor)
    document = document_add(actor=counsellor, case=case, kind="court",
                            uploaded_file=upload("scan.pdf", make_pdf(), "application/pdf"))
    seen.check("document download", worker.get(reverse(
        "intake:documents:download", args=[case.number, document.pk])), kind="download",
        status=200)
    job = stats_services.export_request(actor=admin_user, period=Period("2026-Q1", "2026-Q1"),
                                        export_format="csv", language="en")
    build_export(str(job.pk))
    seen.check("statistics export download", admin.get(f"/stats/exports/{job.pk}/download/"),
               kind="download", status=200)
    totp_enable(counsellor, SECRET)
    session = worker.session  # allauth asks for a recent authentication first
    session["account_authentication_methods"] = [
        {"method": "password", "at": time.time(), "reauthenticated": True}]
    session["account_authentication_methods_user"] = str(counsellor.pk)
    session.save()
    seen.check("recovery codes download", worker.get("/accounts/2fa/recovery-codes/download/"),
               status=200)
    assert Authenticator.objects.filter(user=counsellor).count() == 2
    # JSON API answers.
    seen.check("API 401", anonymous.post("/api/eligibility/screen/", data="{}",
                                         content_type="application/json"), status=401)
    seen.check("API 403", admin.post("/api/eligibility/screen/", data="{}",
                                     content_type="application/json"), status=403)
    seen.check("API 405", worker.get("/api/eligibility/screen/"), status=405)
    seen.check("keep-alive 200", worker.post("/session/keep-alive/"), status=200)
    # A message in a cookie (an admin's action), the 12-hour expiry, logout.
    other = UserFactory(counsellor=True)
    seen.check("admin action with a message", admin.post(
        f"/manage/users/{other.pk}/active/", {"active": "0"}), status=302)
    seen.check("page after the message", admin.get("/manage/users/"), status=200)
    expired = sign_in(browser(production), UserFactory(counsellor=True))
    session = expired.session
    session[LOGIN_AT_KEY] = 0
    session.save()
    seen.check("12-hour expiry", expired.get("/cases/"), status=302)
    seen.check("logout", worker.post("/accounts/logout/"), status=302)
    if production:
        plain = Client(raise_request_exception=False)
        response = seen.check("plain HTTP", plain.get("/cases/"), status=301)
        assert response["Location"] == "https://testserver/cases/"
        seen.problems.pop("plain HTTP", None)  # HSTS is sent over HTTPS only (RFC 6797)
        assert header_problems(response, production=False) == []
    assert seen.problems == {}
    assert len(seen.statuses) == (30 if production else 29)
    names = ["sessionid", "csrftoken", "language", "messages"]
    assert seen.cookies == ({f"__Host-{name}" for name in names} if production
                            else {"sessionid", "csrftoken", "django_language", "messages"})


def test_the_nonce_differs_per_response_and_matches_the_page_scripts(client):
    nonces = []
    for _ in range(2):
        response = client.get("/accounts/login/")
        policy = response["Content-Security-Policy"]
        nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
        assert f'nonce="{nonce}"' in response.content.decode()
        nonces.append(nonce)
    assert nonces[0] != nonces[1]
