"""GET never changes data: every URL pattern, with real object ids, as every persona.

Compared before and after the GETs: every application table (row count and a hash of all its
rows) and the stored files, except the audit log and its seals and the sessions. Reads are
audited by design (every view of a case, a referral, a packet or an export writes an audit
event), and every request pushes its session's idle deadline forward; nothing else may move.
Nothing may be queued to run after the commit either, but the audit log's sealing.
"""

from __future__ import annotations

import pytest

from northstar.audit.services import seal_after_commit
from tests.security.snapshot import changes, snapshot
from tests.security.targets import target_for, url_for
from tests.security.test_access_matrix import PATTERNS
from tests.security.world import PERSONAS, module_world

GET_PERSONAS = ("anonymous", *PERSONAS)
# The Django admin's pages: the operator, and those most likely to be let in by mistake. The
# access policy refuses everyone else before any of its code runs (the access matrix checks
# that for every persona).
ADMIN_SITE_PERSONAS = ("anonymous", "admin", "superuser")
# What the URL's own user gets where there is no page for them: nothing of theirs to show
# (these users have no authenticator yet), or a route nobody may use (login by code is off).
NOT_A_PAGE = {"mfa_deactivate_totp": 404, "mfa_view_recovery_codes": 404,
              "mfa_download_recovery_codes": 404, "account_confirm_login_code": 403,
              "account_email": 403}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with module_world(django_db_blocker) as built:
        yield built


@pytest.fixture(autouse=True)
def _media_root(world):
    """Keep the world's stored files (the shared conftest gives each test a new folder)."""


@pytest.mark.django_db
@pytest.mark.parametrize(("view_name", "pattern", "prefix"), PATTERNS,
                         ids=[name for name, _, _ in PATTERNS])
def test_get_changes_nothing(view_name, pattern, prefix, world,
                             django_capture_on_commit_callbacks):
    url = url_for(view_name, pattern, prefix, world)
    target = target_for(view_name)
    admin_site = view_name.startswith("admin:")
    before = snapshot()
    with django_capture_on_commit_callbacks() as queued:
        statuses = {persona: world.client(persona).get(url).status_code
                    for persona in (ADMIN_SITE_PERSONAS if admin_site else GET_PERSONAS)}
        own = target.client(world).get(url).status_code if target.prepare \
            else statuses.get(target.persona)
    assert changes(before, snapshot()) == [], f"GET {url} changed data"
    assert [task for task in queued if task is not seal_after_commit] == [], \
        f"GET {url} queued work after commit"
    assert {p: s for p, s in statuses.items() if s >= 500} == {}
    if admin_site:  # the admin decides per model (read-only ones answer 403) and per page
        assert statuses["superuser"] < 500
    elif view_name in NOT_A_PAGE:
        assert own == NOT_A_PAGE[view_name]
    else:
        assert own < 400 or own == 405, f"GET {url}: its own user got {own}"



@pytest.mark.django_db
def test_an_operators_address_is_recorded_so_no_page_writes_it():
    """``createsuperuser`` records the operator's address as accepting an invitation records
    a user's: allauth otherwise "repairs" a missing one on the fly, when a page reads it."""
    from allauth.account.models import EmailAddress
    from django.test import Client

    from northstar.accounts.models import User
    from tests.helpers import sign_in

    operator = User.objects.create_superuser("operator@staff.example", "correct-horse-9-x")
    assert list(EmailAddress.objects.filter(user=operator).values_list(
        "email", "primary", "verified")) == [("operator@staff.example", True, True)]
    client = sign_in(Client(), operator)
    before = snapshot()
    for page in ("/", "/accounts/2fa/", "/accounts/password/change/", "/django-admin/"):
        assert client.get(page).status_code == 200
    assert changes(before, snapshot()) == []
