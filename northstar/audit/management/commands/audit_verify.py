import time

from django.core.management.base import BaseCommand, CommandError

from northstar.audit.selectors import audit_chain_verify


class Command(BaseCommand):
    help = "Verify the audit log's hash chain; exit 1 at the first broken link."

    def handle(self, *args, **options):
        started = time.perf_counter()
        result = audit_chain_verify()
        elapsed = time.perf_counter() - started
        if result.broken_at is not None:
            raise CommandError(
                f"Audit chain broken at event {result.broken_at}: {result.problem}. "
                f"{result.checked} events before it are intact."
            )
        if result.unsealed:
            raise CommandError(f"Audit chain intact for {result.checked} events, but "
                               f"{result.problem}.")
        rate = result.checked / elapsed if elapsed else 0
        keys = ", ".join(f"{count} with key {key_id}"
                         for key_id, count in (result.sealed_with or {}).items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Audit chain intact: {result.checked} events, head {result.head[:16]}… "
                f"({rate:,.0f} events/s)." + (f" Sealed: {keys}." if keys else "")
            )
        )
