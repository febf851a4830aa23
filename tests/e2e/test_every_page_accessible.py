"""axe on every page of the app, not only those of the journey (``test_full_flow_browser``):
every URL pattern outside the Django admin, opened in a real browser by the person who uses it
(``tests/security/targets.TARGETS``: counsellor, coordinator, partner, admin, anonymous…) with
real objects (``tests/security/world.py``: cases with documents and notes, referrals walked to
each status, a closed case, help requests, exports, an erasure request, an invitation, a
password-reset link), in English and in French, and in English at a phone's width → 0 serious
or critical violations.

Which pages: those whose own user gets ``200 text/html`` from a plain GET (the Django test
client asks first, on the same session the browser then uses); redirects, downloads, JSON,
fragments for htmx (checked inside the page that shows them) and POST-only URLs are not
pages. The Django admin (operators only, Django's own templates, not
translated) is left out and said so in the accessibility statement.
"""

from __future__ import annotations

import re

import pytest

from northstar.accounts.models import User
from tests.e2e.conftest import screenshot
from tests.e2e.flows import (
    VIEWPORT,
    describe_violations,
    new_page,
    page_language,
    serious_violations,
)
from tests.security.targets import target_for, url_for
from tests.security.test_access_matrix import PATTERNS
from tests.security.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ("en", "fr")
VIEWPORTS = {"desktop": VIEWPORT, "phone": {"width": 320, "height": 640}}
# Every page in both staff languages on a laptop, and in English on a phone, where every
# table scrolls sideways (``static/js/tables.js`` makes those regions keyboard-reachable).
PASSES = (("en", "desktop"), ("fr", "desktop"), ("en", "phone"))
# Pages a journey test would never reach but a person does: each must be among those checked
# (a guard against the sweep quietly shrinking to a handful of pages).
MUST_CHECK = {
    "home", "accessibility", "intake:help_form", "account_login", "account_reset_password",
    "intake:case_list", "intake:case_detail", "intake:step", "intake:triage_list",
    "intake:triage_detail", "intake:erasure_list", "referrals:referral_preview",
    "referrals:portal_queue", "referrals:portal_referral", "referrals:dashboard",
    "directory:partner_list", "directory:partner_detail", "audit:log", "accounts:user_list",
    "accounts:user_edit", "stats:exports", "stats:dashboard", "mfa_index",
}

# The innermost elements that stick out on the right (outside any scrolling table wrapper).
WIDEST = """() => {
  const width = document.documentElement.clientWidth;
  const out = [...document.querySelectorAll("body *")].filter(element =>
    element.getBoundingClientRect().right > width + 0.5 && !element.closest(".table-responsive"));
  return out.filter(element => !out.some(other => other !== element && element.contains(other)))
    .slice(0, 5).map(element => element.tagName.toLowerCase()
      + (element.id ? "#" + element.id : "") + "." + [...element.classList].join("."));
}"""


def html_lang(response) -> str | None:
    match = re.search(rb'<html[^>]*\blang="([^"]+)"', response.content[:500])
    return match.group(1).decode() if match else None


def html_pages(world) -> list[dict]:
    """Every page a persona can open: view name, URL, persona, the prepared test client, and
    the language the page keeps whatever the reader's (the public form at ``/help/es/``, the
    printable handoff preview in the client's language), if any."""
    pages = []
    for view_name, pattern, prefix in PATTERNS:
        if view_name.startswith("admin:"):
            continue
        target = target_for(view_name)
        url = url_for(view_name, pattern, prefix, world)
        client = target.client(world)
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html") \
                and html_lang(response):
            pages.append({"view": view_name, "url": url, "persona": target.persona,
                          "client": client})
    for language in LANGUAGES:
        User.objects.update(preferred_language=language)
        for page in pages:
            page[language] = html_lang(page["client"].get(page["url"],
                                                          HTTP_ACCEPT_LANGUAGE=language))
    for page in pages:
        seen = {page[language] for language in LANGUAGES}
        page["fixed"] = None if seen == set(LANGUAGES) else seen.pop()
        assert page["fixed"] is None or len(seen) == 0, f"{page['view']}: {seen}"
    return pages


def browser_page(browser, live_server, client, language: str, viewport: dict):
    """A browser holding the test client's cookies (its session, a reset key kept in it…)."""
    page = new_page(browser, locale=f"{language}-CA", viewport=viewport)
    page.context.add_cookies([{"name": name, "value": morsel.value, "url": live_server.url}
                              for name, morsel in client.cookies.items() if morsel.value])
    return page


def axe_problems(browser, live_server, page_info: dict, language: str,
                 width: str) -> str | None:
    """Open the page in ``language`` at ``width``; the violations described, or None."""
    where = (f"{page_info['view']} [{language}, {width}] as {page_info['persona']} "
             f"({page_info['url']})")
    page = browser_page(browser, live_server, page_info["client"], language, VIEWPORTS[width])
    try:
        response = page.goto(f"{live_server.url}{page_info['url']}")
        assert response.status == 200, f"{where}: {response.status}"
        assert page_language(page) == language, f"{where}: in {page_language(page)}"
        violations = serious_violations(page)
        if width == "phone":  # WCAG 1.4.10: at 320 CSS pixels only tables may scroll sideways
            overflow = page.evaluate("document.documentElement.scrollWidth"
                                     " - document.documentElement.clientWidth")
            if overflow > 0:
                violations.append({"id": "reflow", "impact": "serious",
                                   "target": " ".join(page.evaluate(WIDEST)),
                                   "help": f"the page scrolls sideways by {overflow} px",
                                   "html": "", "why": "content wider than 320 CSS pixels"})
        if not violations:
            return None
        screenshot(page, f"axe-failed-{page_info['view']}-{language}-{width}")
        return describe_violations(where, violations)
    finally:
        page.context.close()


def test_every_page_passes_axe_in_english_and_french_and_on_a_phone(browser, live_server):
    world = build_world()
    pages = html_pages(world)
    checked, failures = [], []
    for language, width in PASSES:
        User.objects.update(preferred_language=language)
        for page_info in pages:
            if page_info["fixed"] and language != LANGUAGES[0]:
                continue  # a page in its reader's language: checked in that language only
            expected = page_info["fixed"] or language
            failures.append(axe_problems(browser, live_server, page_info, expected, width))
            checked.append((page_info["view"], expected, width))
    print(f"{len(pages)} pages, {len(checked)} axe checks ({PASSES})")
    assert [failure for failure in failures if failure] == []
    assert MUST_CHECK - {view for view, _language, _width in checked} == set()
    staff_language_pages = {page["view"] for page in pages if not page["fixed"]}
    assert set(checked) >= {(view, language, width) for view in staff_language_pages
                            for language, width in PASSES}
