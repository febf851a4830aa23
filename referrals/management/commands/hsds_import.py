"""``manage.py hsds_import FILE``: import an HSDS 3.x organization list into the directory.

All or nothing: on a bad file every problem is printed to stderr as ``line N: …``, nothing is
imported and the command exits with status 2. ``FILE`` may be ``-`` for standard input.
"""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError

from referrals.directory.hsds.importer import directory_hsds_import

BAD_INPUT = 2


class Command(BaseCommand):
    help = "Import partner organisations and services from an HSDS 3.x JSON file (or -)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="path to the HSDS JSON file, or - for standard input")

    def handle(self, *args, **options):
        source = self.read(options["file"])
        try:
            result = directory_hsds_import(source=source)
        except IntegrityError as error:
            # Only a change made by someone else during the import gets here: the file was
            # checked against the database first. The transaction is rolled back.
            raise CommandError("the database refused the import (changed meanwhile?); nothing "
                               "was imported. Try again.", returncode=1) from error
        if not result.ok:
            for error in result.errors:
                self.stderr.write(error)
            raise CommandError(f"{len(result.errors)} problem(s) found; nothing was imported.",
                               returncode=BAD_INPUT)
        self.stdout.write("Imported the directory file.")
        for line in result.summary_lines():
            self.stdout.write(f"  {line}")

    def read(self, path: str) -> bytes:
        if path == "-":
            return sys.stdin.buffer.read()
        try:
            with open(path, "rb") as handle:
                return handle.read()
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}",
                               returncode=BAD_INPUT) from error
