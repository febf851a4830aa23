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
from tests.security.snapshot import changes, rolled_back, snapshot
from tests.security.targets import grouped, target_for, url_for
from tests.security.test_access_matrix import PATTERNS
from tests.security.world import (  # noqa: F401 (fixtures)
    PERSONAS,
    keep_media_root,
    world_fixture,
)

GET_PERSONAS = ("anonymous", *PERSONAS)
GROUPS = grouped(PATTERNS)
# The Django admin's pages: the operator, and those most likely to be let in by mistake. The
# access policy refuses everyone else before any of its code runs (the access matrix checks
# that for every persona).
ADMIN_SITE_PERSONAS = ("anonymous", "admin", "superuser")
# What the URL's own user gets where there is no page for them: nothing of theirs to show
# (these users have no authenticator yet), or a route nobody may use (login by code is off).
NOT_A_PAGE = {"mfa_deactivate_totp": 404, "mfa_view_recovery_codes": 404,
              "mfa_download_recovery_codes": 404, "account_confirm_login_code": 403,
              "account_email": 403}




def problems_of(view_name, pattern, prefix, world, capture) -> list[str]:
    url = url_for(view_name, pattern, prefix, world)
    target = target_for(view_name)
    admin_site = view_name.startswith("admin:")
    before = snapshot()
    with capture() as queued:
        statuses = {persona: world.client(persona).get(url).status_code
                    for persona in (ADMIN_SITE_PERSONAS if admin_site else GET_PERSONAS)}
        own = target.client(world).get(url).status_code if target.prepare \
            else statuses.get(target.persona)
    problems = [f"GET {url} changed {change}" for change in changes(before, snapshot())]
    if [task for task in queued if task is not seal_after_commit]:
        problems.append(f"GET {url} queued work to run after commit")
    problems += [f"GET {url} as {persona}: {status}" for persona, status in statuses.items()
                 if status >= 500]
    if admin_site:  # the admin decides per model (read-only ones answer 403) and per page
        return problems
    if own != NOT_A_PAGE.get(view_name, own) or (
            view_name not in NOT_A_PAGE and 400 <= own != 405):
        problems.append(f"GET {url}: its own user ({target.persona}) got {own}")
    return problems


@pytest.mark.django_db
@pytest.mark.parametrize("group", sorted(GROUPS))
def test_get_changes_nothing(group, world, django_capture_on_commit_callbacks):
    problems = []
    for view_name, pattern, prefix in GROUPS[group]:
        with rolled_back():
            problems += problems_of(view_name, pattern, prefix, world,
                                    django_capture_on_commit_callbacks)
    assert problems == []


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
