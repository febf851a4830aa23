"""``manage.py hsds_export``: write the directory as HSDS 3.x JSON (an organization list page).

Contacts (partner staff names, phones, e-mails) are personal data and left out unless
``--include-contacts`` is given. Every export is audited.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from referrals.directory.hsds.exporter import directory_hsds_export


class Command(BaseCommand):
    help = "Export the partner directory as HSDS 3.x JSON (to standard output or --output)."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="write to this file instead of stdout")
        parser.add_argument("--include-contacts", action="store_true",
                            help="include contact people (personal data; off by default)")

    def handle(self, *args, **options):
        document = directory_hsds_export(include_contacts=options["include_contacts"])
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
        if not options["output"]:
            self.stdout.write(text, ending="")
            return
        try:
            with open(options["output"], "w", encoding="utf-8") as handle:
                handle.write(text)
        except OSError as error:
            raise CommandError(f"cannot write {options['output']}: {error.strerror}") from error
        self.stderr.write(f"Exported {document['total_items']} organization(s) to "
                          f"{options['output']}.")
