"""Acceptance 3 (issue 7), on the pages people see: rendered in French (staff and partner
screens) or in Spanish and Haitian Creole (client-facing pages), no English may remain.

Every URL of the access-control matrix that answers a GET with a page is rendered for each
role that may open it, by a signed-in, MFA-verified user who chose French (a partner user of
the organisation that owns the object); the sign-in pages for a visitor whose browser asks for
French. A screened case and the printable handoff packet are added, since the matrix's own
objects carry no screening. ``tests/i18n/visible_text.py`` says what counts as English; the
test data planted in the pages (names, notes, organisations) is removed first.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from eligibility.services import case_screen
from referrals.models import Referral
from referrals.packets import share_profile
from tests.factories import UserFactory
from tests.helpers import sign_in
from tests.html_tree import parse
from tests.i18n.visible_text import english_in
from tests.referrals import referral_helpers
from tests.security.access_matrix import MATRIX
from tests.security.matrix_base import Row

pytestmark = pytest.mark.django_db

ROLES = ("counsellor", "coordinator", "partner", "admin")
EXAMPLE = Path(__file__).resolve().parents[1] / "eligibility/examples" \
    / "honduran-pr-brother-land-port.facts.json"
# Client-facing pages are checked in their own languages below; the JSON and the redirects
# of other rows are not pages.
CLIENT_FACING_ROWS = ("intake:help_form", "intake:help_form_language", "intake:help_sent",
                      "intake:help_sent_language", "referrals:referral_preview")


def planted_strings(value) -> list[str]:
    """Every string in the test data the helpers plant (client-entered text)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in planted_strings(item)]
    if isinstance(value, list | tuple):
        return [text for item in value for text in planted_strings(item)]
    return []


def whole(text: str) -> re.Pattern:
    return re.compile(rf"(?<!\w){re.escape(text)}(?!\w)")


PLANTED: list[re.Pattern] = [whole(text) for text in sorted(
    {*planted_strings(referral_helpers.CLIENT), *planted_strings(referral_helpers.CASE_BLOCKS),
     "Matrix Visitor", "Matrix row request.", "We cannot continue",
     "A fictional partner organisation.", "Main office", "Test Network"},
    key=len, reverse=True) if len(text) > 3] + [
    re.compile(r"Partner Organisation \d+ \(test\)"), re.compile(r"Staff Member \d+"),
    re.compile(r"Fictional Contact \d+"), re.compile(r"\d+ Example Street"),
    re.compile(r"\bService \d+"), re.compile(r"[\w.+-]+@[\w.-]+\.example\b"),
]


def french_user(role: str, organisation_id: int | None = None):
    if role == "partner" and organisation_id is not None:
        return UserFactory(is_partner=True, organisation_id=organisation_id,
                           preferred_language="fr")
    return UserFactory(**{role: True}, preferred_language="fr")


def visitors(name: str, row: Row, organisation_id: int | None) -> list[tuple[str, Client]]:
    """(persona, client) pairs that the row lets in with a page to read. Pages open to every
    signed-in user differ by role only in the menu, so only the home page (a section per
    role) is read by each role."""
    if row.who == "public":
        return [("visitor", Client(HTTP_ACCEPT_LANGUAGE="fr"))]
    if row.who == "before_mfa":
        return [("password only", sign_in(Client(), french_user("counsellor"), mfa=False))]
    if row.who == "signed_in":
        roles = ROLES if name == "home" else ("counsellor",)
    else:
        roles = tuple(role for role in ROLES if role in row.who) \
            if isinstance(row.who, frozenset) else ()
    return [(role, sign_in(Client(), french_user(role, organisation_id))) for role in roles
            if row.overrides.get((role, "GET"), row.get) == 200]


def french_pages():
    """(label, client, url) for every staff and partner page of the matrix, in French."""
    for name, row in sorted(MATRIX.items()):
        if row.get != 200 or name in CLIENT_FACING_ROWS or row.who in ("nobody", "superuser"):
            continue
        kwargs = row.kwargs() if row.kwargs else {}
        organisation = row.organisation(kwargs) if row.organisation else None
        url = reverse(name, kwargs=kwargs)
        for persona, client in visitors(name, row, organisation):
            yield f"{name} as {persona}", client, url


def screened_case_pages():
    """The case page and screening panel of a case screened on the example facts."""
    counsellor = french_user("counsellor")
    case = referral_helpers.make_case(counsellor)
    facts = json.loads(EXAMPLE.read_text())
    for block in ("person", "parents", "relatives_in_canada", "plan", "criminality",
                  "canadian_history", "prior_claims", "fear"):
        if block in facts:
            setattr(case, block, facts[block])
    case.save()
    assert case_screen(case_id=case.pk) is not None
    client = sign_in(Client(), counsellor)
    yield "screened case page", client, reverse("intake:case_detail", args=[case.number])
    yield "screening panel", client, reverse("intake:screening", args=[case.number])


def check(pages, language: str) -> list[str]:
    problems = []
    for label, client, url in pages:
        response = client.get(url)
        assert response.status_code == 200, f"{label}: {url}"
        if "html" not in response.get("Content-Type", ""):
            continue
        root = parse(response.content).select_one("html")  # None for an htmx fragment
        page_language = root["lang"] if root is not None else response["Content-Language"]
        assert page_language == language, f"{label}: {url}"
        problems += [f"{label} ({url}): {snippet!r}"
                     for snippet in english_in(response.content, language, PLANTED)]
    return problems


def test_staff_and_partner_pages_show_no_english_in_french():
    pages = [*french_pages(), *screened_case_pages()]
    assert len(pages) >= 50
    assert check(pages, "fr") == []


@pytest.mark.parametrize("language", ["es", "ht", "fr"])
def test_client_facing_pages_show_no_english(language):
    visitor = Client()
    form = reverse("intake:help_form_language", kwargs={"lang": language})
    pages = [("help form", visitor, form),
             ("help sent", visitor, reverse("intake:help_sent_language",
                                            kwargs={"lang": language}))]
    problems = check(pages, language)
    invalid = visitor.post(form, {})  # every error message of the form
    assert invalid.status_code == 200
    problems += [f"help form errors: {snippet!r}"
                 for snippet in english_in(invalid.content, language, PLANTED)]

    world = referral_helpers.make_world("legal_aid")  # the profile that shares the most
    client = world.case.client
    client.preferred_language = language
    client.save(update_fields=["preferred_language"])
    draft = referral_helpers.draft_for(world.case, world.partner, world.coordinator,
                                       fields=share_profile("legal_aid").optional)
    coordinator = sign_in(Client(), world.coordinator)
    for label, referral in (("packet preview (draft)", draft),
                            ("packet print (sent)",
                             referral_helpers.send(draft, world.coordinator))):
        referral = Referral.objects.get(pk=referral.pk)
        problems += check([(label, coordinator,
                            reverse("referrals:referral_preview", args=[referral.reference]))],
                          language)
    assert problems == []
