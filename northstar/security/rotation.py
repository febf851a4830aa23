"""Re-encrypt every encrypted value under the active key, online.

Works in small batches, each in its own transaction with the batch's rows locked
(``SELECT ... FOR UPDATE SKIP LOCKED`` on PostgreSQL), so the application keeps running:

* No lost update. A row is read *under its lock* and written back in the same transaction,
  so an edit committed before the batch is what gets re-encrypted, and an edit that comes
  after waits for the batch (at most one batch) and then writes its own value.
* No waiting on the application, hence no deadlock with it. A row the application holds
  locked right now is skipped, not waited for; the next pass takes it.
* Rows written *during* a run need nothing when the writer already has the new keyring (they
  are under the new key). A process still running with the old active key (a deploy not yet
  finished) writes values under the old key, and a row the application updated without
  touching its encrypted columns keeps its old values: both are found by the next pass.

``rotate_all`` repeats passes until one finds nothing left under another key (at most
``MAX_PASSES``) and reports what is left. Rows are found by a prefix test on the raw column
(the key id is in clear in every token), so a rerun after an interruption only touches what
is left.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection, models, transaction
from django.db.models import Q
from django.db.models.functions import Cast

from northstar.security.crypto import decrypt_text, encrypt_text, token_prefix
from northstar.security.fields import encrypted_fields_of
from northstar.security.keyring import get_keyring

RAW_PREFIX = "_raw_"
MAX_PASSES = 5
PAUSE_BETWEEN_PASSES = 0.5  # seconds: lets the application's open transactions finish


@dataclass
class RotationReport:
    model: str
    rows: int


@dataclass
class RotationRun:
    """What a run did: rows re-encrypted per model (all passes), passes made, values left
    under another key after the last pass (0 when done)."""

    active_id: str
    reports: list[RotationReport] = field(default_factory=list)
    passes: int = 0
    left: int = 0

    @property
    def rows(self) -> int:
        return sum(report.rows for report in self.reports)

    def add(self, report: RotationReport) -> None:
        for existing in self.reports:
            if existing.model == report.model:
                existing.rows += report.rows
                return
        self.reports.append(report)


def models_with_encrypted_fields() -> list[type[models.Model]]:
    return [model for model in apps.get_models() if encrypted_fields_of(model)]


def rows_not_under(model, prefix: str):
    """Rows with at least one non-null encrypted column whose token lacks ``prefix``."""
    fields = encrypted_fields_of(model)
    annotations = {RAW_PREFIX + f.name: Cast(f.name, models.TextField()) for f in fields}
    stale = Q()
    for name in annotations:
        stale |= Q(**{f"{name}__isnull": False}) & ~Q(**{f"{name}__startswith": prefix})
    return model._base_manager.annotate(**annotations).filter(stale)


def rekeyed(token: str | None, associated_data: str, prefix: str) -> str | None:
    """``token`` re-encrypted under the active key (unchanged if it already is)."""
    if token is None or token.startswith(prefix):
        return token
    return encrypt_text(decrypt_text(token, associated_data), associated_data)


def rotate_model(model, batch_size: int = 500) -> RotationReport:
    """One pass over ``model``: every row not under the active key and not locked by the
    application right now is re-encrypted.

    Tokens are re-encrypted as they are (decrypt, encrypt: no model instance, no JSON
    parsing) and written with one parameterised UPDATE per row, sent in a batch; Django's
    ``bulk_update`` builds a CASE expression per column and row and spends seconds in Python
    on a batch of a few hundred rows of a wide table.
    """
    prefix = token_prefix(get_keyring().active_id)
    fields = encrypted_fields_of(model)
    raw_names = [RAW_PREFIX + field.name for field in fields]
    quote = connection.ops.quote_name  # names from the model's metadata, values as parameters
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    update = (f"UPDATE {quote(model._meta.db_table)} SET {assignments} "  # noqa: S608
              f"WHERE {quote(model._meta.pk.column)} = %s")
    done, last_pk = 0, None
    while True:
        candidates = rows_not_under(model, prefix).order_by("pk")
        if last_pk is not None:
            candidates = candidates.filter(pk__gt=last_pk)
        pks = list(candidates.values_list("pk", flat=True)[:batch_size])
        if not pks:
            return RotationReport(model._meta.label, done)
        with transaction.atomic():
            # Re-read under the lock, still stale (the application may have rewritten some).
            locked = (rows_not_under(model, prefix).filter(pk__in=pks).order_by("pk")
                      .select_for_update(skip_locked=True, of=("self",))
                      .values_list("pk", *raw_names))
            rows = [[*(rekeyed(token, field.associated_data, prefix)
                       for token, field in zip(tokens, fields, strict=True)), pk]
                    for pk, *tokens in locked]
            if rows:
                with connection.cursor() as cursor:
                    cursor.executemany(update, rows)
        done += len(rows)
        last_pk = pks[-1]


def mfa_secrets_not_under(prefix: str) -> list[int]:
    from allauth.mfa.models import Authenticator

    return [pk for pk, data in Authenticator.objects.values_list("pk", "data")
            if any(isinstance(data.get(key), str) and not data[key].startswith(prefix)
                   for key in ("secret", "seed"))]


def rotate_mfa_secrets() -> RotationReport:
    """allauth's authenticator secrets are encrypted by our MFA adapter; re-encrypt them too."""
    from allauth.mfa.models import Authenticator

    from northstar.accounts.adapter import MFA_ASSOCIATED_DATA

    prefix = token_prefix(get_keyring().active_id)
    done = 0
    for pk in mfa_secrets_not_under(prefix):
        with transaction.atomic():
            authenticator = Authenticator.objects.select_for_update(skip_locked=True).filter(
                pk=pk).first()
            if authenticator is None:
                continue  # in use right now: the next pass
            changed = False
            for key in ("secret", "seed"):
                token = authenticator.data.get(key)
                if isinstance(token, str) and not token.startswith(prefix):
                    plain = decrypt_text(token, MFA_ASSOCIATED_DATA)
                    authenticator.data[key] = encrypt_text(plain, MFA_ASSOCIATED_DATA)
                    changed = True
            if changed:
                authenticator.save(update_fields=["data"])
                done += 1
    return RotationReport("mfa.Authenticator", done)


def values_left() -> int:
    """Rows (and stored files) still holding a value under a key other than the active one."""
    from intake.models import Document

    active_id = get_keyring().active_id
    prefix = token_prefix(active_id)
    rows = sum(rows_not_under(model, prefix).count() for model in models_with_encrypted_fields())
    files = Document.objects.filter(removed_at__isnull=True).exclude(key_id=active_id).count()
    return rows + len(mfa_secrets_not_under(prefix)) + files


def rotate_all(batch_size: int = 500, max_passes: int = MAX_PASSES) -> RotationRun:
    """Passes over every encrypted column, the MFA secrets and the stored documents, until
    nothing is left under another key or ``max_passes`` were made."""
    from intake.documents import rotate_document_keys

    run = RotationRun(active_id=get_keyring().active_id)
    for model in models_with_encrypted_fields():
        run.add(RotationReport(model._meta.label, 0))
    while run.passes < max_passes:
        if run.passes:
            time.sleep(PAUSE_BETWEEN_PASSES)
        run.passes += 1
        for model in models_with_encrypted_fields():
            run.add(rotate_model(model, batch_size))
        run.add(rotate_mfa_secrets())
        run.add(rotate_document_keys(min(batch_size, 100)))
        run.left = values_left()
        if not run.left:
            break
    return run
