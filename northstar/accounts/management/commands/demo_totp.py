from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from northstar.accounts.models import User
from northstar.accounts.totp import totp_code, totp_secret_of


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo account (development only)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("demo_totp runs only with DEBUG on.")
        user = User.objects.filter(email__iexact=options["email"]).first()
        if user is None:
            raise CommandError("No such account.")
        try:
            self.stdout.write(totp_code(totp_secret_of(user)))
        except Exception as error:
            raise CommandError("That account has no TOTP authenticator.") from error
