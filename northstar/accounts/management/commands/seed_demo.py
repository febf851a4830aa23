"""Create a fictional network for trying Northstar: organisations and one account per role.

Every name here is invented. Demo accounts get a fixed password and a TOTP authenticator whose
secret is printed, so they work with any authenticator app, or with
``python manage.py demo_totp EMAIL`` which prints the current code. Development only.
"""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from intake.demo import seed_demo_cases
from northstar.accounts.models import ROLE_FLAGS, Organisation, Role, User
from northstar.accounts.totp import totp_enable, totp_url
from referrals.directory.services import seed_demo_directory

DEMO_PASSWORD = "Northstar-demo-2026"  # noqa: S105 — published, development only
NETWORK = "North Star Network (demo)"
PARTNERS = [
    "Maison Aurore Shelter (demo)",
    "Rideau Legal Clinic (demo)",
    "Prairie Welcome Settlement (demo)",
]
# email, full name, roles, organisation name, TOTP secret (base32, fixed for the demo)
DEMO_USERS = [
    ("counsellor@northstar.example", "Ines Demo-Counsellor", {Role.COUNSELLOR}, NETWORK,
     "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXA"),
    ("coordinator@northstar.example", "Omar Demo-Coordinator", {Role.COORDINATOR}, NETWORK,
     "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXB"),
    ("admin@northstar.example", "Alma Demo-Admin", {Role.ADMIN}, NETWORK,
     "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXC"),
    ("partner@aurore.example", "Paul Demo-Partner", {Role.PARTNER}, PARTNERS[0],
     "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXD"),
    ("partner@rideau.example", "Rita Demo-Partner", {Role.PARTNER}, PARTNERS[1],
     "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXE"),
    ("partner@prairie.example", "Pia Demo-Partner", {Role.PARTNER}, PARTNERS[2],
     "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXF"),
]


class Command(BaseCommand):
    help = "Create the fictional demo network and its accounts (development only)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="do not print the logins")
        parser.add_argument("--allow-non-debug", action="store_true",
                            help="allow outside DEBUG (tests, benchmarks)")

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_non_debug"]:
            raise CommandError("seed_demo creates accounts with a published password; "
                               "it runs only with DEBUG on.")
        with transaction.atomic():
            organisations = self.create_organisations()
            users = [self.create_user(organisations, *row) for row in DEMO_USERS]
            seed_demo_directory(organisations.values())
            counsellor = next(user for user, _ in users if user.is_counsellor)
            seed_demo_cases(counsellor)
        if not options["quiet"]:
            self.print_logins(users)

    def create_organisations(self) -> dict[str, Organisation]:
        organisations = {}
        network, _ = Organisation.objects.get_or_create(
            name=NETWORK, defaults={"kind": Organisation.Kind.NETWORK})
        organisations[NETWORK] = network
        for name in PARTNERS:
            organisations[name], _ = Organisation.objects.get_or_create(
                name=name, defaults={"kind": Organisation.Kind.PARTNER})
        return organisations

    def create_user(self, organisations, email, full_name, roles, organisation, secret):
        flags = {flag: role in roles for role, flag in ROLE_FLAGS.items()}
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email, password=DEMO_PASSWORD, full_name=full_name,
                organisation=organisations[organisation], **flags)
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True})
        totp_enable(user, secret)
        return user, secret

    def print_logins(self, users) -> None:
        write = self.stdout.write
        write("")
        write(self.style.SUCCESS("Demo accounts (fictional people; development only)"))
        write(f"  password for every account: {DEMO_PASSWORD}")
        write("  second factor: add the TOTP secret to an authenticator app, or run")
        write("    .venv/bin/python manage.py demo_totp EMAIL   (prints the current code)")
        for user, secret in users:
            roles = ", ".join(sorted(role.value for role in user.roles))
            write(f"  {user.email:<32} {roles:<12} TOTP secret {secret}")
        write(f"  otpauth example: {totp_url(users[0][0], users[0][1])}")
        write("")
