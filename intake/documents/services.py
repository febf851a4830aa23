"""Writes on documents: add, open (a read that is audited), remove, purge, key rotation.

A service completes or changes nothing: the stored file is written before the database row,
and deleted again if the transaction that writes the row fails; a removed document's file is
deleted only once the removal has committed. Audit rows and case events name the document by
id only: no file name, no content.

These functions do not decide scope: callers pass a case fetched through
``cases_visible_to`` (the views do). They do refuse changes to closed or purged cases.
"""

from __future__ import annotations

import logging
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone

from intake.documents.blobs import (
    associated_data,
    blob_delete,
    blob_read,
    blob_write,
    new_storage_name,
    seal,
    unseal,
)
from intake.documents.errors import DocumentUnavailable
from intake.documents.inspection import inspect_upload
from intake.documents.names import download_name
from intake.models import Case, CaseEvent, Document, DocumentKind
from intake.permissions import can_edit_case
from northstar.audit.services import audit_record
from northstar.security.keyring import get_keyring
from northstar.security.rotation import RotationReport

logger = logging.getLogger(__name__)


class CaseReadOnly(Exception):
    """The case is closed or purged: its documents cannot change."""


class DocumentContent(NamedTuple):
    content: bytes
    content_type: str
    download_name: str


def context_of(document: Document) -> bytes:
    return associated_data(document.case_id, document.storage_name, document.content_type)


def document_add(*, actor, case: Case, uploaded_file, kind: str) -> Document:
    """Check, clean, encrypt and store an uploaded file on ``case``.

    Raises ``DocumentRejected`` (with a message for the user) when the file is refused and
    ``CaseReadOnly`` when the case is closed or purged; in both cases nothing is stored.
    """
    if kind not in DocumentKind.values:
        raise ValueError(f"unknown document kind {kind!r}")
    if not can_edit_case(actor, case):
        raise CaseReadOnly
    clean = inspect_upload(uploaded_file)
    storage_name = new_storage_name()
    blob, key_id = seal(clean.content, associated_data(case.pk, storage_name,
                                                       clean.content_type))
    blob_write(storage_name, blob)
    try:
        with transaction.atomic():
            locked = Case.objects.select_for_update().get(pk=case.pk)
            if not can_edit_case(actor, locked):
                raise CaseReadOnly
            document = Document.objects.create(
                case=locked, kind=kind, original_name=clean.display_name,
                content_type=clean.content_type, size=len(clean.content),
                storage_name=storage_name, key_id=key_id, uploaded_by=actor)
            CaseEvent.objects.create(case=locked, kind=CaseEvent.Kind.DOCUMENT_ADDED,
                                     actor=actor, details={"document": document.pk})
            audit_record("case.document_added", actor=actor, target=locked,
                         details={"document": document.pk, "content_type": clean.content_type,
                                  "size": len(clean.content)})
    except BaseException:
        blob_delete(storage_name)
        raise
    return document


@transaction.atomic
def document_open(*, actor, document: Document) -> DocumentContent:
    """Decrypt a document for download; the download is audited.

    Raises ``DocumentUnavailable`` when the document is removed, its file is missing, or the
    file does not authenticate.
    """
    document = Document.objects.get(pk=document.pk)
    if document.is_removed:
        raise DocumentUnavailable("removed")
    try:
        blob = blob_read(document.storage_name)
    except DocumentUnavailable:
        document.refresh_from_db()  # key rotation may have just moved it to a new file
        blob = blob_read(document.storage_name)
    try:
        content = unseal(blob, context_of(document))
    except DocumentUnavailable:
        logger.warning("document %s: stored file does not decrypt", document.pk)
        raise
    audit_record("case.document_downloaded", actor=actor, target=document.case,
                 details={"document": document.pk})
    return DocumentContent(content, document.content_type,
                           download_name(document.original_name, document.content_type))


@transaction.atomic
def document_remove(*, actor, document: Document) -> Document:
    """Delete the stored file (after commit) and mark the document removed; the row stays
    for the timeline. Removing a removed document changes nothing."""
    document = Document.objects.select_for_update().select_related("case").get(pk=document.pk)
    if document.is_removed:
        return document
    if not can_edit_case(actor, document.case):
        raise CaseReadOnly
    document.removed_at = timezone.now()
    document.removed_by = actor
    document.save(update_fields=["removed_at", "removed_by"])
    CaseEvent.objects.create(case=document.case, kind=CaseEvent.Kind.DOCUMENT_REMOVED,
                             actor=actor, details={"document": document.pk})
    audit_record("case.document_removed", actor=actor, target=document.case,
                 details={"document": document.pk})
    storage_name = document.storage_name
    transaction.on_commit(lambda: blob_delete(storage_name))
    return document


@transaction.atomic
def case_documents_purge(*, actor, case: Case) -> int:
    """For the retention purge and erasure: delete every stored file of ``case`` (after
    commit), mark its documents removed and blank their names. Works on closed cases.
    Returns how many stored files were deleted."""
    documents = list(Document.objects.select_for_update().filter(case=case))
    now = timezone.now()
    deleted = [document.storage_name for document in documents if not document.is_removed]
    for document in documents:
        if not document.is_removed:
            document.removed_at, document.removed_by = now, actor
        document.original_name = ""
    Document.objects.bulk_update(documents, ["removed_at", "removed_by", "original_name"])
    audit_record("case.documents_purged", actor=actor, target=case,
                 details={"documents": len(deleted)})

    def delete_files() -> None:
        for name in deleted:
            blob_delete(name)

    transaction.on_commit(delete_files)
    return len(deleted)


def documents_purge_hook(case: Case) -> None:
    """For ``intake.lifecycle.register_purge_hook``: runs inside the purge's transaction."""
    case_documents_purge(actor=None, case=case)


def rotate_document_keys(batch_size: int = 100) -> RotationReport:
    """Re-encrypt every stored file that is not under the active key (online, resumable).

    Each document moves to a new file under a new random name in its own transaction, with
    its row locked; the old file is deleted after commit. Safe to rerun: it only touches
    documents whose ``key_id`` is not the active one.
    """
    active_id = get_keyring().active_id
    done, last_pk = 0, 0
    while True:
        pks = list(Document.objects.filter(removed_at__isnull=True, pk__gt=last_pk)
                   .exclude(key_id=active_id).order_by("pk")
                   .values_list("pk", flat=True)[:batch_size])
        if not pks:
            return RotationReport("intake.Document (stored files)", done)
        done += sum(document_rekey(pk, active_id) for pk in pks)
        last_pk = pks[-1]


def document_rekey(pk: int, active_id: str) -> int:
    """Move one document to a new file under the active key; 1 if it moved, else 0."""
    written = None
    try:
        with transaction.atomic():
            document = Document.objects.select_for_update().filter(
                pk=pk, removed_at__isnull=True).first()
            if document is None or document.key_id == active_id:
                return 0
            try:
                content = unseal(blob_read(document.storage_name), context_of(document))
            except DocumentUnavailable as error:
                raise DocumentUnavailable(f"document {pk} cannot be re-encrypted: {error}") \
                    from error
            old_name, new_name = document.storage_name, new_storage_name()
            blob, key_id = seal(content, associated_data(document.case_id, new_name,
                                                         document.content_type))
            blob_write(new_name, blob)
            written = new_name
            document.storage_name, document.key_id = new_name, key_id
            document.save(update_fields=["storage_name", "key_id"])
            transaction.on_commit(lambda: blob_delete(old_name))
    except BaseException:
        if written is not None:
            blob_delete(written)
        raise
    return 1
