"""Recompute every client's exact-search indexes with the current ``BLIND_INDEX_KEY``.

For a new blind-index key (suspected exposure of the old one, docs/OPERATIONS.md): set the
new key, deploy, run this. Each client is re-indexed in its own short transaction with its row
locked; until a client's turn its old indexes stay (computed with the old key, they match no
search: the exact search finds only clients already re-indexed). Safe to rerun.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from intake.models import Client
from intake.services import client_name_indexes_rebuild
from northstar.audit.services import audit_record


class Command(BaseCommand):
    help = "Recompute the exact-search (blind) indexes of every client with BLIND_INDEX_KEY."

    def handle(self, *args, **options):
        done = 0
        pks = Client.objects.filter(purged_at__isnull=True).order_by("pk").values_list(
            "pk", flat=True)
        for pk in pks.iterator():
            with transaction.atomic():
                client = Client.objects.select_for_update().filter(pk=pk).first()
                if client is None or client.purged_at is not None:
                    continue
                client_name_indexes_rebuild(client)
                done += 1
        audit_record("keys.blind_indexes_rebuilt", details={"clients": done})
        self.stdout.write(self.style.SUCCESS(f"Done: {done} clients re-indexed."))
