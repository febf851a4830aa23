"""The document upload form: shape only (a file and a kind). Whether the file is acceptable is
decided by ``intake.documents.document_add``, whose refusal the view puts on the file field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from intake.models import DocumentKind

ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


class DocumentUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG or PNG, up to 10 MB. Photos are stored without their location "
                    "and camera details."),
        error_messages={
            "required": _("Choose a file to upload."),
            "empty": _("The file is empty."),
            "invalid": _("No file was received. Choose the file again."),
            "missing": _("No file was received. Choose the file again."),
        },
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
    )
    kind = forms.ChoiceField(
        label=_("Kind of document"), choices=DocumentKind.choices, initial=DocumentKind.OTHER,
        error_messages={"required": _("Choose the kind of document."),
                        "invalid_choice": _("Choose one of the kinds in the list.")},
    )
