"""Browser helpers shared by the e2e tests: fresh browser contexts, the axe check, the staff
language switcher (used the way a person uses it) and a record of every request a page makes.

The pytest fixtures (``browser``, ``page``) and ``screenshot`` / ``sign_in_through_browser``
live in ``conftest.py``; this module holds plain functions the tests import."""

from __future__ import annotations

import time
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import urlsplit

SERIOUS = ("serious", "critical")
VIEWPORT = {"width": 1280, "height": 900}
AXE_OPTIONS = {"resultTypes": ["violations"]}


@cache
def axe_source() -> str:
    from axe_playwright_python.sync_playwright import Axe

    return Axe().axe_script


def new_page(browser, *, locale: str = "en-CA", viewport: dict | None = None):
    """A page in a browser context of its own (its own cookies: one person, one browser).
    axe-core is added to every document as it loads (an init script: no network request),
    which is cheaper than sending its 560 kB into each page before each check."""
    context = browser.new_context(locale=locale, viewport=viewport or VIEWPORT)
    context.add_init_script(script=axe_source())
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


@contextmanager
def browser_of(browser, who: str, *, locale: str = "en-CA"):
    """A page in a fresh browser context for one person; if the block fails, the page as it
    was is kept as ``test-artifacts/failed-<who>.png``; the context is closed in any case."""
    from tests.e2e.conftest import screenshot

    page = new_page(browser, locale=locale)
    try:
        yield page
    except BaseException:
        with suppress(Exception):
            screenshot(page, f"failed-{who}")
        raise
    finally:
        page.context.close()


def serious_violations(page, context: str | None = None) -> list[dict]:
    """axe-core's serious and critical violations on the page (or inside ``context``, a CSS
    selector), one entry per offending node: rule id, impact, help text and CSS target."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    response = page.evaluate("([context, options]) => axe.run(context || document, options)",
                             [context, AXE_OPTIONS])
    return [{"id": violation["id"], "impact": violation["impact"], "help": violation["help"],
             "target": " ".join(str(part) for part in node["target"]),
             "html": node["html"][:160],
             "why": (node.get("failureSummary") or "").splitlines()[-1].strip()}
            for violation in response["violations"]
            if violation["impact"] in SERIOUS for node in violation["nodes"]]


def describe_violations(where: str, violations: list[dict]) -> str:
    lines = [f"{len(violations)} serious/critical axe violation(s) on {where}:"]
    lines += [f"  - {item['id']} ({item['impact']}): {item['help']}\n"
              f"      target: {item['target']}\n      html:   {item['html']}\n"
              f"      why:    {item['why']}"
              for item in violations]
    return "\n".join(lines)


def serious_problems(page, context: str | None = None) -> list[str]:
    """The same violations as short strings (``rule: target: html``), for ``== []``
    assertions."""
    return [f"{item['id']}: {item['target']}: {item['html'][:120]}"
            for item in serious_violations(page, context)]


def assert_accessible(page, where: str, context: str | None = None) -> None:
    """0 serious or critical axe violations; otherwise fail listing each one (id, target)."""
    violations = serious_violations(page, context)
    assert violations == [], describe_violations(where, violations)


def page_language(page) -> str:
    return page.locator("html").get_attribute("lang")


def switch_language(page, code: str) -> None:
    """Change the staff language with the switcher in the navigation bar, as a person does:
    pick the language, press the button; the same page comes back in that language."""
    switcher = page.locator("form:has(#language-select)")
    switcher.locator("#language-select").select_option(code)
    with page.expect_navigation():
        switcher.locator("button[type=submit]").click()
    assert page_language(page) == code, f"{page.url} did not switch to {code}"


@dataclass
class AxeTour:
    """axe on every page of a journey, in its language (English) and in the other staff
    language (French), which a person reaches with the language switcher.

    ``check(page, name)`` screenshots the page (so a failing step leaves its picture in
    test-artifacts/) and runs axe on it in English. The French check happens either
    ``now`` (switch, axe, switch back: for a page whose state the next action changes, and
    for the sign-in pages), or when the person's part ends: ``revisit(page)`` switches once
    and opens each page they saw again, by its URL. Both are real uses of the switcher; the
    revisit costs one page load per page instead of two language changes."""

    languages: tuple[str, str] = ("en", "fr")
    checked: list[tuple[str, str]] = field(default_factory=list)
    pending: list[tuple[str, str, str | None]] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    def timed(self, what: str, action, *args):
        started = time.perf_counter()
        try:
            return action(*args)
        finally:
            self.seconds[what] = self.seconds.get(what, 0) + time.perf_counter() - started

    def axe(self, page, name: str, language: str, ready: str | None) -> None:
        if ready:
            page.locator(ready).first.wait_for()
        assert page_language(page) == language, f"{name}: {page.url} is in {page_language(page)}"
        self.timed("axe", assert_accessible, page, f"{name} [{language}] {page.url}")
        self.checked.append((name, language))

    def check(self, page, name: str, *, ready: str | None = None, now: bool = False) -> None:
        from tests.e2e.conftest import screenshot

        first, second = self.languages
        self.timed("screenshot", screenshot, page, name)
        self.axe(page, name, first, ready)
        if not now:
            self.pending.append((name, page.url, ready))
            return
        self.timed("switch", switch_language, page, second)
        self.axe(page, name, second, ready)
        self.timed("switch", switch_language, page, first)
        if ready:
            page.locator(ready).first.wait_for()

    def revisit(self, page) -> None:
        """The person switches language once and looks at every page they saw again."""
        if not self.pending:
            return
        second = self.languages[1]
        self.timed("switch", switch_language, page, second)
        for name, url, ready in self.pending:
            if page.url != url:
                self.timed("revisit", page.goto, url)
            self.axe(page, name, second, ready)
        self.pending.clear()

    def report(self) -> str:
        spent = ", ".join(f"{what} {seconds:.1f} s" for what, seconds in self.seconds.items())
        return f"{len(self.checked)} axe checks; {spent}"


class RequestLog:
    """Every request a page makes (documents, styles, scripts, images, fonts, XHR...)."""

    def __init__(self, page):
        self.urls: list[str] = []
        page.on("request", lambda request: self.urls.append(request.url))

    def remote(self) -> list[str]:
        """The requests that go over the network (data:, blob: and about: URLs do not)."""
        return [url for url in self.urls if not url.startswith(("data:", "blob:", "about:"))]

    def hosts(self) -> set[str]:
        return {urlsplit(url).netloc for url in self.remote()}

    def foreign(self, allowed_host: str) -> list[str]:
        """Requests to any host but ``allowed_host`` (``host:port``)."""
        return [url for url in self.remote() if urlsplit(url).netloc != allowed_host]


def host_of(url: str) -> str:
    return urlsplit(url).netloc

