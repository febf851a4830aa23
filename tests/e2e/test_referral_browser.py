"""Acceptance 6 (issue 5): in the browser, a coordinator prepares and sends a referral from
the case page, the partner accepts it in the portal, and the coordinator sees it accepted.
Both sign in through the real login form with TOTP; the referral pages pass an axe check."""

import re

import pytest

from northstar.accounts.totp import totp_enable
from tests.e2e.conftest import screenshot, sign_in_through_browser
from tests.e2e.flows import serious_problems
from tests.factories import UserFactory
from tests.referrals.referral_helpers import give_consent, make_case, make_partner

COORDINATOR_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXA"
PARTNER_SECRET = "KRSXG5CTMVZXEZLUKRSXG5CTMVZXEZLU"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_sends_partner_accepts_coordinator_sees_it(browser, page, live_server):
    coordinator = UserFactory(coordinator=True)
    totp_enable(coordinator, COORDINATOR_SECRET)
    partner = make_partner("shelter")
    totp_enable(partner.user, PARTNER_SECRET)
    case = make_case(UserFactory(counsellor=True))
    give_consent(case, coordinator, partner=partner)
    base = live_server.url

    # The coordinator: case page → needs → suggestions → draft → preview → send.
    sign_in_through_browser(page, base, coordinator, COORDINATOR_SECRET)
    page.goto(f"{base}/cases/{case.number}/")
    page.get_by_role("link", name="New referral").click()
    page.wait_for_url(re.compile(r"/referrals/new/$"))
    page.get_by_label("Shelter").check()
    page.get_by_role("button", name="Find partners").click()
    screenshot(page, "referral-0-suggestions")
    page.locator(f'[data-suggestion="{partner.service.pk}"]').get_by_role(
        "button", name=re.compile("^Prepare a referral")).click()
    page.wait_for_url(re.compile(r"/referrals/RF-[0-9A-Z]{4}-[0-9A-Z]{4}/$"))
    reference = re.search(r"RF-[0-9A-Z]{4}-[0-9A-Z]{4}", page.url).group(0)
    preview = page.locator("#preview")
    preview.get_by_text("Marisol").wait_for()
    assert "Testcase" not in preview.inner_text()  # not in the shelter profile
    screenshot(page, "referral-1-preview")
    assert serious_problems(page, "#main") == []
    page.get_by_role("button", name="Send to the partner").click()
    page.locator("#referral-status [data-status='sent']").wait_for()
    screenshot(page, "referral-2-sent")

    # The partner, in a browser of their own: queue → packet → accept.
    partner_context = browser.new_context(locale="en-CA",
                                          viewport={"width": 1280, "height": 900})
    partner_page = partner_context.new_page()
    partner_page.set_default_timeout(15_000)
    try:
        sign_in_through_browser(partner_page, base, partner.user, PARTNER_SECRET)
        partner_page.get_by_role("link", name="Referrals").click()
        partner_page.get_by_role("link", name=reference).click()
        partner_page.get_by_text("Marisol").wait_for()
        assert case.number not in partner_page.content()
        assert serious_problems(partner_page, "#main") == []
        screenshot(partner_page, "referral-3-partner-packet")
        partner_page.get_by_role("button", name="Accept", exact=True).click()
        partner_page.locator("#referral-status [data-status='accepted']").wait_for()
        screenshot(partner_page, "referral-4-partner-accepted")
    finally:
        partner_context.close()

    # The coordinator sees it accepted.
    page.reload()
    page.locator("#referral-status [data-status='accepted']").wait_for()
    assert "Accepted" in page.locator("#referral-status").inner_text()
    screenshot(page, "referral-5-coordinator-sees-accepted")
