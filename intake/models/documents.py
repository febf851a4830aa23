"""Documents attached to a case (identity papers, immigration and court documents, …).

The file itself never touches the disk in clear: it is checked, stripped of metadata, encrypted
(AES-256-GCM, see ``intake.documents.blobs``) and stored under a random name. This row holds
only what the application needs to find, label and decrypt it:

* the original file name, encrypted (it often contains the client's name);
* the detected content type (one of three), the stored size, the kind chosen by the counsellor;
* the random storage name and the id of the key the stored file is encrypted under (rotation
  finds stale files by this column).

No hash of the content is kept: a plain digest of a document is a fingerprint that confirms a
guess ("is this passport in the system?").

Removal is soft: the stored file is deleted, the row stays so that the timeline still reads.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intake.models.case import Case
from northstar.security.fields import EncryptedTextField


class DocumentKind(models.TextChoices):
    IDENTITY = "identity", _("Identity document")
    IMMIGRATION = "immigration", _("Immigration document")
    COURT = "court", _("Court or legal document")
    MEDICAL = "medical", _("Medical document")
    OTHER = "other", _("Other")


class DocumentType(models.TextChoices):
    """The content types we accept, as detected from the content (never from the name)."""

    PDF = "application/pdf", _("PDF")
    JPEG = "image/jpeg", _("JPEG image")
    PNG = "image/png", _("PNG image")


class Document(models.Model):
    # PROTECT: a case with documents must go through the purge (which deletes the stored
    # files) rather than a plain delete that would leave encrypted files behind.
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("kind of document"), max_length=16, choices=DocumentKind.choices,
                            default=DocumentKind.OTHER)
    original_name = EncryptedTextField(_("file name"), max_length=255, blank=True, default="")
    content_type = models.CharField(_("type"), max_length=32, choices=DocumentType.choices)
    size = models.PositiveIntegerField(_("size in bytes"))
    storage_name = models.CharField(max_length=64, unique=True, editable=False)
    key_id = models.CharField(max_length=16, db_index=True, editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)
    removed_at = models.DateTimeField(null=True, blank=True, editable=False)
    removed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["case", "-uploaded_at"], name="document_case_idx")]

    def __str__(self) -> str:
        return f"Document #{self.pk}"

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None
