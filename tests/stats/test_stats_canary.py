"""Acceptance 2: 200 fictional clients with marker strings in every personal field, entered
through the intake services (and referrals with marked notes and packets) → 0 markers in the
dashboard, in every export format (the XLSX unzipped), in the stored export files, on the
export pages, in the audit rows of the exports and in the logs.

Positive controls: the markers are really in the database (decrypted), and a marker placed in
a partner organisation's name — published by design — is found in every format, so the search
sees inside each of them.
"""

from __future__ import annotations

import datetime
import json
import logging

import pytest
from django.core.files.storage import default_storage

from eligibility.services import case_screen
from intake import services
from intake.models import Case, Client
from intake.step_forms import build_parts
from intake.steps import STEP_BY_SLUG
from northstar.audit.models import AuditEvent
from referrals.models import Referral, ReferralStatus
from stats.models import ExportJob
from stats.periods import Period
from tests.canary import canary_birth_date, found_markers, marker
from tests.factories import UserFactory
from tests.helpers import sign_in
from tests.intake.intake_helpers import step_post
from tests.stats.stats_helpers import partner, xlsx_text

CLIENTS = 200
NATIONALITIES = ("MX", "HN", "GT", "VE", "HT")
PROVINCES = ("ON", "QC", "BC")
PUBLISHED_MARKER = "QZX999PARTNERNAME"


def plant(index: int, actor) -> tuple[Case, list[str]]:
    m = {field: marker(index, field) for field in (
        "given_name", "family_name", "alias", "contact_details", "code_word", "contact_notes",
        "us_city", "urgency_notes", "household", "note", "referral_note", "answer_note",
        "packet")}
    born = canary_birth_date(3000 + 40 * index)  # 1925 to 1991: more than one age band
    case = services.case_create(actor=actor, given_name=m["given_name"],
                                family_name=m["family_name"], date_of_birth=born)
    steps = {
        "identity": {"client": {"given_name": m["given_name"], "family_name": m["family_name"],
                                "aliases": m["alias"], "date_of_birth": born.isoformat()},
                     "person": {"citizenships": [NATIONALITIES[index % 5]],
                                "stateless": False, "born_in_canada": False}},
        "contact": {"client": {"contact_method": "phone", "contact_details": m["contact_details"],
                               "code_word": m["code_word"], "contact_notes": m["contact_notes"],
                               "us_city": m["us_city"], "us_state": "NY"}},
        "urgency": {"case": {"detention_risk": "low", "urgency_notes": m["urgency_notes"]},
                    "household": [{"name": m["household"], "relationship": "son"}]},
        "economic": {"economic": {"education": "secondary",
                                  "intended_province": PROVINCES[index % 3]}},
    }
    for slug, values in steps.items():
        step = STEP_BY_SLUG[slug]
        parts = build_parts(step, {}, step_post(slug, values))
        services.case_step_save(actor=actor, case=case, step=step, parts=parts)
    services.note_add(actor=actor, case=case, body=m["note"])
    return case, [*m.values(), born.isoformat()]


def refer(case: Case, index: int, actor, organisations) -> None:
    case.refresh_from_db()
    sent = case.created_at
    Referral.objects.create(
        case=case, partner=organisations[index % len(organisations)],
        service_type=("shelter", "legal_aid", "medical")[index % 3],
        status=ReferralStatus.ACCEPTED if index % 2 else ReferralStatus.DECLINED,
        created_by=actor, created_at=sent, sent_at=sent,
        answered_at=sent + datetime.timedelta(hours=5 * (index % 7 + 1)),
        decline_reason="" if index % 2 else "no_capacity",
        coordinator_note=marker(index, "referral_note"), answer_note=marker(index, "answer_note"),
        packet={"given_name": marker(index, "packet"), "contact": marker(index, "packet")},
        packet_fields=["given_name", "contact"], stat_province=case.stat_province,
        stat_age_band=case.stat_age_band, stat_nationality=case.stat_nationality)


def export_everything(client, django_capture_on_commit_callbacks, period: Period) -> dict:
    """Every format through the app: request, progress page, download; plus the stored file."""
    found = {}
    for export_format in ("csv", "xlsx", "json"):
        with django_capture_on_commit_callbacks(execute=True):
            client.post("/stats/exports/", {"from_quarter": period.first,
                                            "to_quarter": period.last, "format": export_format})
        job = ExportJob.objects.order_by("-created_at").first()
        page = client.get(f"/stats/exports/{job.pk}/").content.decode()
        content = client.get(f"/stats/exports/{job.pk}/download/").content
        readable = xlsx_text(content) if export_format == "xlsx" else content.decode("utf-8-sig")
        with default_storage.open(job.storage_name, "rb") as stored:
            found[export_format] = {"file": readable, "page": page,
                                    "stored": stored.read().decode("latin-1")}
    found["list"] = {"page": client.get("/stats/exports/").content.decode()}
    return found


@pytest.mark.django_db
def test_no_marker_in_any_statistic(client, admin_user, caplog,
                                    django_capture_on_commit_callbacks):
    caplog.set_level(logging.DEBUG)
    counsellor = UserFactory(counsellor=True)
    organisations = [partner("Aurore (test)"), partner("Bridge (test)"),
                     partner(PUBLISHED_MARKER)]
    planted = []
    for index in range(CLIENTS):
        case, case_markers = plant(index, counsellor)
        case_screen(case_id=case.pk)  # what the task queued on commit does
        refer(case, index, counsellor, organisations)
        planted.append((case, case_markers))
    markers = [m for _, case_markers in planted for m in case_markers]
    assert len(set(markers)) == len(markers) == CLIENTS * 14

    # Positive control: the data really is there, behind the encryption.
    first_case, first_markers = planted[0]
    assert Client.objects.get(pk=first_case.client_id).given_name == first_markers[0]
    assert Case.objects.exclude(screening_outcomes={}).count() == CLIENTS

    sign_in(client, admin_user)
    period = Period.default()
    dashboard = client.get("/stats/", {"from_quarter": period.first,
                                       "to_quarter": period.last}).content.decode()
    exported = export_everything(client, django_capture_on_commit_callbacks, period)
    audit = repr(list(AuditEvent.objects.filter(action__startswith="stats.")
                      .values_list("details", "object_id")))

    assert found_markers(dashboard, markers) == []
    for export_format, parts in exported.items():
        for name, text in parts.items():
            assert found_markers(text, markers) == [], (export_format, name)
    assert found_markers(audit, markers) == []
    assert found_markers(caplog.text, markers) == []

    # Positive controls: the release is not empty, and the search sees into every format.
    document = json.loads(exported["json"]["file"])
    intakes = next(t for t in document["tables"] if t["id"] == "intakes_by_quarter_and_province")
    assert intakes["rows"][-1]["values"]["total"] == CLIENTS
    assert PUBLISHED_MARKER in dashboard
    for export_format in ("csv", "xlsx", "json"):
        assert PUBLISHED_MARKER in exported[export_format]["file"], export_format
        assert PUBLISHED_MARKER not in exported[export_format]["stored"]  # encrypted at rest
