import pytest

from tests.helpers import sign_in

pytestmark = pytest.mark.django_db


def assert_security_headers(response):
    csp = response["Content-Security-Policy"]
    assert "default-src 'none'" in csp
    if response["Content-Type"].startswith("text/html") and b"<script" in response.content:
        assert "script-src 'self' 'nonce-" in csp
    else:
        assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "http:" not in csp and "https:" not in csp  # no external origins
    assert response["Cache-Control"] == "no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.parametrize("path", ["/accounts/login/", "/healthz", "/no-such-page/"])
def test_anonymous_responses_carry_the_headers(client, path):
    assert_security_headers(client.get(path))


def test_bad_host_error_carries_the_headers(client):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert_security_headers(response)


def test_authenticated_pages_carry_the_headers(client, admin_user):
    sign_in(client, admin_user)
    for path in ("/", "/manage/users/", "/audit/"):
        assert_security_headers(client.get(path))


def test_forbidden_page_carries_the_headers(client, counsellor):
    sign_in(client, counsellor)
    response = client.get("/audit/")
    assert response.status_code == 403
    assert_security_headers(response)


def test_scripts_carry_the_nonce_of_the_response(client):
    response = client.get("/accounts/login/")
    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    html = response.content.decode()
    assert "<script" in html
    for tag in html.split("<script")[1:]:
        opening = tag.split(">")[0]
        assert "src=\"/static/" in opening or f'nonce="{nonce}"' in opening
    assert "style=" not in html  # CSP forbids inline styles


def test_logout_clears_site_data(client, counsellor):
    sign_in(client, counsellor)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert client.get("/").status_code == 302


def test_logout_by_get_does_not_log_out(client, counsellor):
    sign_in(client, counsellor)
    client.get("/accounts/logout/")
    assert client.get("/").status_code == 200


def test_csrf_is_enforced_on_posts(counsellor):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    sign_in(client, counsellor)
    response = client.post("/accounts/logout/")
    assert response.status_code == 403
    assert "expired" in response.content.decode()
    assert client.get("/").status_code == 200
