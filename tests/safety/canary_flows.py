"""The canary's flows, run as a separate process against a private PostgreSQL cluster whose
statement log is on and a private Redis (``tests/safety/test_statement_log_canary.py`` starts
them, a Celery worker and a recording of every Redis command, then sweeps everything).

    python -m tests.safety.canary_flows OUT.json
    (DATABASE_URL: the private cluster; SAFETY_BROKER=redis, REDIS_URL: the private Redis)

200 fictional clients with a marker in every personal field go in through the intake services
(their screening goes through Redis to the worker); 10 people use the public get-help form
with markers in what they write. Then, through the HTTP client as staff do it: every intake
step page, a step saved by POST, a note, a document uploaded (a PDF with a marker in its
text), the exact search by name and birth date, the triage queue, consent, five referrals
drafted, previewed (the printable packet) and sent (the notifications delivered by the
worker), the partner's view of each, every statistics export format (built by the worker) and
the HSDS directory export. Exported files, packets and pages are written to OUT's directory
for the sweep.

Positive controls, one per sink: a marker sent to PostgreSQL on purpose (as a bound parameter
and as a literal), one stored in the cache and one sent as a task argument (through Redis),
one logged, one in a plain file in the media directory (every file the app stores there is
encrypted: documents and stored exports), a published organisation name in every export and
in the dump, the markers shown to staff, the document's text in its download, the packet
fields shown in the packet.
"""

from __future__ import annotations

import io
import json
import logging
import os
import sys
import time
from pathlib import Path

CLIENTS = int(os.environ.get("CANARY_CLIENTS", "200"))
HELP_REQUESTS = 10
CONTROL_PARAMETER = "QZXCONTROLBOUNDPARAMETER"
CONTROL_LITERAL = "QZXCONTROLLITERAL"
CONTROL_CACHE = "QZXCONTROLCACHEVALUE"
CONTROL_TASK = "QZXCONTROLTASKARGUMENT"
CONTROL_LOG = "QZXCONTROLLOGLINE"
CONTROL_MEDIA = "QZXCONTROLMEDIAFILE"
CONTROL_QUEUE = "canary-control"  # nobody consumes it: the message stays in Redis
PUBLISHED_MARKER = "QZX998PUBLISHEDORGNAME"
DOCUMENT_MARKER = b"QZXCANARYDOCUMENTTEXT"
REFERRALS = 5
PACKET_OPTIONAL = ["alias"]  # on top of the shelter minimum (first name, languages, ...)


def help_markers(index: int) -> dict[str, str]:
    from tests.canary import marker

    return {field: marker(900 + index, field) for field in ("help_name", "help_contact",
                                                            "help_message")}


def wait_for(condition, what: str, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout} s")
        time.sleep(0.2)


def main(out: Path) -> None:
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import F, Q
    from django.test import Client
    from django.utils import timezone

    from intake.models import Case, CaseStatus, HelpRequest
    from intake.services import refresh_derived_fields
    from northstar.celery import app
    from referrals.models import OutboxMessage, Referral
    from referrals.selectors import draft_preview
    from stats.models import ExportJob
    from stats.periods import Period
    from tests.factories import UserFactory
    from tests.helpers import sign_in
    from tests.intake.document_helpers import make_pdf
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

    # The public get-help form, from ten addresses (its rate limit counts in the cache).
    public = Client()
    for index in range(HELP_REQUESTS):
        written = help_markers(index)
        markers.extend(written.values())
        record("help", public.post("/help/", {
            "name": written["help_name"], "contact_method": "phone",
            "contact_details": written["help_contact"], "preferred_language": "es",
            "message": written["help_message"], "consent": "on"},
            REMOTE_ADDR=f"198.51.100.{10 + index}"))
    helped = HelpRequest.objects.count()

    staff = sign_in(Client(), counsellor)
    shown = ""
    for case, _ in planted[:10]:
        shown += record("case", staff.get(f"/cases/{case.number}/"))
        for slug in ("identity", "contact", "urgency"):
            shown += record(slug, staff.get(f"/cases/{case.number}/intake/{slug}/"))
    shown += record("triage", staff.get("/triage/"))
    # Saved through the view (the autosave path), a note, a document, the exact search.
    case, case_markers = planted[0]
    record("step-post", staff.post(f"/cases/{case.number}/intake/contact/", step_post(
        "contact", {"client": {"contact_method": "phone", "contact_details": case_markers[3],
                               "code_word": case_markers[4], "contact_notes": case_markers[5],
                               "us_city": case_markers[6], "us_state": "NY"}})))
    record("note", staff.post(f"/cases/{case.number}/notes/", {"body": case_markers[9]}))
    pdf = io.BytesIO(make_pdf(text=DOCUMENT_MARKER))
    pdf.name = "passport.pdf"
    record("document", staff.post(f"/cases/{case.number}/documents/new/",
                                  {"file": pdf, "kind": "identity"}))
    document = case.documents.get()
    downloaded = staff.get(f"/cases/{case.number}/documents/{document.pk}/download/")
    responses.append(("download", downloaded.status_code))
    document_readable = DOCUMENT_MARKER in b"".join(downloaded.streaming_content) \
        if downloaded.streaming else DOCUMENT_MARKER in downloaded.content
    born = case_markers[-1]
    shown += record("search", staff.post("/cases/search/", {
        "full_name": f"{case_markers[0]} {case_markers[1]}", "date_of_birth": born}))
    wait_for(lambda: not Case.objects.filter(Q(screened_at__isnull=True) | Q(
        screened_at__lt=F("updated_at"))).exists(), "every case screened by the worker")

    # Consent, referrals drafted, previewed and sent by a coordinator; the partner opens them.
    partner = make_partner()
    referrer = sign_in(Client(), coordinator)
    packets = {}
    for case, case_markers in planted[:REFERRALS]:
        case.refresh_from_db()
        for name, value in CASE_BLOCKS.items():  # the remaining steps, answered
            setattr(case, name, value)
        case.status, case.opened_at = CaseStatus.OPEN, timezone.now()
        refresh_derived_fields(case)
        case.save()
        give_consent(case, coordinator, partner=partner)
        referral = draft_for(Case.objects.get(pk=case.pk), partner, coordinator,
                             fields=PACKET_OPTIONAL)
        record("draft", referrer.get(f"/referrals/{referral.reference}/"))
        record("send", referrer.post(f"/referrals/{referral.reference}/send/", {
            "fingerprint": draft_preview(referral)["fingerprint"]}))
        printable = record("printable", referrer.get(
            f"/referrals/{referral.reference}/preview/"))
        portal = sign_in(Client(), partner.user)
        in_portal = record("portal", portal.get(f"/portal/referrals/{referral.reference}/"))
        packets[referral.reference] = {
            "printable": sorted(m for m in case_markers if m in printable),
            "portal": sorted(m for m in case_markers if m in in_portal),
            "expected": [case_markers[0], case_markers[2]]}  # first name, alias
        (directory / f"packet-{referral.reference}.html").write_text(printable + in_portal)
    wait_for(lambda: OutboxMessage.objects.filter(delivered_at__isnull=False).count()
             == REFERRALS, "every notification delivered by the worker")
    sent = Referral.objects.filter(status="sent").count()
    delivered = OutboxMessage.objects.filter(delivered_at__isnull=False).count()

    # Every statistics export format, built by the worker, and the HSDS directory export.
    make_partner().organisation.__class__.objects.filter(pk=partner.organisation.pk).update(
        name=PUBLISHED_MARKER)
    stats = sign_in(Client(), admin)
    period = Period.default()
    exports = {}
    for export_format in ("csv", "xlsx", "json"):
        record("export", stats.post("/stats/exports/", {
            "from_quarter": period.first, "to_quarter": period.last, "format": export_format}))
        job = ExportJob.objects.order_by("-created_at").first()
        wait_for(lambda job=job: ExportJob.objects.get(pk=job.pk).status not in (
            "queued", "running"), f"the {export_format} export built by the worker")
        job.refresh_from_db()
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

    # The positive controls: PostgreSQL, the cache, a task message, the log, a media file.
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s", [CONTROL_PARAMETER])
        cursor.execute(f"SELECT '{CONTROL_LITERAL}'")
    cache.set("canary-control", CONTROL_CACHE, timeout=600)
    app.send_task("canary.control", args=[CONTROL_TASK], queue=CONTROL_QUEUE)
    logging.getLogger("canary").warning("control %s", CONTROL_LOG)
    default_storage.save("canary-control.txt", ContentFile(CONTROL_MEDIA.encode()))

    out.write_text(json.dumps({
        "markers": markers, "responses": responses, "sent": sent, "delivered": delivered,
        "helped": helped, "packets": packets, "document_readable": document_readable,
        "shown": sorted({m for m in markers if m in shown}), "exports": exports,
    }))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
