import base64
import os
import secrets

from django.core.management.base import BaseCommand


def new_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode("ascii")


class Command(BaseCommand):
    help = "Print fresh secrets for a production .env (never reuse the published dev/test keys)."

    def add_arguments(self, parser):
        parser.add_argument("--key-id", default="k1", help="id of the new field-encryption key")

    def handle(self, *args, **options):
        self.stdout.write(f"DJANGO_SECRET_KEY={secrets.token_urlsafe(50)}")
        self.stdout.write(f"FIELD_ENCRYPTION_KEYS={options['key_id']}:{new_key()}")
        self.stdout.write(f"BLIND_INDEX_KEY={new_key()}")
        self.stdout.write(f"AUDIT_HMAC_KEY={new_key()}")
