"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's
live server. Screenshots of each step are kept under ``test-artifacts/`` (CI artefacts)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.helpers import require

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# Playwright's sync API runs an event loop in this thread; Django's ORM, used by the test
# itself (fixtures, assertions), must be allowed alongside it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    require(Path(CHROMIUM).exists(), "needs Chromium at /usr/bin/chromium (apt-get install "
                                     "chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    from tests.e2e.flows import new_page

    page = new_page(browser)
    yield page
    page.context.close()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{re.sub(r'[^a-z0-9_-]+', '-', name.lower())}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in_through_browser(page, base_url: str, user, secret: str,
                            password: str = "correct-horse-battery-9", tour=None) -> None:
    """The real login: password, then the TOTP code. With ``tour`` (``flows.AxeTour``) both
    pages are screenshotted and checked with axe in both staff languages."""
    from northstar.accounts.totp import totp_code

    page.goto(f"{base_url}/accounts/login/")
    if tour is not None:
        tour.check(page, "sign-in-password", now=True)
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    code = page.get_by_label(re.compile("Authenticator code|Code", re.I))
    if tour is not None:
        code.wait_for()
        tour.check(page, "sign-in-totp", now=True)
    code.fill(totp_code(secret))
    page.get_by_role("button", name=re.compile("Sign In|Confirm|Verify", re.I)).click()
    page.wait_for_url(re.compile(r"/$"))
