"""Re-encrypt every encrypted value under the active key, online.

Works in small batches, each in its own transaction with the batch's rows locked
(``SELECT ... FOR UPDATE`` on PostgreSQL), so the application keeps running: a counsellor
editing a row waits for at most one batch, and no edit is overwritten by a stale value. Rows are
found by a prefix test on the raw column (the key id is in clear in every token), so a rerun
after an interruption only touches what is left.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Cast

from northstar.security.crypto import decrypt_text, encrypt_text, token_prefix
from northstar.security.fields import encrypted_fields_of
from northstar.security.keyring import get_keyring

RAW_PREFIX = "_raw_"


@dataclass
class RotationReport:
    model: str
    rows: int


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


def rotate_model(model, batch_size: int = 500) -> RotationReport:
    prefix = token_prefix(get_keyring().active_id)
    field_names = [field.name for field in encrypted_fields_of(model)]
    done, last_pk = 0, None
    while True:
        candidates = rows_not_under(model, prefix).order_by("pk")
        if last_pk is not None:
            candidates = candidates.filter(pk__gt=last_pk)
        pks = list(candidates.values_list("pk", flat=True)[:batch_size])
        if not pks:
            return RotationReport(model._meta.label, done)
        with transaction.atomic():
            rows = list(model._base_manager.select_for_update().filter(pk__in=pks).order_by("pk"))
            model._base_manager.bulk_update(rows, field_names)
        done += len(rows)
        last_pk = pks[-1]


def rotate_mfa_secrets() -> RotationReport:
    """allauth's authenticator secrets are encrypted by our MFA adapter; re-encrypt them too."""
    from allauth.mfa.models import Authenticator

    from northstar.accounts.adapter import MFA_ASSOCIATED_DATA

    prefix = token_prefix(get_keyring().active_id)
    done = 0
    for authenticator in Authenticator.objects.select_for_update().iterator():
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


def rotate_all(batch_size: int = 500) -> list[RotationReport]:
    from intake.documents import rotate_document_keys

    reports = [rotate_model(model, batch_size) for model in models_with_encrypted_fields()]
    with transaction.atomic():
        reports.append(rotate_mfa_secrets())
    reports.append(rotate_document_keys(min(batch_size, 100)))
    return reports
