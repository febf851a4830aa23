"""What the app reads from a restored database (``test_backup_restore.py``):

    python -m tests.safety.restore_check EXPECTED.json OUT.json
    (DJANGO_SETTINGS_MODULE=tests.safety.restore_settings, DATABASE_URL, MEDIA_ROOT)

For every case in EXPECTED: each personal field read through the models, the notes, the
stored document decrypted through the documents service (its SHA-256) and the exact search
by name and birth date through the HTTP client as the counsellor; for the first
``EXPECTED["pages"]`` cases also the case and intake pages (which markers they show). With
``EXPECTED["commands"]``, ``verify_keys`` and ``audit_verify`` too (their exit and message).
A value that does not decrypt is recorded as the error's class and message, never as a
value. OUT gets all of it.
"""

from __future__ import annotations

import hashlib
import io
import json
import sys
from pathlib import Path

FIELDS = {"given_name": "client.given_name", "family_name": "client.family_name",
          "alias": "client.aliases", "contact_details": "client.contact_details",
          "code_word": "client.code_word", "contact_notes": "client.contact_notes",
          "us_city": "client.us_city", "urgency_notes": "urgency_notes",
          "household": "household", "date_of_birth": "client.date_of_birth"}


def read(case, path: str):
    value = case
    for part in path.split("."):
        value = getattr(value, part)
    if isinstance(value, list):  # aliases: names; household: its members' names
        return [item.get("name", item) if isinstance(item, dict) else item for item in value]
    return value.isoformat() if hasattr(value, "isoformat") else value


def attempt(function):
    try:
        return {"value": function()}
    except Exception as error:  # the point: how a read fails without the right keys
        return {"error": f"{type(error).__name__}: {error}"}


def main(expected_path: Path, out: Path) -> None:
    import django

    django.setup()
    from django.test import Client

    from intake.documents import document_open
    from intake.models import Case, Document
    from northstar.accounts.models import User
    from tests.helpers import sign_in

    expected = json.loads(expected_path.read_text())
    counsellor = User.objects.get(pk=expected["counsellor"])
    browser = sign_in(Client(raise_request_exception=False), counsellor)
    result = {}
    if expected.get("commands"):
        from django.core.management import CommandError, call_command

        for command in ("verify_keys", "audit_verify"):
            printed = io.StringIO()
            try:
                call_command(command, stdout=printed)
                result[command] = {"ok": True, "message": printed.getvalue()}
            except CommandError as error:
                result[command] = {"ok": False, "message": str(error)}
    for position, (number, planted) in enumerate(expected["cases"].items()):
        loaded = attempt(lambda number=number: Case.objects.select_related("client").get(
            number=number))
        if "error" in loaded:  # the row itself does not decrypt
            row = {"load": loaded["error"]}
        else:
            case = loaded["value"]
            row = {name: attempt(lambda case=case, path=path: read(case, path))
                   for name, path in FIELDS.items()}
            row["notes"] = attempt(lambda case=case: sorted(n.body for n in case.notes.all()))
        if planted.get("document"):
            row["document"] = attempt(lambda pk=planted["document"]: hashlib.sha256(
                document_open(actor=counsellor, document=Document.objects.get(pk=pk))
                .content).hexdigest())
        pages = {}
        paths = (f"/cases/{number}/", f"/cases/{number}/intake/identity/",
                 f"/cases/{number}/intake/contact/", f"/cases/{number}/intake/urgency/")
        for path in paths if position < expected["pages"] else ():
            response = browser.get(path)
            html = response.content.decode(errors="replace")
            pages[path] = {"status": response.status_code,
                           "shown": sorted(m for m in planted["markers"] if m in html),
                           "ciphertext_shown": "ns1:" in html}
        row["pages"] = pages
        search = browser.post("/cases/search/", {
            "full_name": f"{planted['markers'][0]} {planted['markers'][1]}",
            "date_of_birth": planted["markers"][-1]})
        row["search"] = {"status": search.status_code,
                         "finds": number in search.content.decode(errors="replace")}
        result[number] = row
    out.write_text(json.dumps(result))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
