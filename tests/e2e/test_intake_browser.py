"""Acceptance (issue 4): a counsellor completes a full intake in the browser and sees the
screening result. Keyboard-first where it matters: the steps are filled with the keyboard."""

import re

import pytest

from northstar.accounts.totp import totp_enable
from tests.e2e.conftest import screenshot, sign_in_through_browser
from tests.factories import UserFactory

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXR"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def select(page, label: str, value: str) -> None:
    page.get_by_label(label, exact=True).select_option(value)


def go_to_step(page, title: str) -> None:
    """Steps can be visited in any order from the step list."""
    page.get_by_role("navigation", name="Intake steps").get_by_role(
        "link", name=re.compile(title)).click()
    page.wait_for_load_state()


def save_and_continue(page, next_step: str) -> None:
    """Save; the next step opens only if the answers were accepted (an error stays put)."""
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(re.compile(rf"/intake/{next_step}/$"))


def test_counsellor_completes_an_intake_and_sees_the_screening(page, live_server):
    counsellor = UserFactory(counsellor=True)
    totp_enable(counsellor, SECRET)
    base = live_server.url
    sign_in_through_browser(page, base, counsellor, SECRET)

    page.goto(f"{base}/cases/new/")
    page.get_by_label("Given name(s)").fill("Lucía")
    page.get_by_label("Family name(s)").fill("Browsertest")
    page.get_by_label("Date of birth").fill("1992-04-09")
    page.get_by_role("button", name="Start the intake").click()
    page.wait_for_url(re.compile(r"/intake/identity/$"))
    screenshot(page, "intake-1-identity")

    page.get_by_label("Citizenships").select_option("HN")
    select(page, "Stateless?", "no")
    select(page, "Marital status", "single")
    page.get_by_label("None / not stateless").check()
    save_and_continue(page, "contact")

    select(page, "Safe contact method", "signal")
    page.get_by_label("Number, address or trusted person").fill("+1 555 0123")
    select(page, "Where is the person now?", "us")
    select(page, "Status in the United States", "tps")
    select(page, "Status in Canada", "none")
    # Answers are saved as they are typed (htmx autosave), before any button is pressed.
    page.locator("#autosave-status").get_by_text(re.compile("^Saved at")).wait_for()
    save_and_continue(page, "urgency")

    select(page, "Detention risk", "low")
    page.get_by_label("Travelling alone").check()
    save_and_continue(page, "family")

    go_to_step(page, "Relatives in Canada")
    page.get_by_label("Relationship to the client").select_option("brother")
    page.get_by_label("Their status in Canada").select_option("permanent_resident")
    page.get_by_label("Will they be in Canada on the claim date?").select_option("yes")
    save_and_continue(page, "spouse")

    go_to_step(page, "Travel plan and documents")
    select(page, "How would (or did) they enter Canada?", "land_port_of_entry")
    page.get_by_label("Date of entry to Canada").fill("2026-12-15")
    page.get_by_label("No Canadian document").check()
    save_and_continue(page, "safety")
    screenshot(page, "intake-2-after-plan")

    go_to_step(page, "Review")
    page.get_by_role("button", name="Complete the intake").click()
    page.wait_for_url(re.compile(r"/cases/NS-[0-9A-Z]{4}-[0-9A-Z]{4}/$"))
    page.get_by_role("heading", name=re.compile("Lucía Browsertest")).wait_for()
    panel = page.locator("#screening")
    panel.get_by_text("Refugee claim (eligibility to be referred)").wait_for()
    page.get_by_role("button", name=re.compile("Refugee claim")).click()
    panel.get_by_text("R159.5(b)(ii)").first.wait_for()
    assert "not legal advice" in panel.inner_text()
    screenshot(page, "intake-3-case-with-screening")
