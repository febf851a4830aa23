from django.core.management.base import BaseCommand

from northstar.audit.services import audit_record
from northstar.security.keyring import get_keyring
from northstar.security.rotation import rotate_all


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted value under the active key (FIELD_ENCRYPTION_KEYS' first "
        "key or FIELD_ENCRYPTION_ACTIVE_KEY_ID). Safe to run while the app serves requests and "
        "to rerun. Remove an old key from the environment only after this reports 0 left."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, **options):
        active = get_keyring().active_id
        reports = rotate_all(batch_size=options["batch_size"])
        total = 0
        for report in reports:
            total += report.rows
            self.stdout.write(f"{report.model}: {report.rows} rows re-encrypted")
        audit_record("keys.rotated", details={"active_key_id": active, "rows": total})
        self.stdout.write(self.style.SUCCESS(f"Done: {total} rows now under key {active!r}."))
