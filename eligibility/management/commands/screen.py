"""``python manage.py screen FILE`` (or ``-`` for stdin): print the assessment JSON.

A thin adapter over ``eligibility.engine.cli.run``: no database, migrations, network or
environment variables are needed (no system checks run). Invalid facts exit 2 with one line
per error on stderr and nothing on stdout.
"""

import sys

from django.core.management.base import BaseCommand

from eligibility.engine.cli import run


class Command(BaseCommand):
    help = "Screen a facts document (JSON file, or - for stdin) and print the assessment."
    requires_system_checks: list = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("file", help="facts JSON file, or - to read stdin")

    def handle(self, *args, **options):
        code = run([options["file"]], sys.stdin, sys.stdout, sys.stderr)
        if code:
            sys.exit(code)
