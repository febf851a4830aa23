"""Acceptance 2 and 4 (issue 7), in a real browser: the public "get help" form in each of its
four languages makes no request to any host but the app's, leaves no cookie but CSRF's, passes
axe (form, form with errors, confirmation), and its confirmation shows nothing that was typed.
A bot that fills the honeypot sees the same confirmation and nothing is stored.

The rate limit and the honeypot's answer are checked over HTTP in
tests/intake/test_help_requests.py."""

from __future__ import annotations

import pytest

from intake.models import HelpRequest
from tests.e2e.conftest import screenshot
from tests.e2e.flows import RequestLog, assert_accessible, browser_of, host_of, page_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = {"en": "/help/", "es": "/help/es/", "fr": "/help/fr/", "ht": "/help/ht/"}


def typed(language: str) -> dict[str, str]:
    """What the person types: fictional, and unique to the language (so a leak is traceable)."""
    return {"name": f"Orsolya Echomarker-{language}",
            "contact_details": f"+1 555 01{len(language)}9 echo-{language}",
            "message": f"Echomarker message ({language}): my cousin is in Halifax"}


def fill(page, values: dict[str, str], *, language: str) -> None:
    """By field name: the labels are in the page's language."""
    page.locator("[name=name]").fill(values["name"])
    page.locator("[name=contact_method][value=whatsapp]").check()
    page.locator("[name=contact_details]").fill(values["contact_details"])
    page.locator(f"[name=preferred_language][value={language}]").check()
    page.locator("[name=message]").fill(values["message"])
    page.locator("[name=consent]").check()


def submit(page) -> None:
    with page.expect_navigation():
        page.locator("form.ns-help-form button[type=submit]").click()


def test_the_form_in_four_languages_stays_on_the_app_keeps_no_cookie_and_echoes_nothing(
        browser, live_server):
    app_host = host_of(live_server.url)
    for language, path in LANGUAGES.items():
        with browser_of(browser, f"help-{language}") as page:
            requests = RequestLog(page)
            page.goto(f"{live_server.url}{path}")
            assert page_language(page) == language
            assert page.locator(f"[name=preferred_language][value={language}]").is_checked()
            screenshot(page, f"help-{language}-1-form")
            assert_accessible(page, f"help form [{language}]")

            submit(page)  # nothing filled: the errors, in the page's language
            summary = page.locator("#error-summary")
            summary.wait_for()
            assert page.evaluate("document.activeElement.id") == "error-summary"
            assert page.locator("[name=name]").get_attribute("aria-invalid") == "true"
            screenshot(page, f"help-{language}-2-errors")
            assert_accessible(page, f"help form with errors [{language}]")

            values = typed(language)
            fill(page, values, language=language)
            submit(page)
            sent = f"{live_server.url}{path}sent/"
            assert page.url == sent
            assert page_language(page) == language
            screenshot(page, f"help-{language}-3-sent")
            assert_accessible(page, f"help confirmation [{language}]")
            shown = page.content()
            assert [value for value in values.values() if value in shown] == []
            assert "Echomarker" not in page.inner_text("body")

            assert {cookie["name"] for cookie in page.context.cookies()} == {"csrftoken"}
            assert requests.foreign(app_host) == [], requests.foreign(app_host)
            assert any(url.endswith(".css") for url in requests.urls)  # assets were loaded
            assert requests.hosts() == {app_host}

    stored = {item.preferred_language: item for item in HelpRequest.objects.all()}
    assert sorted(stored) == sorted(LANGUAGES)
    for language, item in stored.items():
        values = typed(language)
        assert (item.name, item.contact_method, item.contact_details, item.message) == (
            values["name"], "whatsapp", values["contact_details"], values["message"])


def test_a_bot_filling_the_honeypot_sees_the_same_confirmation_and_nothing_is_stored(
        browser, live_server):
    with browser_of(browser, "help-bot") as page:
        page.goto(f"{live_server.url}/help/es/")
        honeypot = page.locator("[name=website]")
        # Out of people's way: not in the tab order, hidden from assistive technology,
        # off screen.
        assert honeypot.get_attribute("tabindex") == "-1"
        assert page.locator(".ns-honeypot").get_attribute("aria-hidden") == "true"
        box = honeypot.bounding_box()
        assert box is None or box["x"] + box["width"] <= 0
        fill(page, typed("bot"), language="es")
        honeypot.fill("http://spam.example/offer")
        submit(page)
        assert page.url == f"{live_server.url}/help/es/sent/"
        assert {cookie["name"] for cookie in page.context.cookies()} == {"csrftoken"}
    assert HelpRequest.objects.count() == 0
