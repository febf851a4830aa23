"""Encrypted model fields: text, date and JSON, stored as AES-256-GCM tokens in a TEXT column.

Why by hand: see ``northstar.security.crypto``. The fields add what Django needs around it:

* Values are encrypted in ``get_db_prep_value`` and decrypted in ``from_db_value``; the Python
  side always sees plain values (``str``, ``datetime.date``, JSON data). ``None`` stays NULL.
* The associated data is ``<app_label>.<model>.<field>``, bound in ``contribute_to_class``.
* Encrypted columns cannot be filtered (ciphertexts are randomised): every lookup but
  ``isnull`` raises ``FieldError``. Exact search goes through a blind index
  (``northstar.security.blind_index``) stored beside the value.
* ``rotate_field_keys`` finds values under an old key with a prefix test on the raw column.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from django import forms
from django.core.exceptions import FieldError, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from northstar.security.crypto import decrypt_text, encrypt_text

ALLOWED_LOOKUPS = frozenset({"isnull"})


class EncryptedFieldMixin:
    """Shared behaviour; subclasses define ``to_plaintext`` and ``from_plaintext``."""

    associated_data: str = ""

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        self.associated_data = f"{cls._meta.label_lower}.{name}"

    def to_plaintext(self, value: Any) -> str:
        raise NotImplementedError

    def from_plaintext(self, text: str) -> Any:
        raise NotImplementedError

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is None:
            return None
        return encrypt_text(self.to_plaintext(self.to_python(value)), self.associated_data)

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return self.from_plaintext(decrypt_text(value, self.associated_data))

    def get_lookup(self, lookup_name):
        if lookup_name not in ALLOWED_LOOKUPS:
            raise FieldError(
                f"Encrypted field {self.associated_data} cannot be filtered with "
                f"'{lookup_name}'; use its blind index."
            )
        return super().get_lookup(lookup_name)

    def get_transform(self, lookup_name):
        raise FieldError(f"Encrypted field {self.associated_data} has no transforms.")


class EncryptedTextField(EncryptedFieldMixin, models.TextField):
    """Free text (names, notes, addresses). ``max_length`` limits the form input only."""

    def to_plaintext(self, value: str) -> str:
        return value

    def from_plaintext(self, text: str) -> str:
        return text

    def to_python(self, value):
        if value is None or isinstance(value, str):
            return value
        return str(value)

    def formfield(self, **kwargs):
        if self.max_length and "widget" not in kwargs:
            kwargs.setdefault("form_class", forms.CharField)
        return super().formfield(**kwargs)


class EncryptedDateField(EncryptedFieldMixin, models.TextField):
    """A date (e.g. date of birth) stored encrypted as ISO 8601."""

    def to_plaintext(self, value: datetime.date) -> str:
        return value.isoformat()

    def from_plaintext(self, text: str) -> datetime.date:
        return datetime.date.fromisoformat(text)

    def to_python(self, value):
        if value is None or (isinstance(value, datetime.date)
                             and not isinstance(value, datetime.datetime)):
            return value
        if isinstance(value, datetime.datetime):
            return value.date()
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError as error:
            raise ValidationError(_("Enter a valid date."), code="invalid") from error

    def formfield(self, **kwargs):
        return forms.DateField(
            required=not self.blank,
            label=self.verbose_name,
            help_text=self.help_text,
            **kwargs,
        )


class EncryptedJSONField(EncryptedFieldMixin, models.TextField):
    """JSON data (lists of aliases, structured facts) stored encrypted."""

    def to_plaintext(self, value: Any) -> str:
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    def from_plaintext(self, text: str) -> Any:
        return json.loads(text)

    def to_python(self, value):
        return value

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is None and self.null:
            return None
        return encrypt_text(self.to_plaintext(value), self.associated_data)

    def formfield(self, **kwargs):
        return forms.JSONField(
            required=not self.blank, label=self.verbose_name, help_text=self.help_text, **kwargs
        )


def encrypted_fields_of(model) -> list[models.Field]:
    """The encrypted concrete fields of a model."""
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedFieldMixin)
    ]
