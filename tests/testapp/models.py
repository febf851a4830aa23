"""A model used only by tests of the encrypted fields (installed by the test settings)."""

from django.db import models

from northstar.security.fields import EncryptedDateField, EncryptedJSONField, EncryptedTextField


class SecretRecord(models.Model):
    name = EncryptedTextField(max_length=200)
    born = EncryptedDateField(null=True, blank=True)
    facts = EncryptedJSONField(null=True, blank=True)
    note = EncryptedTextField(blank=True, default="")
    name_index = models.CharField(max_length=32, blank=True, db_index=True)
    plain_label = models.CharField(max_length=50, blank=True)

    def __str__(self) -> str:
        return f"SecretRecord #{self.pk}"
