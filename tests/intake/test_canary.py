"""Acceptance: 200 fictional clients with markers in every personal field → 0 markers in a
full database dump, captured logs, Redis and media; all found through the app."""

import logging

import pytest

from intake import services
from intake.models import Case
from intake.step_forms import build_parts
from intake.steps import STEP_BY_SLUG
from tests.canary import (
    canary_birth_date,
    database_text,
    found_markers,
    marker,
    media_text,
    redis_text,
)
from tests.helpers import IN_CI, sign_in
from tests.intake.intake_helpers import step_post

CLIENTS = 200
PUBLISHED_CONTROL = "QZXCONTROLORGANISATIONNAME"
CLIENT_FIELDS = ("given_name", "family_name", "alias", "contact_details", "code_word",
                 "contact_notes", "us_city")


def plant(index: int, actor) -> tuple[Case, list[str]]:
    m = {field: marker(index, field) for field in
         (*CLIENT_FIELDS, "urgency_notes", "household", "note")}
    born = canary_birth_date(index)
    case = services.case_create(actor=actor, given_name=m["given_name"],
                                family_name=m["family_name"], date_of_birth=born)
    steps = {
        "identity": {"client": {"given_name": m["given_name"], "family_name": m["family_name"],
                                "aliases": m["alias"], "date_of_birth": born.isoformat()}},
        "contact": {"client": {"contact_method": "phone", "contact_details": m["contact_details"],
                               "code_word": m["code_word"], "contact_notes": m["contact_notes"],
                               "us_city": m["us_city"], "us_state": "NY"}},
        "urgency": {"case": {"detention_risk": "low", "urgency_notes": m["urgency_notes"]},
                    "household": [{"name": m["household"], "relationship": "son"}]},
    }
    for slug, values in steps.items():
        step = STEP_BY_SLUG[slug]
        parts = build_parts(step, {}, step_post(slug, values))
        result = services.case_step_save(actor=actor, case=case, step=step, parts=parts)
        assert result.complete, (slug, result)
    services.note_add(actor=actor, case=case, body=m["note"])
    return case, [*m.values(), born.isoformat()]


@pytest.mark.django_db(transaction=True)
def test_canary_markers_never_in_clear(client, caplog, request):
    from tests.factories import OrganisationFactory, UserFactory

    caplog.set_level(logging.DEBUG)
    redis_url = None
    if connection_is_postgres():
        redis_url = request.getfixturevalue("redis_url")
        request.getfixturevalue("celery_worker_process")  # tasks travel through Redis
    elif IN_CI:
        pytest.fail("the canary sweep must run on PostgreSQL in CI")
    counsellor = UserFactory(counsellor=True)
    planted = [plant(index, counsellor) for index in range(CLIENTS)]
    markers = [m for _, case_markers in planted for m in case_markers]
    assert len(set(markers)) == len(markers) == CLIENTS * 11
    OrganisationFactory(name=PUBLISHED_CONTROL)  # not personal: stored in clear

    dumped = database_text()
    assert PUBLISHED_CONTROL in dumped  # the positive control: the sweep sees the rows
    assert found_markers(dumped, markers) == []
    assert found_markers(caplog.text, markers) == []
    assert found_markers(media_text(), markers) == []
    if redis_url:
        assert found_markers(redis_text(redis_url), markers) == []

    # Positive control: the app shows every marker back to the counsellor.
    sign_in(client, counsellor)
    shown = []
    for case, case_markers in planted[:: CLIENTS // 20]:
        html = client.get(f"/cases/{case.number}/").content.decode()
        html += client.get(f"/cases/{case.number}/intake/identity/").content.decode()
        html += client.get(f"/cases/{case.number}/intake/contact/").content.decode()
        html += client.get(f"/cases/{case.number}/intake/urgency/").content.decode()
        shown.extend(m for m in case_markers if m in html)
        assert sorted(set(case_markers) - set(shown)) == []
    assert len(shown) == 20 * 11


def connection_is_postgres() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"
