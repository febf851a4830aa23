"""Do the configured keys belong to this database? Run after a restore, before serving.

* Field keys: up to ``--sample`` rows of every model with encrypted columns (the first and the
  last by id) are decrypted with ``FIELD_ENCRYPTION_KEYS``; every value must authenticate.
* Blind index: for up to ``--sample`` clients with a birth date, the name indexes recomputed
  with ``BLIND_INDEX_KEY`` from the decrypted names must be the stored ones (a wrong key would
  not fail anything: the exact search would silently find nobody).

Nothing decrypted is printed: counts, key ids and model names only. Exits 1 with a message
saying which key is wrong (``audit_verify`` checks ``AUDIT_HMAC_KEY``).
"""

from __future__ import annotations

from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from northstar.security.crypto import DecryptionError, decrypt_text, key_id_of
from northstar.security.fields import encrypted_fields_of
from northstar.security.rotation import RAW_PREFIX, models_with_encrypted_fields


def sampled_tokens(model, sample: int):
    """(field, raw token) of the first and last ``sample // 2`` rows of ``model``."""
    from django.db import models
    from django.db.models.functions import Cast

    fields = encrypted_fields_of(model)
    annotations = {RAW_PREFIX + f.name: Cast(f.name, models.TextField()) for f in fields}
    rows = model._base_manager.annotate(**annotations).values_list(*annotations)
    half = max(sample // 2, 1)
    seen = set()
    for chunk in (rows.order_by("pk")[:half], rows.order_by("-pk")[:half]):
        for row in chunk:
            for field, token in zip(fields, row, strict=True):
                if token is not None and (field.associated_data, token) not in seen:
                    seen.add((field.associated_data, token))
                    yield field, token


def check_field_keys(sample: int) -> tuple[int, Counter, dict[str, str]]:
    checked, by_key, failures = 0, Counter(), {}
    for model in models_with_encrypted_fields():
        for field, token in sampled_tokens(model, sample):
            checked += 1
            key_id = key_id_of(token) or "?"
            try:
                decrypt_text(token, field.associated_data)
                by_key[key_id] += 1
            except DecryptionError as error:
                failures.setdefault(f"{model._meta.label} (key id {key_id!r})", str(error))
    return checked, by_key, failures


def check_blind_index(sample: int) -> tuple[int, int]:
    from intake.models import Client
    from intake.name_index import client_names, name_index_values

    clients = (Client.objects.filter(date_of_birth__isnull=False, purged_at__isnull=True)
               .prefetch_related("name_indexes").order_by("-pk")[:sample])
    checked = mismatched = 0
    for client in clients:
        stored = {index.value for index in client.name_indexes.all()}
        if not stored:
            continue
        checked += 1
        if name_index_values(client_names(client), client.date_of_birth) != stored:
            mismatched += 1
    return checked, mismatched


class Command(BaseCommand):
    help = ("Check that FIELD_ENCRYPTION_KEYS decrypts the data in this database and that "
            "BLIND_INDEX_KEY matches its search indexes (after a restore, before serving).")

    def add_arguments(self, parser):
        parser.add_argument("--sample", type=int, default=200,
                            help="rows per model (first and last) and clients to check")

    def handle(self, *args, **options):
        checked, by_key, failures = check_field_keys(options["sample"])
        if failures:
            lines = "; ".join(f"{where}: {error}" for where, error in sorted(failures.items()))
            raise CommandError(
                f"FIELD_ENCRYPTION_KEYS does not decrypt this database ({lines}). The keys "
                f"configured are not the ones the data was written with, or one is missing: "
                f"nothing personal can be read. Configure the keys kept for this database.")
        keys = ", ".join(f"{key_id}: {count}" for key_id, count in sorted(by_key.items()))
        self.stdout.write(f"Field keys: {checked} values checked, all decrypt "
                          f"({keys or 'no encrypted values'}).")
        clients, mismatched = check_blind_index(options["sample"])
        if mismatched:
            raise CommandError(
                f"BLIND_INDEX_KEY does not match the search indexes of {mismatched} of "
                f"{clients} clients checked: the exact search would find nobody. Configure "
                f"the key kept for this database (or rebuild the indexes).")
        self.stdout.write(f"Blind index: {clients} clients checked, all match.")
        self.stdout.write(self.style.SUCCESS("The keys belong to this database."))
