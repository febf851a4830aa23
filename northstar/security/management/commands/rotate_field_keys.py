from django.core.management.base import BaseCommand, CommandError

from northstar.audit.services import audit_record
from northstar.security.rotation import MAX_PASSES, rotate_all


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted value under the active key (FIELD_ENCRYPTION_KEYS' first "
        "key or FIELD_ENCRYPTION_ACTIVE_KEY_ID). Safe to run while the app serves requests and "
        "to rerun: it makes passes until none is left under another key. Remove an old key "
        "from the environment only after this reports 0 left."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--max-passes", type=int, default=MAX_PASSES)

    def handle(self, *args, **options):
        run = rotate_all(batch_size=options["batch_size"], max_passes=options["max_passes"])
        for report in run.reports:
            self.stdout.write(f"{report.model}: {report.rows} rows re-encrypted")
        audit_record("keys.rotated", details={"active_key_id": run.active_id, "rows": run.rows,
                                              "passes": run.passes, "left": run.left})
        if run.left:
            raise CommandError(
                f"{run.left} values are still under another key after {run.passes} passes: "
                f"a process may still run with an old active key. Deploy the new keyring "
                f"everywhere, then run this again. Do not remove the old key yet.")
        self.stdout.write(self.style.SUCCESS(
            f"Done: {run.rows} rows now under key {run.active_id!r} in {run.passes} "
            f"pass{'es' if run.passes > 1 else ''}; 0 left."))
