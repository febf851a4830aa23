"""Acceptance 1 and 2 (issue 7): the whole journey in a real browser, through the UI only.

A person asks for help on the public form → a counsellor signs in (password + TOTP), turns the
request into an intake from the triage queue, answers what a meaningful screening needs, sees
the screening and records consent to share → a coordinator sends a referral to the partner →
the partner accepts it in the portal → an administrator exports the statistics as CSV, which
arrives and holds nothing about the person.

Every page of the journey passes axe (0 serious or critical violations) in English and in
French, reached the way a person reaches it: the language links of the public pages, the staff
language switcher elsewhere. A page whose state the next action changes (and each sign-in page)
is checked in French at once, then the switcher goes back to English; the others are opened
again in French when the person's part is over (``flows.AxeTour``). Screenshots of each step
are kept in test-artifacts/ (and ``failed-<person>.png`` when a part fails). No page of the
journey makes a request to any host but the app's.

Fixtures create only the accounts (with TOTP), the partner organisation, its service and its
data-sharing agreement; every step of the journey itself is done in the browser.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from intake.models import Case, CaseStatus, HelpRequest, HelpRequestStatus
from northstar.accounts.totp import totp_enable
from referrals.models import Referral, ReferralStatus
from tests.e2e.conftest import screenshot, sign_in_through_browser
from tests.e2e.flows import (
    AxeTour,
    RequestLog,
    assert_accessible,
    browser_of,
    host_of,
    page_language,
)
from tests.factories import UserFactory
from tests.referrals.referral_helpers import make_partner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECRETS = {
    "counsellor": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PAA",
    "coordinator": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PBB",
    "partner": "KRSXG5CTMVZXEZLUKRSXG5CTMVZXEZCC",
    "admin": "KRSXG5CTMVZXEZLUKRSXG5CTMVZXEZDD",
}

# What the person types on the public form, and what the counsellor adds; none of it may
# appear in the statistics export. All fictional.
ALIAS = "Yaneris Flowmarker"
FAMILY_NAME = "Flowmarker"
CONTACT = "+1 555 0142 6631"
MESSAGE = "Flowmarker message: my sister lives in Montreal"


@pytest.fixture
def staff():
    counsellor = UserFactory(counsellor=True)
    coordinator = UserFactory(coordinator=True)
    admin = UserFactory(admin=True)
    partner = make_partner("shelter", languages=("es", "fr"), provinces=("QC",))
    totp_enable(counsellor, SECRETS["counsellor"])
    totp_enable(coordinator, SECRETS["coordinator"])
    totp_enable(partner.user, SECRETS["partner"])
    totp_enable(admin, SECRETS["admin"])
    return {"counsellor": counsellor, "coordinator": coordinator, "partner": partner,
            "admin": admin}


def click_and_wait(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def save_and_continue(page, next_step: str) -> None:
    click_and_wait(page, page.get_by_role("button", name="Save and continue"))
    page.wait_for_url(re.compile(rf"/intake/{next_step}/$"))


def go_to_step(page, title: str, slug: str) -> None:
    click_and_wait(page, page.get_by_role("navigation", name="Intake steps").get_by_role(
        "link", name=re.compile(title)))
    page.wait_for_url(re.compile(rf"/intake/{slug}/$"))


def select(page, label: str, value: str) -> None:
    page.get_by_label(label, exact=True).select_option(value)


def sign_in(page, live_server, user, role: str, tour: AxeTour | None = None) -> None:
    """The real sign-in (password, then TOTP); with ``tour`` its two pages are checked too."""
    sign_in_through_browser(page, live_server.url, user, SECRETS[role], tour=tour)


def public_person_asks_for_help(page, live_server, tour: AxeTour) -> None:
    """The public pages have no staff switcher: a person changes language with the links in
    their header, so that is how the French pages are reached."""
    page.goto(f"{live_server.url}/help/")
    screenshot(page, "flow-01-help-form")
    assert_accessible(page, "help form [en]")
    click_and_wait(page, page.get_by_role("navigation", name="Language").get_by_role(
        "link", name="Français"))
    assert page_language(page) == "fr"
    assert_accessible(page, "help form [fr]")
    click_and_wait(page, page.get_by_role("navigation", name="Langue").get_by_role(
        "link", name="English"))
    assert page_language(page) == "en"

    page.get_by_label("Your name, or a name we can call you").fill(ALIAS)
    page.get_by_label("Signal").check()
    page.get_by_label("Your phone number, e-mail, or who to contact").fill(CONTACT)
    page.get_by_label("Español").check()
    page.get_by_label("In a few words, what do you need help with?").fill(MESSAGE)
    page.get_by_label(re.compile("^I agree")).check()
    click_and_wait(page, page.get_by_role("button", name="Send my message"))
    page.wait_for_url(f"{live_server.url}/help/sent/")
    page.get_by_role("heading", name="Thank you. Your message was sent.").wait_for()
    screenshot(page, "flow-02-help-sent")
    assert_accessible(page, "help confirmation [en]")
    click_and_wait(page, page.get_by_role("navigation", name="Language").get_by_role(
        "link", name="Français"))
    assert page_language(page) == "fr"
    assert_accessible(page, "help confirmation [fr]")
    tour.checked += [("help-form", "en"), ("help-form", "fr"),
                     ("help-sent", "en"), ("help-sent", "fr")]


def counsellor_turns_the_request_into_a_screened_intake(page, live_server, staff, partner,
                                                        tour: AxeTour) -> str:
    sign_in(page, live_server, staff["counsellor"], "counsellor", tour)
    page.locator('[data-home-section="counsellor"]').wait_for()
    tour.check(page, "flow-05-counsellor-home")

    click_and_wait(page, page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Help requests"))
    row = page.get_by_role("row").filter(has_text=ALIAS)
    tour.check(page, "flow-06-triage-queue")
    click_and_wait(page, row.get_by_role("link"))
    assert MESSAGE in page.locator("main").inner_text()
    tour.check(page, "flow-07-triage-request", now=True)

    click_and_wait(page, page.get_by_role("button", name="Start an intake"))
    page.wait_for_url(re.compile(r"/cases/NS-[0-9A-Z]{4}-[0-9A-Z]{4}/intake/identity/$"))
    number = re.search(r"NS-[0-9A-Z]{4}-[0-9A-Z]{4}", page.url).group(0)
    assert page.get_by_label("Given name(s)").input_value() == ALIAS
    tour.check(page, "flow-08-intake-identity")
    page.get_by_label("Given name(s)").fill("Yaneris")
    page.get_by_label("Family name(s)").fill(FAMILY_NAME)
    page.get_by_label("Date of birth").fill("1990-07-21")
    page.get_by_label("Citizenships").select_option("HN")
    select(page, "Stateless?", "no")
    select(page, "Marital status", "single")
    page.get_by_label("None / not stateless").check()
    save_and_continue(page, "contact")

    # The contact details came over from the help request.
    assert page.get_by_label("Number, address or trusted person").input_value() == CONTACT
    tour.check(page, "flow-09-intake-contact")
    select(page, "Where is the person now?", "us")
    select(page, "Status in the United States", "tps")
    select(page, "Status in Canada", "none")
    save_and_continue(page, "urgency")

    tour.check(page, "flow-10-intake-urgency")
    select(page, "Detention risk", "low")
    page.get_by_label("Travelling alone").check()
    save_and_continue(page, "family")

    go_to_step(page, "Relatives in Canada", "relatives")
    tour.check(page, "flow-11-intake-relatives")
    page.get_by_label("Relationship to the client").select_option("sister")
    page.get_by_label("Their status in Canada").select_option("citizen")
    page.get_by_label("Will they be in Canada on the claim date?").select_option("yes")
    save_and_continue(page, "spouse")

    go_to_step(page, "Travel plan and documents", "plan")
    tour.check(page, "flow-12-intake-plan")
    select(page, "How would (or did) they enter Canada?", "land_port_of_entry")
    page.get_by_label("Date of entry to Canada").fill("2026-12-15")
    page.get_by_label("No Canadian document").check()
    save_and_continue(page, "safety")

    go_to_step(page, "Review", "review")
    tour.check(page, "flow-13-intake-review")
    click_and_wait(page, page.get_by_role("button", name="Complete the intake"))
    page.wait_for_url(f"{live_server.url}/cases/{number}/")
    panel = page.locator("#screening")
    panel.get_by_text("Refugee claim (eligibility to be referred)").wait_for()
    # A sister who is a Canadian citizen: the STCA family exception at the land border.
    pathway = panel.get_by_role("button", name=re.compile("Refugee claim"))
    pathway.click()
    expect(pathway).to_have_attribute("aria-expanded", "true")
    expect(panel.locator(".accordion-collapse.show")).to_contain_text(
        "Your sister is a Canadian citizen in Canada (R159.5(a)).")
    assert "not legal advice" in panel.inner_text()
    tour.check(page, "flow-14-case-with-screening", ready="#screening .accordion",
               now=True)

    click_and_wait(page, page.locator("#consents").get_by_role("link", name="Record consent"))
    tour.check(page, "flow-15-consent-form")
    page.get_by_label("Purpose").select_option("referral")
    page.get_by_label("Partner organisation").select_option(label=partner.organisation.name)
    page.get_by_label("How it was given").select_option("verbal")
    page.get_by_label("Given by").select_option("client")
    click_and_wait(page, page.get_by_role("button", name="Record consent"))
    page.wait_for_url(f"{live_server.url}/cases/{number}/")
    page.get_by_text("Consent recorded.").wait_for()
    assert partner.organisation.name in page.locator("#consents").inner_text()
    tour.check(page, "flow-16-case-with-consent")
    tour.revisit(page)
    return number


def coordinator_sends_the_referral(page, live_server, staff, partner, number,
                                   tour: AxeTour) -> str:
    sign_in(page, live_server, staff["coordinator"], "coordinator")
    page.locator('[data-home-section="coordinator"]').wait_for()
    tour.check(page, "flow-17-coordinator-home")
    click_and_wait(page, page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Cases"))
    tour.check(page, "flow-18-case-list")
    click_and_wait(page, page.get_by_role("link", name=number))
    tour.check(page, "flow-19-coordinator-case")

    click_and_wait(page, page.get_by_role("link", name="New referral"))
    page.wait_for_url(re.compile(r"/referrals/new/$"))
    tour.check(page, "flow-20-referral-needs")
    page.get_by_label("Shelter").check()
    click_and_wait(page, page.get_by_role("button", name="Find partners"))
    suggestion = page.locator(f'[data-suggestion="{partner.service.pk}"]')
    suggestion.get_by_text("Consent covers this partner").wait_for()
    tour.check(page, "flow-21-referral-suggestions")
    click_and_wait(page, suggestion.get_by_role("button", name=re.compile("^Prepare a referral")))
    page.wait_for_url(re.compile(r"/referrals/RF-[0-9A-Z]{4}-[0-9A-Z]{4}/$"))
    reference = re.search(r"RF-[0-9A-Z]{4}-[0-9A-Z]{4}", page.url).group(0)
    page.locator("#preview").get_by_text("Yaneris").wait_for()
    tour.check(page, "flow-22-referral-preview", now=True)
    click_and_wait(page, page.get_by_role("button", name="Send to the partner"))
    page.locator("#referral-status [data-status='sent']").wait_for()
    tour.check(page, "flow-23-referral-sent")
    tour.revisit(page)
    return reference


def partner_accepts(page, live_server, partner, number, reference, tour: AxeTour) -> None:
    sign_in(page, live_server, partner.user, "partner")
    page.locator('[data-home-section="partner"]').wait_for()
    tour.check(page, "flow-24-partner-home")
    click_and_wait(page, page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Referrals"))
    tour.check(page, "flow-25-partner-queue")
    click_and_wait(page, page.get_by_role("link", name=reference))
    page.get_by_text("Yaneris").first.wait_for()
    assert number not in page.content()  # the partner never sees the network's case number
    tour.check(page, "flow-26-partner-packet", now=True)
    click_and_wait(page, page.get_by_role("button", name="Accept", exact=True))
    page.locator("#referral-status [data-status='accepted']").wait_for()
    tour.check(page, "flow-27-partner-accepted")
    tour.revisit(page)


def admin_exports_statistics(page, live_server, staff, markers, tour: AxeTour) -> str:
    sign_in(page, live_server, staff["admin"], "admin")
    page.locator('[data-home-section="admin"]').wait_for()
    tour.check(page, "flow-28-admin-home")
    click_and_wait(page, page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Statistics"))
    tour.check(page, "flow-29-statistics")
    click_and_wait(page, page.get_by_role("button", name="CSV"))
    page.wait_for_url(re.compile(r"/stats/exports/[0-9a-f-]{36}/$"))
    link = page.locator("[data-export-link]")
    link.wait_for()
    tour.check(page, "flow-30-export-ready")
    with page.expect_download() as download:
        link.click()
    assert re.fullmatch(r"[\w.-]+\.csv", download.value.suggested_filename)
    raw = download.value.path().read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM, for spreadsheets
    content = raw.decode("utf-8-sig")
    click_and_wait(page, page.get_by_role("link", name="Back to your exports"))
    tour.check(page, "flow-31-exports")
    tour.revisit(page)
    assert content.splitlines()[0] == "Northstar anonymised statistics"
    leaked = [marker for marker in markers if marker.casefold() in content.casefold()]
    assert leaked == []
    return content


def test_public_request_to_exported_statistics_every_page_accessible_in_en_and_fr(
        browser, live_server, staff):
    partner = staff["partner"]
    tour = AxeTour()
    requests = {}  # who → every request their browser made

    with browser_of(browser, "public") as page:
        requests["public"] = RequestLog(page)
        tour.timed("part: public", public_person_asks_for_help, page, live_server, tour)
    assert HelpRequest.objects.get().status == HelpRequestStatus.NEW

    with browser_of(browser, "counsellor") as page:
        requests["counsellor"] = RequestLog(page)
        number = tour.timed("part: counsellor",
                            counsellor_turns_the_request_into_a_screened_intake,
                            page, live_server, staff, partner, tour)
    case = Case.objects.get(number=number)
    assert case.status == CaseStatus.OPEN
    assert HelpRequest.objects.get().case_id == case.pk

    with browser_of(browser, "coordinator") as page:
        requests["coordinator"] = RequestLog(page)
        reference = tour.timed("part: coordinator", coordinator_sends_the_referral,
                               page, live_server, staff, partner, number, tour)

    with browser_of(browser, "partner") as page:
        requests["partner"] = RequestLog(page)
        tour.timed("part: partner", partner_accepts, page, live_server, partner, number,
                   reference, tour)
    assert Referral.objects.get(reference=reference).status == ReferralStatus.ACCEPTED

    with browser_of(browser, "admin") as page:
        requests["admin"] = RequestLog(page)
        tour.timed("part: admin", admin_exports_statistics, page, live_server, staff,
                   [ALIAS, FAMILY_NAME, CONTACT, MESSAGE, "Yaneris", number, reference], tour)

    print(tour.report())  # where the time goes (shown with -s, or when the test fails)
    pages = {name for name, _language in tour.checked}
    assert len(pages) == 31  # 2 public, 2 sign-in, 27 staff and partner pages
    assert sorted(tour.checked) == sorted((name, language) for name in pages
                                          for language in ("en", "fr"))
    assert tour.pending == []
    # Every asset of every page came from the app itself: no CDN, font or analytics host.
    app_host = host_of(live_server.url)
    assert {who: log.foreign(app_host) for who, log in requests.items()} == {
        who: [] for who in requests}
    assert all(any(url.endswith(".js") for url in log.remote())
               for who, log in requests.items() if who != "public")
