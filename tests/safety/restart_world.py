"""The world of the PostgreSQL-restart test (``test_postgres_restart.py``), built and read back
in a separate process on the private cluster (``DATABASE_URL``):

    python -m tests.safety.restart_world seed OUT.json    # users, cases, drafts, a session
    python -m tests.safety.restart_world report OUT.json  # what is stored, after the sweeps

``seed``: a coordinator signed in (MFA verified) whose session cookie the test sends to
gunicorn; ``CASES`` open cases of fictional clients, each with consent to one partner and a
draft referral (its preview fingerprint, as the send form carries it). ``report``: runs the
beat sweepers once (screening, outbox) as a worker would, then writes, per case, the stored
contact notes, the note bodies, the referral's status and outbox rows, and the audit chain's
verdict.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

CASES = 12


def seed(out: Path) -> None:
    from django.conf import settings
    from django.test import Client

    from referrals.selectors import draft_preview
    from tests.factories import UserFactory
    from tests.helpers import sign_in
    from tests.referrals.referral_helpers import draft_for, give_consent, make_case, make_partner

    coordinator = UserFactory(coordinator=True)
    partner = make_partner()
    cases = []
    for _ in range(CASES):
        case = make_case(coordinator)
        give_consent(case, coordinator, partner=partner)
        referral = draft_for(case, partner, coordinator)
        cases.append({"number": case.number, "reference": referral.reference,
                      "fingerprint": draft_preview(referral)["fingerprint"]})
    client = sign_in(Client(), coordinator)
    out.write_text(json.dumps({
        "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "session_cookie": settings.SESSION_COOKIE_NAME, "cases": cases}))


def report(out: Path) -> None:
    from django.core.management import CommandError, call_command

    from eligibility.services import cases_screen_pending
    from intake.models import Case
    from northstar.audit.services import seal_pending
    from referrals.models import OutboxMessage
    from referrals.outbox import outbox_deliver

    cases_screen_pending()
    for row in OutboxMessage.objects.filter(delivered_at__isnull=True):
        outbox_deliver(row.pk)  # the sweeper's work, without waiting for its back-off
    seal_pending()
    verdict = io.StringIO()
    try:
        call_command("audit_verify", stdout=verdict)
        audit_ok = True
    except CommandError as error:
        verdict.write(str(error))
        audit_ok = False
    result = {}
    for case in Case.objects.select_related("client").order_by("pk"):
        referral = case.referrals.get()
        outbox = list(OutboxMessage.objects.filter(referral=referral))
        result[case.number] = {
            "contact_notes": case.client.contact_notes,
            "notes": sorted(note.body for note in case.notes.all()),
            "screened": case.screened_at is not None and case.screened_at >= case.updated_at,
            "referral_status": referral.status,
            "outbox": [{"key": row.idempotency_key, "delivered": row.delivered_at is not None,
                        "message_id": row.message_id} for row in outbox],
        }
    out.write_text(json.dumps({"cases": result, "audit_ok": audit_ok,
                               "audit": verdict.getvalue()}))


if __name__ == "__main__":
    import django

    django.setup()
    {"seed": seed, "report": report}[sys.argv[1]](Path(sys.argv[2]))
