"""One set of objects for the security tests (object-level checks, mass assignment, CSRF, GET
safety): two of everything, so that every persona has objects of its own and objects of
someone else's.

``module_world`` builds it once per test module inside a transaction that is rolled back when
the module ends; each test runs in a savepoint inside it (pytest-django's ``db``), so what one
test changes never reaches the next. Personas keep one signed-in session each for the whole
module; ``World.client(persona)`` gives a fresh client on that session (a test that signs out
cannot spoil the next one's cookies).

Who is who: counsellor ``counsellor`` owns ``case_a``; ``other_counsellor`` owns ``case_b``.
``partner`` is a user of partner organisation P, ``other_partner`` of partner organisation Q.
``case_a`` has consent for P and Q, a referral sent to P (``referral_a``) and a draft to P for
another service (``draft_a``); ``case_b`` has a referral sent to Q (``referral_b``).
``purged_case`` (a coordinator's referral on it) is the one case even a coordinator no longer
sees. ``admin`` and ``other_admin`` each requested an export.
"""

from __future__ import annotations

import contextlib
import datetime
import tempfile
from dataclasses import dataclass, field

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings

from intake.documents import document_add
from intake.help_requests import help_request_submit
from intake.lifecycle import case_purge, erasure_request_create
from intake.models import Case, Consent, Document, HelpRequest
from intake.services import case_close, note_add
from northstar.accounts.models import Invitation, Organisation, Role, User
from northstar.accounts.services import invitation_create
from referrals.models import PartnerService, Referral, ReferralStatus
from referrals.services import referral_create
from stats.models import ExportJob
from stats.periods import Period
from stats.services import export_build, export_request
from tests.factories import UserFactory, network_organisation
from tests.helpers import sign_in
from tests.intake.document_helpers import make_pdf, upload
from tests.referrals.factories import (
    PartnerContactFactory,
    PartnerLocationFactory,
    PartnerServiceFactory,
)
from tests.referrals.referral_helpers import (
    Partner,
    draft_for,
    give_consent,
    make_case,
    make_partner,
    send,
    walk_to,
)

# The personas of these tests: each holds one signed-in, MFA-verified session.
PERSONAS = ("counsellor", "other_counsellor", "coordinator", "partner", "other_partner",
            "admin", "other_admin", "superuser")


@dataclass
class World:
    users: dict[str, User]
    sessions: dict[str, str]
    partner_p: Partner
    partner_q: Partner
    second_service_p: PartnerService
    case_a: Case
    case_b: Case
    closed_case: Case
    purged_case: Case
    consent_a: Consent
    consent_b: Consent
    document_a: Document
    document_b: Document
    referral_a: Referral
    draft_a: Referral
    referral_b: Referral
    purged_referral: Referral
    help_request: HelpRequest
    other_help_request: HelpRequest
    export_job: ExportJob
    other_export_job: ExportJob
    erasure_request_id: int
    invitation: Invitation
    extra: dict = field(default_factory=dict)

    def client(self, persona: str, **options) -> Client:
        """A new client on ``persona``'s session ("anonymous": no session)."""
        client = Client(**options)
        if persona != "anonymous":
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[persona]
        return client


def make_users() -> dict[str, User]:
    return {
        "counsellor": UserFactory(counsellor=True),
        "other_counsellor": UserFactory(counsellor=True),
        "coordinator": UserFactory(coordinator=True),
        "admin": UserFactory(admin=True),
        "other_admin": UserFactory(admin=True),
        "superuser": UserFactory(is_staff=True, is_superuser=True),
    }


def make_document(actor: User, case: Case) -> Document:
    return document_add(actor=actor, case=case, kind="other",
                        uploaded_file=upload("world.pdf", make_pdf(), "application/pdf"))


def make_export(actor: User) -> ExportJob:
    job = export_request(actor=actor, period=Period.default(), export_format="csv",
                         language="en")
    export_build(job_id=str(job.pk))  # what the worker does once the request commits
    job.refresh_from_db()
    return job


def build_world() -> World:
    network_organisation()
    users = make_users()
    coordinator = users["coordinator"]
    partner_p, partner_q = make_partner("shelter"), make_partner("shelter")
    users["partner"], users["other_partner"] = partner_p.user, partner_q.user
    for user in users.values():  # as accepting an invitation (or createsuperuser) records it
        EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    PartnerLocationFactory(organisation=partner_p.organisation)
    PartnerContactFactory(organisation=partner_p.organisation, service=partner_p.service)
    second_service_p = PartnerServiceFactory(organisation=partner_p.organisation,
                                             service_type="legal_aid", languages=["es"],
                                             provinces=["QC"], with_capacity=True)
    case_a, case_b = make_case(users["counsellor"]), make_case(users["other_counsellor"])
    consent_a = give_consent(case_a, users["counsellor"], partner=partner_p)
    give_consent(case_a, users["counsellor"], partner=partner_q)
    consent_b = give_consent(case_b, users["other_counsellor"], partner=partner_q)
    give_consent(case_b, users["other_counsellor"], partner=partner_p)
    referral_a = send(draft_for(case_a, partner_p, coordinator), coordinator)
    draft_a = referral_create(actor=coordinator, case=case_a, service=second_service_p)
    referral_b = send(draft_for(case_b, partner_q, coordinator), coordinator)
    purged_case = make_case(users["counsellor"])
    give_consent(purged_case, coordinator, partner=partner_p)
    purged_referral = send(draft_for(purged_case, partner_p, coordinator), coordinator)
    case_purge(case=purged_case, reason="retention")
    closed_case = make_case(users["counsellor"])
    give_consent(closed_case, users["counsellor"], partner=partner_p)
    case_close(actor=users["counsellor"], case=closed_case, reason="other")
    for case, author in ((case_a, users["counsellor"]), (case_b, users["other_counsellor"])):
        note_add(actor=author, case=case, body="A fictional note.")
    erasure = erasure_request_create(actor=coordinator, case=case_b, reason="Asked by phone")
    help_requests = [help_request_submit(
        name=f"World Visitor {index}", contact_method="phone", contact_details="555-0100",
        preferred_language="es", message="A fictional request.") for index in (1, 2)]
    invitation = Invitation.objects.create(
        email="world-invitee@staff.example", organisation=network_organisation(),
        roles=["counsellor"], token_hash="w" * 64, invited_by=users["admin"],
        expires_at=datetime.datetime(2099, 1, 1, tzinfo=datetime.UTC))
    world = World(
        users=users, sessions={}, partner_p=partner_p, partner_q=partner_q,
        second_service_p=second_service_p, case_a=case_a, case_b=case_b,
        closed_case=closed_case, purged_case=Case.objects.get(pk=purged_case.pk),
        consent_a=consent_a, consent_b=consent_b,
        document_a=make_document(users["counsellor"], case_a),
        document_b=make_document(users["other_counsellor"], case_b),
        referral_a=referral_a, draft_a=draft_a, referral_b=referral_b,
        purged_referral=Referral.objects.get(pk=purged_referral.pk),
        help_request=help_requests[0], other_help_request=help_requests[1],
        export_job=make_export(users["admin"]), other_export_job=make_export(users["other_admin"]),
        erasure_request_id=erasure.pk, invitation=invitation)
    world.accepted_a, world.started_a = (
        walked_referral(users["counsellor"], partner_p, coordinator, status)
        for status in (ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS))
    for persona, user in users.items():
        world.sessions[persona] = sign_in(Client(), user).session.session_key
    # After signing in: a password reset key is void once its user's last login changes.
    world.extra.update(secrets_of(users, invitation_actor=users["admin"]))
    return world


def walked_referral(counsellor: User, partner: Partner, coordinator: User,
                    status: str) -> Referral:
    """A referral of a fresh case of ``counsellor`` to ``partner``, moved to ``status``."""
    case = make_case(counsellor)
    give_consent(case, counsellor, partner=partner)
    return walk_to(draft_for(case, partner, coordinator), status, coordinator=coordinator,
                   partner=partner.user)


def secrets_of(users: dict[str, User], *, invitation_actor: User) -> dict:
    """Real bearer secrets, for the pages that take one: an invitation link's token, a password
    reset key (of ``other_counsellor``) and an e-mail confirmation key (of an address
    ``other_counsellor`` has not confirmed)."""
    _invitation, token = invitation_create(
        actor=invitation_actor, email="world-invited@staff.example",
        organisation=network_organisation(), roles={Role.COUNSELLOR})
    user = users["other_counsellor"]
    address = EmailAddress.objects.create(user=user, email="world-unconfirmed@staff.example",
                                          verified=False, primary=False)
    return {
        "invitation_token": token,
        "reset_kwargs": {"uidb36": user_pk_to_url_str(user),
                         "key": default_token_generator.make_token(user)},
        "confirmation_key": EmailConfirmationHMAC(address).key,
    }


@contextlib.contextmanager
def module_world(django_db_blocker):
    """Build the world in a transaction rolled back at the end (use from a module-scoped
    fixture). Uploaded documents and exports go to a folder of the module's own."""
    with tempfile.TemporaryDirectory(prefix="ns-world-") as media, \
            override_settings(MEDIA_ROOT=media), django_db_blocker.unblock(), \
            transaction.atomic():
        world = build_world()
        world.extra["media_root"] = media
        yield world
        transaction.set_rollback(True)


@pytest.fixture(scope="module", name="world")
def world_fixture(django_db_setup, django_db_blocker):
    """The ``world`` fixture of a test module that imports it, with ``keep_media_root``:
    ``from tests.security.world import keep_media_root, world_fixture``."""
    with module_world(django_db_blocker) as built:
        yield built


@pytest.fixture(name="_media_root", autouse=True)
def keep_media_root():
    """Replaces the shared conftest's per-test media folder: the world keeps its stored files
    in a folder of its own for the whole module."""


def organisation_ids(world: World) -> dict[str, int]:
    return {"network": Organisation.objects.get(kind=Organisation.Kind.NETWORK).pk,
            "p": world.partner_p.organisation.pk, "q": world.partner_q.organisation.pk}
