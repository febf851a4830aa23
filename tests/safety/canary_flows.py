"""The canary's flows, run as a separate process against a private PostgreSQL cluster whose
statement log is on (``tests/safety/test_statement_log_canary.py`` starts it and sweeps the log).

    python -m tests.safety.canary_flows OUT.json   (DATABASE_URL: the private cluster)

200 fictional clients with a marker in every personal field go in through the intake services;
then, through the HTTP client as staff do it: every intake step page, a step saved by POST, a
note, the exact search by name and birth date, consent, a referral drafted and sent (the
notification delivered), the partner's view of it, every statistics export format and the HSDS
directory export. The exported files are written to OUT's directory for the sweep. Positive
control: one marker is sent to PostgreSQL on purpose (as a bound parameter and as a literal).
Tasks run in-process (test settings), so their queries are in the log too.
"""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

CLIENTS = int(os.environ.get("CANARY_CLIENTS", "200"))
CONTROL_PARAMETER = "QZXCONTROLBOUNDPARAMETER"
CONTROL_LITERAL = "QZXCONTROLLITERAL"
PUBLISHED_MARKER = "QZX998PUBLISHEDORGNAME"


def main(out: Path) -> None:
    import django

    django.setup()
    from django.core.files.storage import default_storage
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from intake.models import Case, CaseStatus
    from intake.services import refresh_derived_fields
    from referrals.models import OutboxMessage, Referral
    from referrals.selectors import draft_preview
    from stats.models import ExportJob
    from stats.periods import Period
    from tests.factories import UserFactory
    from tests.helpers import sign_in
    from tests.intake.intake_helpers import step_post
    from tests.intake.test_canary import plant
    from tests.referrals.referral_helpers import (
        CASE_BLOCKS,
        draft_for,
        give_consent,
        make_partner,
    )
    from tests.stats.stats_helpers import xlsx_text

    directory = out.parent
    counsellor = UserFactory(counsellor=True)
    coordinator = UserFactory(coordinator=True)
    admin = UserFactory(admin=True)
    planted = [plant(index, counsellor) for index in range(CLIENTS)]
    markers = [m for _, case_markers in planted for m in case_markers]
    responses: list[tuple[str, int]] = []

    def record(label: str, response) -> str:
        responses.append((label, response.status_code))
        return response.content.decode("utf-8", errors="replace")

    staff = sign_in(Client(), counsellor)
    shown = ""
    for case, _ in planted[:10]:
        shown += record("case", staff.get(f"/cases/{case.number}/"))
        for slug in ("identity", "contact", "urgency"):
            shown += record(slug, staff.get(f"/cases/{case.number}/intake/{slug}/"))
    # Saved through the view (the autosave path), a note, the exact search.
    case, case_markers = planted[0]
    record("step-post", staff.post(f"/cases/{case.number}/intake/contact/", step_post(
        "contact", {"client": {"contact_method": "phone", "contact_details": case_markers[3],
                               "code_word": case_markers[4], "contact_notes": case_markers[5],
                               "us_city": case_markers[6], "us_state": "NY"}})))
    record("note", staff.post(f"/cases/{case.number}/notes/", {"body": case_markers[9]}))
    born = case_markers[-1]
    shown += record("search", staff.post("/cases/search/", {
        "full_name": f"{case_markers[0]} {case_markers[1]}", "date_of_birth": born}))

    # Consent, referral drafted and sent by a coordinator; the partner opens it.
    partner = make_partner()
    referrer = sign_in(Client(), coordinator)
    for case, _ in planted[:5]:
        case.refresh_from_db()
        for name, value in CASE_BLOCKS.items():  # the remaining steps, answered
            setattr(case, name, value)
        case.status, case.opened_at = CaseStatus.OPEN, timezone.now()
        refresh_derived_fields(case)
        case.save()
        give_consent(case, coordinator, partner=partner)
        referral = draft_for(Case.objects.get(pk=case.pk), partner, coordinator,
                             fields=["given_name", "contact"])
        record("draft", referrer.get(f"/referrals/{referral.reference}/"))
        record("send", referrer.post(f"/referrals/{referral.reference}/send/", {
            "fingerprint": draft_preview(referral)["fingerprint"]}))
        portal = sign_in(Client(), partner.user)
        record("portal", portal.get(f"/portal/referrals/{referral.reference}/"))
    sent = Referral.objects.filter(status="sent").count()
    delivered = OutboxMessage.objects.filter(delivered_at__isnull=False).count()

    # Every statistics export format, through the app, and the HSDS directory export.
    make_partner().organisation.__class__.objects.filter(pk=partner.organisation.pk).update(
        name=PUBLISHED_MARKER)
    stats = sign_in(Client(), admin)
    period = Period.default()
    exports = {}
    for export_format in ("csv", "xlsx", "json"):
        record("export", stats.post("/stats/exports/", {
            "from_quarter": period.first, "to_quarter": period.last, "format": export_format}))
        job = ExportJob.objects.order_by("-created_at").first()
        record("export-page", stats.get(f"/stats/exports/{job.pk}/"))
        content = stats.get(f"/stats/exports/{job.pk}/download/").content
        readable = xlsx_text(content) if export_format == "xlsx" else content.decode(
            "utf-8-sig")
        with default_storage.open(job.storage_name, "rb") as stored:
            (directory / f"stored.{export_format}").write_bytes(stored.read())
        (directory / f"export.{export_format}.txt").write_text(readable)
        exports[export_format] = job.status
    hsds = io.StringIO()
    call_command("hsds_export", stdout=hsds)
    (directory / "hsds.json").write_text(hsds.getvalue())

    with connection.cursor() as cursor:  # the positive control
        cursor.execute("SELECT %s", [CONTROL_PARAMETER])
        cursor.execute(f"SELECT '{CONTROL_LITERAL}'")

    out.write_text(json.dumps({
        "markers": markers, "responses": responses, "sent": sent, "delivered": delivered,
        "shown": sorted({m for m in markers if m in shown}), "exports": exports,
    }))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
