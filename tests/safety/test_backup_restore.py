"""Backup and restore (issue 8, "Data"), exactly as docs/OPERATIONS.md tells the operator.

10 fictional clients with a marker in every personal field (``tests.intake.test_canary``)
and an identity document (a PDF with a marker in its text) are entered through the services.
Backup: ``pg_dump --format=custom`` and a tar of the media directory. Neither holds a marker
in clear (the dump is swept as the SQL ``pg_restore`` turns it into; positive control: a
published organisation name is found in it, and ciphertext is). Restore, on another server (a
private cluster): ``pg_restore`` into a fresh database, the media untarred, the same keys,
``migrate``, ``verify_keys``, ``audit_verify`` (the chain's head is the one before the
backup). The app then reads every personal field, every note and the document back exactly,
shows every marker on the case pages and finds each client by exact search.

Without the keys: every command refuses to start, naming the missing variable. With keys that
are not this database's: ``verify_keys`` and ``audit_verify`` fail saying so, every read fails
with ``DecryptionError: ciphertext does not authenticate`` (never a value), the pages are the
plain error page with no marker and no ciphertext, the search finds nobody; with only a wrong
blind-index key, ``verify_keys`` says the search indexes do not match.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile

import pytest
from django.core.management import call_command
from django.db import connection

from intake.documents import document_add, document_open
from northstar.audit.services import seal_pending
from tests.canary import found_markers
from tests.factories import OrganisationFactory, UserFactory
from tests.intake.document_helpers import make_pdf, upload
from tests.intake.test_canary import plant
from tests.private_services import ROOT, django_env

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres,
              pytest.mark.fault, pytest.mark.slow]

CLIENTS = 10
PAGES = 5  # cases whose pages are fetched too (every case is read through the models)
CONTROL_ORGANISATION = "QZXCONTROLPUBLISHEDORGANISATION"
DOCUMENT_MARKER = b"QZXDOCUMENTTEXTMARKER"
FIELDS = ("given_name", "family_name", "alias", "contact_details", "code_word",
          "contact_notes", "us_city", "urgency_notes", "household")
NOT_AUTHENTIC = "DecryptionError: ciphertext does not authenticate"


def run(command: list[str], env: dict | None = None, check: bool = True):
    finished = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=600, check=False)
    if check:
        assert finished.returncode == 0, (command, finished.stdout[-2000:],
                                          finished.stderr[-3000:])
    return finished


def manage(env: dict, *args: str, check: bool = True):
    return run([sys.executable, "manage.py", *args], env, check)


def random_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def app_reads(env: dict, expected: dict, tmp_path, name: str, **options) -> dict:
    spec, out = tmp_path / f"{name}-spec.json", tmp_path / f"{name}.json"
    spec.write_text(json.dumps({**expected, **options}))
    run([sys.executable, "-m", "tests.safety.restore_check", str(spec), str(out)], env)
    return json.loads(out.read_text())


def test_backup_restore_with_and_without_the_keys(private_postgres, tmp_path,
                                                  require_postgres, settings):
    counsellor = UserFactory(counsellor=True)
    planted = [plant(index, counsellor) for index in range(CLIENTS)]
    markers = [m for _, case_markers in planted for m in case_markers]
    OrganisationFactory(name=CONTROL_ORGANISATION)
    pdf = make_pdf(text=DOCUMENT_MARKER)
    document = document_add(actor=counsellor, case=planted[0][0], kind="identity",
                            uploaded_file=upload("passport.pdf", pdf, "application/pdf"))
    stored = document_open(actor=counsellor, document=document).content
    assert DOCUMENT_MARKER in stored  # the positive control of the media sweep
    seal_pending()
    verdict = io.StringIO()
    call_command("audit_verify", stdout=verdict)
    head = verdict.getvalue().split("head ")[1].split("…")[0]

    # --- backup (docs/OPERATIONS.md, "Backup") ----------------------------------------------
    database = connection.settings_dict
    source = (f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
              f"{database['NAME']}")
    dump, media_archive = tmp_path / "northstar.dump", tmp_path / "media.tar.gz"
    run(["pg_dump", "--format=custom", f"--file={dump}", source])
    run(["tar", "-C", str(settings.MEDIA_ROOT), "-czf", str(media_archive), "."])

    # Nothing personal in clear in either (the custom format is compressed: sweep its SQL).
    sql = run(["pg_restore", "--file=-", str(dump)]).stdout
    assert CONTROL_ORGANISATION in sql and "ns1:test2:" in sql  # the sweep sees the data
    assert found_markers(sql, markers) == []
    with tarfile.open(media_archive) as archive:
        files = [archive.extractfile(m).read() for m in archive.getmembers() if m.isfile()]
    assert len(files) == 1 and DOCUMENT_MARKER not in files[0]
    assert found_markers(files[0].decode("latin-1"), markers) == []

    # --- restore into a fresh database on another server ("Restore") -----------------------
    target = private_postgres.create_database("restored")
    run(["pg_restore", "--no-owner", f"--dbname={target}", str(dump)])
    restored_media = tmp_path / "restored-media"
    restored_media.mkdir()
    run(["tar", "-C", str(restored_media), "-xzf", str(media_archive)])
    env = django_env(target, DJANGO_SETTINGS_MODULE="tests.safety.restore_settings",
                     MEDIA_ROOT=str(restored_media), LOG_LEVEL="WARNING")
    assert "No migrations to apply." in manage(env, "migrate", "--noinput").stdout
    assert "The keys belong to this database." in manage(env, "verify_keys").stdout
    assert f"head {head}" in manage(env, "audit_verify").stdout

    expected = {"counsellor": counsellor.pk, "cases": {
        case.number: {"markers": case_markers,
                      "document": document.pk if case.pk == planted[0][0].pk else None}
        for case, case_markers in planted}}
    document_hash = hashlib.sha256(stored).hexdigest()

    # --- with the keys: everything reads back exactly --------------------------------------
    read = app_reads(env, expected, tmp_path, "with-keys", pages=PAGES)
    for position, (case, case_markers) in enumerate(planted):
        row = read[case.number]
        values = {name: row[name]["value"] for name in FIELDS}
        assert values == {
            **dict(zip(FIELDS, case_markers[:9], strict=True)),
            "alias": [case_markers[2]], "household": [case_markers[8]]}
        assert row["date_of_birth"]["value"] == case_markers[10]
        assert row["notes"]["value"] == [case_markers[9]]
        shown = set()
        for page in row["pages"].values():
            assert page["status"] == 200 and not page["ciphertext_shown"]
            shown.update(page["shown"])
        assert len(row["pages"]) == (4 if position < PAGES else 0)
        assert shown == (set(case_markers) if position < PAGES else set())
        assert row["search"] == {"status": 200, "finds": True}
    assert read[planted[0][0].number]["document"] == {"value": document_hash}

    # --- without the keys: nothing starts --------------------------------------------------
    no_keys = {**env, "FIELD_ENCRYPTION_KEYS": "", "BLIND_INDEX_KEY": "", "AUDIT_HMAC_KEY": ""}
    refused = manage(no_keys, "verify_keys", check=False)
    assert refused.returncode == 1
    assert "Set the FIELD_ENCRYPTION_KEYS environment variable" in refused.stderr
    assert found_markers(refused.stdout + refused.stderr, markers) == []

    # --- with keys that are not this database's: clear failures, never a value -------------
    wrong = {**env, "FIELD_ENCRYPTION_KEYS": f"test2:{random_key()},test1:{random_key()}",
             "BLIND_INDEX_KEY": random_key(), "AUDIT_HMAC_KEY": random_key()}
    read = app_reads(wrong, expected, tmp_path, "wrong-keys", pages=3, commands=True)
    assert not read["verify_keys"]["ok"]
    assert "FIELD_ENCRYPTION_KEYS does not decrypt this database" in \
        read["verify_keys"]["message"]
    assert "ciphertext does not authenticate" in read["verify_keys"]["message"]
    assert not read["audit_verify"]["ok"]
    assert "Audit chain broken at event" in read["audit_verify"]["message"]
    for position, (case, case_markers) in enumerate(planted):
        row = read[case.number]
        assert row["load"] == NOT_AUTHENTIC
        assert len(row["pages"]) == (4 if position < 3 else 0)
        for page in row["pages"].values():
            assert (page["status"], page["shown"], page["ciphertext_shown"]) == (500, [], False)
        assert row["search"] == {"status": 200, "finds": False}
        assert found_markers(json.dumps(row), case_markers) == []
    assert read[planted[0][0].number]["document"] == {"error": NOT_AUTHENTIC}

    wrong_index = {**env, "BLIND_INDEX_KEY": random_key()}
    mismatch = manage(wrong_index, "verify_keys", check=False)
    assert mismatch.returncode == 1
    assert (f"BLIND_INDEX_KEY does not match the search indexes of {CLIENTS} of {CLIENTS} "
            f"clients checked") in mismatch.stderr
    print(f"\nbackup and restore: {CLIENTS} clients, {len(markers)} markers and a document: "
          f"0 markers in the dump ({len(sql)} characters of SQL) or the media archive; "
          f"restored with the keys, every value, note and the document read back exactly, "
          f"audit chain head {head} kept; without the keys nothing starts; with other keys "
          f"every read fails with {NOT_AUTHENTIC!r}")
