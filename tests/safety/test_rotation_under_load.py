"""Key rotation under load (issue 8, "Data"), on PostgreSQL.

Everything is first written under the old key ``test1``: 24 cases through the intake
services (a contact step, a note each), 1,000 more clients and 1,000 more notes in bulk, and
an MFA secret. The new key ``test2`` becomes active (step 1 of the procedure in
docs/OPERATIONS.md), and ``manage.py rotate_field_keys --batch-size 50`` runs, in its own
process as an operator runs it, while

* three app threads keep saving intake steps (new contact notes each time), adding notes and
  reassigning 18 of the cases (an update that leaves the encrypted columns alone),
* two app threads keep reading them and the bulk rows back, checking every value decrypts
  to one that was written, and
* a process still running with the *old* active key (a deploy not finished) edits the other
  6 cases and adds notes to them: 30 steps and 30 notes, all under ``test1``.

The rotator locks each batch (``FOR UPDATE SKIP LOCKED``) and re-reads it under the lock, so
an edit is never overwritten with a stale value; rows locked by the app, and values written
under the old key behind the rotator, are taken by its next pass (or, if the old process is
still writing after the last pass, the command says how many are left and fails). After the old
process is gone a second run leaves 0 values under another key; a third re-encrypts nothing.
Then the old key is dropped and everything is read back: the exact last value of every edited
field, every note exactly once, exact counts; the notes re-encrypted are exactly those
written under the old key.
"""

from __future__ import annotations

import datetime
import io
import json
import os
import random
import subprocess
import sys
import threading
import time

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections

from intake.models import Case, Client, Note
from intake.services import case_assign, case_create, note_add
from northstar.accounts.totp import totp_enable, totp_secret_of
from northstar.security.rotation import models_with_encrypted_fields, values_left
from tests.factories import UserFactory
from tests.private_services import ROOT
from tests.safety.rotation_stale_writer import contact_step

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres, pytest.mark.fault,
              pytest.mark.slow]

CASES, STALE_CASES, BULK, STALE_ACTIONS = 24, 6, 1000, 30
PAUSE = 0.02  # seconds between one app thread's actions: steady traffic, not a saturation
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXR"
TABLES = {"intake_client": ("given_name", "family_name", "contact_notes", "aliases"),
          "intake_case": ("person", "household", "urgency_notes"),
          "intake_note": ("body",)}


class Ledger:
    """What the app wrote: every contact value attempted (a reader may see any of them), the
    last one committed per case, and every note committed."""

    def __init__(self):
        self.lock = threading.Lock()
        self.contact_seen: dict[int, set[str]] = {}
        self.contact_last: dict[int, str] = {}
        self.notes: dict[int, list[str]] = {}
        self.notes_seen: dict[int, set[str]] = {}
        self.errors: list[str] = []

    def attempt(self, case_id: int, value: str) -> None:
        with self.lock:
            self.contact_seen.setdefault(case_id, set()).add(value)

    def committed(self, case_id: int, value: str) -> None:
        with self.lock:
            self.contact_last[case_id] = value

    def noting(self, case_id: int, body: str) -> None:
        with self.lock:
            self.notes_seen.setdefault(case_id, set()).add(body)

    def noted(self, case_id: int, body: str) -> None:
        self.noting(case_id, body)
        with self.lock:
            self.notes.setdefault(case_id, []).append(body)

    def allowed(self, case_id: int) -> tuple[set[str], set[str]]:
        with self.lock:
            return set(self.contact_seen[case_id]), set(self.notes_seen.get(case_id, []))


def in_thread(ledger: Ledger, work):
    def run():
        try:
            work()
        except BaseException as error:  # every failure is reported
            ledger.errors.append(f"{threading.current_thread().name}: {error!r}")
        finally:
            connections.close_all()
    return threading.Thread(target=run)


def raw_prefixes() -> dict[str, int]:
    """How many raw values of each table start with each key id."""
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for table, columns in TABLES.items():
            for column in columns:
                cursor.execute(f"SELECT split_part({column}, ':', 2), count(*) FROM {table} "  # noqa: S608
                               f"WHERE {column} IS NOT NULL GROUP BY 1")
                for key_id, count in cursor.fetchall():
                    counts[key_id] = counts.get(key_id, 0) + count
    return counts


def django_process_env(settings_module: str = "northstar.settings.test") -> dict:
    database = connection.settings_dict
    return {**os.environ, "DJANGO_SETTINGS_MODULE": settings_module, "PYTHONPATH": str(ROOT),
            "DATABASE_URL": (f"postgres://{database['USER']}@{database['HOST']}:"
                             f"{database['PORT']}/{database['NAME']}")}


def rotate_as_the_operator() -> tuple[str, bool, float]:
    """``manage.py rotate_field_keys`` in its own process, as an operator runs it."""
    began = time.monotonic()
    finished = subprocess.run(
        [sys.executable, "manage.py", "rotate_field_keys", "--batch-size", "50"], cwd=ROOT,
        env=django_process_env(), capture_output=True, text=True, timeout=600, check=False)
    return finished.stdout + finished.stderr, finished.returncode == 0, \
        time.monotonic() - began


def rotate_here() -> tuple[str, bool]:
    out = io.StringIO()
    try:
        call_command("rotate_field_keys", batch_size=50, stdout=out)
        return out.getvalue(), True
    except CommandError as error:
        return out.getvalue() + str(error), False


def rotated(output: str, model: str) -> int:
    line = next(line for line in output.splitlines() if line.startswith(f"{model}: "))
    return int(line.split(": ")[1].split()[0])


def test_rotation_while_the_app_writes_and_reads(settings, tmp_path, require_postgres):
    # --- before: everything under the old key ----------------------------------------------
    test_began = time.monotonic()
    settings.FIELD_ENCRYPTION_ACTIVE_KEY_ID = "test1"
    counsellor, other = UserFactory(counsellor=True), UserFactory(counsellor=True)
    totp_enable(counsellor, SECRET)
    ledger = Ledger()
    cases = []
    for index in range(CASES):
        case = case_create(actor=counsellor, given_name=f"Rota {index}", family_name="Keyton",
                           date_of_birth=datetime.date(1980, 1, 1 + index))
        contact_step(case, counsellor, f"Seed contact {index}")
        note_add(actor=counsellor, case=case, body=f"Seed note {index}")
        ledger.attempt(case.pk, f"Seed contact {index}")
        ledger.committed(case.pk, f"Seed contact {index}")
        ledger.noted(case.pk, f"Seed note {index}")
        cases.append(case)
    bulk_clients = Client.objects.bulk_create(
        Client(given_name=f"Bulk {index}", family_name="Rowan",
               contact_notes=f"Bulk contact {index}", aliases=[f"B{index}"])
        for index in range(BULK))
    Note.objects.bulk_create(Note(case=cases[index % CASES], author=counsellor,
                                  body=f"Bulk note {index}") for index in range(BULK))
    for index in range(BULK):
        ledger.noted(cases[index % CASES].pk, f"Bulk note {index}")
    bulk_expected = {client.pk: (f"Bulk {index}", f"Bulk contact {index}", [f"B{index}"])
                     for index, client in enumerate(bulk_clients)}
    assert set(raw_prefixes()) == {"test1"}
    seeded = time.monotonic()

    # --- the new key is active; the old process, the app threads and the rotator run -------
    settings.FIELD_ENCRYPTION_ACTIVE_KEY_ID = ""  # the first key of the keyring: test2
    spec, stale_out = tmp_path / "stale.json", tmp_path / "stale-out.json"
    spec.write_text(json.dumps({"actor": counsellor.pk,
                                "cases": [c.pk for c in cases[:STALE_CASES]],
                                "actions": STALE_ACTIONS}))
    stale = subprocess.Popen(
        [sys.executable, "-m", "tests.safety.rotation_stale_writer", str(spec), str(stale_out)],
        cwd=ROOT, env=django_process_env("tests.safety.stale_key_settings"),
        stderr=subprocess.PIPE)
    started = tmp_path / "stale-out.json.started"
    deadline = time.monotonic() + 60
    while not started.exists():
        assert stale.poll() is None, stale.stderr.read().decode()[-3000:]
        assert time.monotonic() < deadline, "the old process did not start"
        time.sleep(0.05)

    stop = threading.Event()
    counters = {"writes": 0, "reads": 0}

    def writer(number: int):  # the cases the old process does not touch
        mine = cases[STALE_CASES + number::3]
        round_ = 0
        while not stop.is_set():
            round_ += 1
            for case in mine:
                value = f"Writer {number} contact {round_}"
                ledger.attempt(case.pk, value)
                contact_step(case, counsellor, value)
                ledger.committed(case.pk, value)
                body = f"Writer {number} note {case.pk}-{round_}"
                ledger.noting(case.pk, body)
                note_add(actor=counsellor, case=case, body=body)
                ledger.noted(case.pk, body)
                if round_ % 2:
                    case_assign(actor=counsellor, case=case,
                                assignee=other if round_ % 4 == 1 else counsellor)
                counters["writes"] += 3
                time.sleep(PAUSE)

    def reader():
        pick = random.Random(7)
        while not stop.is_set():
            case = cases[pick.randrange(CASES)]
            fresh = Case.objects.select_related("client").get(pk=case.pk)
            bodies = set(Note.objects.filter(case=fresh).values_list("body", flat=True))
            contacts, notes = ledger.allowed(case.pk)  # after the read: all it can have seen
            contact = fresh.client.contact_notes
            assert contact in contacts or (case in cases[:STALE_CASES] and
                                           contact.startswith("Stale contact ")), contact
            assert (fresh.person, fresh.household) == (case.person, case.household)
            unexpected = {b for b in bodies - notes if not b.startswith("Stale note ")}
            assert unexpected == set(), unexpected
            sample = pick.choice(bulk_clients).pk
            client = Client.objects.get(pk=sample)
            assert (client.given_name, client.contact_notes,
                    client.aliases) == bulk_expected[sample]
            counters["reads"] += 1
            time.sleep(PAUSE)

    threads = [in_thread(ledger, lambda n=n: writer(n)) for n in range(3)]
    threads += [in_thread(ledger, reader) for _ in range(2)]
    for thread in threads:
        thread.start()
    first, first_done, first_took = rotate_as_the_operator()
    first_summary = first.strip().splitlines()[-1]
    assert first_done or "values are still under another key" in first, first
    assert stale.wait(timeout=120) == 0, stale.stderr.read().decode()[-3000:]  # deploy done
    second, second_done = rotate_here()  # the app threads still running
    assert second_done, second
    stop.set()
    for thread in threads:
        thread.join(timeout=120)
    assert ledger.errors == []
    third, third_done = rotate_here()
    assert third_done, third

    # --- after: every value under the new key, nothing lost, nothing changed ---------------
    stale_writes = json.loads(stale_out.read_text())
    assert stale_writes["key"] == "test1" and len(stale_writes["notes"]) == STALE_ACTIONS
    for case_id, body in stale_writes["notes"]:
        ledger.noted(case_id, body)
    for case_id, contact in stale_writes["contacts"].items():
        ledger.committed(int(case_id), contact)
    assert values_left() == 0
    assert set(raw_prefixes()) == {"test2"}
    for model in models_with_encrypted_fields():
        assert rotated(third, model._meta.label) == 0, third  # a rerun touches nothing
    notes_rotated = rotated(first, "intake.Note") + rotated(second, "intake.Note")
    assert notes_rotated == CASES + BULK + STALE_ACTIONS  # exactly those under the old key

    settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS.split(",")[0]  # test2 only
    for case in Case.objects.select_related("client").filter(pk__in=[c.pk for c in cases]):
        assert case.client.contact_notes == ledger.contact_last[case.pk]
        assert sorted(case.notes.values_list("body", flat=True)) == sorted(ledger.notes[case.pk])
    for client in Client.objects.filter(pk__in=bulk_expected):
        assert (client.given_name, client.contact_notes, client.aliases) == \
            bulk_expected[client.pk]
    total_notes = sum(len(bodies) for bodies in ledger.notes.values())
    assert Note.objects.count() == total_notes
    assert Client.objects.count() == CASES + BULK
    assert totp_secret_of(counsellor) == SECRET
    print(f"\nrotation under load (seeded in {seeded - test_began:.1f} s): first run "
          f"{first_took:.1f} s, {first_summary!r}; "
          f"{counters['writes']} app writes and {counters['reads']} checked reads meanwhile, "
          f"{STALE_ACTIONS * 2} writes under the old key during the run; after the second "
          f"run 0 values left, the third re-encrypted 0; {total_notes} notes, "
          f"{CASES + BULK} clients read back exactly with the old key dropped")
