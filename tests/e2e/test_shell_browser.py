"""The shell around every page, in a real browser: the home page of each role passes axe
(navigation included) in English and French and reflows at 200 % zoom; the keyboard
shortcuts work and stay quiet while typing; the session warning appears before an idle
session ends, "Stay signed in" extends it, and at the deadline the intake step being typed is
saved before the browser signs out.

Browsers are signed in with a session cookie made by Django's test client (the real login with
TOTP is exercised by ``test_referral_browser`` and ``test_intake_browser``)."""

from __future__ import annotations

import re

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from intake.models import Case
from intake.services import case_create
from tests.e2e.conftest import screenshot
from tests.e2e.flows import serious_problems
from tests.factories import UserFactory
from tests.helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = {
    "counsellor": {"counsellor": True},
    "coordinator": {"coordinator": True},
    "partner": {"partner": True},
    "admin": {"admin": True},
}


def signed_in_page(browser, live_server, user, *, viewport=(1280, 900)):
    """A fresh browser context holding a signed-in, MFA-verified session of ``user``."""
    client = sign_in(Client(), user)
    context = browser.new_context(locale="en-CA",
                                  viewport={"width": viewport[0], "height": viewport[1]})
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                          "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_role_home_page_passes_axe_including_the_navigation(browser, live_server,
                                                                   language):
    for role, flags in ROLES.items():
        user = UserFactory(preferred_language=language, **flags)
        page = signed_in_page(browser, live_server, user)
        try:
            page.goto(f"{live_server.url}/")
            page.locator(f'[data-home-section="{role}"]').wait_for()
            assert page.locator("html").get_attribute("lang") == language
            assert serious_problems(page) == [], f"{role} ({language})"
            screenshot(page, f"shell-home-{role}-{language}")
        finally:
            page.context.close()


def test_home_reflows_at_200_percent_zoom(browser, live_server):
    """1280 × 900 at 200 % is a 640 × 450 CSS-pixel viewport: nothing scrolls sideways."""
    user = UserFactory(counsellor=True, coordinator=True, admin=True)
    page = signed_in_page(browser, live_server, user, viewport=(640, 450))
    try:
        page.goto(f"{live_server.url}/")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow == 0
        screenshot(page, "shell-home-200-percent")
    finally:
        page.context.close()


def test_keyboard_walk_and_shortcuts(browser, live_server):
    counsellor = UserFactory(counsellor=True)
    page = signed_in_page(browser, live_server, counsellor)
    base = live_server.url
    try:
        page.goto(f"{base}/")
        # The first Tab reaches the skip link, which moves focus to the main content.
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent.trim()") == (
            "Skip to main content")
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"

        # ? opens the list of shortcuts in a modal dialog; Escape closes it.
        page.keyboard.press("?")
        dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
        dialog.wait_for()
        assert dialog.get_by_role("link", name="Go to the case list").is_visible()
        assert serious_problems(page, "#shortcuts-dialog") == []
        screenshot(page, "shell-shortcuts-dialog")
        page.keyboard.press("Escape")
        dialog.wait_for(state="hidden")

        # g then c: the case list.
        page.keyboard.press("g")
        page.keyboard.press("c")
        page.wait_for_url(f"{base}/cases/")

        # / focuses the search field (on the search page); typing there triggers nothing.
        page.keyboard.press("/")
        page.wait_for_url(f"{base}/cases/search/")
        field = page.get_by_label("Case number")
        page.wait_for_function("document.activeElement && "
                               "document.activeElement.hasAttribute('data-search-field')")
        page.keyboard.type("gc n?")
        assert field.input_value() == "gc n?"
        assert page.url == f"{base}/cases/search/"
        assert not page.get_by_role("dialog", name="Keyboard shortcuts").is_visible()

        # n: a new intake. Then the shortcuts can be turned off.
        page.goto(f"{base}/")
        page.keyboard.press("n")
        page.wait_for_url(f"{base}/cases/new/")
        page.get_by_role("button", name="Keyboard shortcuts").click()
        page.get_by_role("switch", name=re.compile("^Keyboard shortcuts on")).uncheck()
        page.keyboard.press("Escape")
        page.keyboard.press("g")
        page.keyboard.press("h")
        page.keyboard.press("?")
        assert page.url == f"{base}/cases/new/"
        assert not page.get_by_role("dialog", name="Keyboard shortcuts").is_visible()
    finally:
        page.context.close()


def user_sessions(user) -> list[Session]:
    return [session for session in Session.objects.all()
            if session.get_decoded().get("_auth_user_id") == str(user.pk)]


def signed_in_sessions(user) -> int:
    return len(user_sessions(user))


def session_expiry(user):
    (session,) = user_sessions(user)
    return session.expire_date


def test_session_warning_and_stay_signed_in(browser, live_server, settings):
    settings.SESSION_COOKIE_AGE = 14
    settings.SESSION_WARNING_SECONDS = 11  # the warning shows about 3 s after the page
    counsellor = UserFactory(counsellor=True)
    page = signed_in_page(browser, live_server, counsellor)
    try:
        page.goto(f"{live_server.url}/")
        warning = page.get_by_role("alertdialog", name="Are you still there?")
        warning.wait_for()
        assert warning.get_by_role("button", name="Stay signed in").is_visible()
        assert page.evaluate("document.activeElement.textContent.trim()") == "Stay signed in"
        assert serious_problems(page, "#session-warning") == []
        screenshot(page, "shell-session-warning")
        before = session_expiry(counsellor)
        with page.expect_response(re.compile(r"/session/keep-alive/$")) as answer:
            page.keyboard.press("Enter")  # the focused "Stay signed in"
        assert answer.value.status == 200
        warning.wait_for(state="hidden")
        assert session_expiry(counsellor) > before
        assert page.url == f"{live_server.url}/"
    finally:
        page.context.close()


def test_at_the_deadline_the_step_being_typed_is_saved_then_the_browser_signs_out(
        browser, live_server, settings):
    settings.SESSION_COOKIE_AGE = 12
    settings.SESSION_WARNING_SECONDS = 8  # warning about 4 s after the page, sign-out at 12 s
    counsellor = UserFactory(counsellor=True)
    case = case_create(actor=counsellor, given_name="Odalys", family_name="Keyboardtest")
    page = signed_in_page(browser, live_server, counsellor)
    step = f"/cases/{case.number}/intake/contact/"
    try:
        page.goto(f"{live_server.url}{step}")
        page.get_by_label("Number, address or trusted person").fill("+1 555 0199")
        # Nobody touches the keyboard again: warning, autosave, then the login page.
        page.get_by_role("alertdialog", name="Are you still there?").wait_for()
        page.wait_for_url(re.compile(r"/accounts/login/\?next=" + re.escape(step) + "$"),
                          timeout=30_000)
        page.get_by_text("You were signed out because the session was idle.").wait_for()
        screenshot(page, "shell-session-ended")
    finally:
        page.context.close()
    assert Case.objects.select_related("client").get(pk=case.pk).client.contact_details == (
        "+1 555 0199")
    assert signed_in_sessions(counsellor) == 0
