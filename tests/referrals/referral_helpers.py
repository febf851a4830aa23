"""Building blocks for referral tests: a complete fictional case, a partner with a service, an
agreement and a user, consents, and referrals walked to any status through the real services.
Every name is fictional."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from intake.consent import consent_record
from intake.models import Case, CaseStatus
from intake.services import case_create, refresh_derived_fields
from northstar.accounts.models import Organisation, User
from referrals import services
from referrals.models import PartnerService, Referral, ReferralStatus
from referrals.selectors import draft_preview
from tests.factories import OrganisationFactory, UserFactory
from tests.referrals.factories import DataSharingAgreementFactory, PartnerServiceFactory

TODAY = timezone.localdate()

# Values planted in the case; tests look for them (or their absence) in rendered pages.
CLIENT = {
    "given_name": "Marisol", "family_name": "Testcase", "aliases": ["Mari T."],
    "date_of_birth": datetime.date(1994, 3, 12), "languages": ["es", "en"],
    "preferred_language": "es", "contact_method": "signal",
    "contact_details": "+1 555 0100 7788", "safe_to_call": False,
    "safe_to_leave_message": False, "code_word": "herongate", "contact_notes": "Evenings",
    "us_city": "Plattsburghville", "us_state": "NY",
}
CASE_BLOCKS = {
    "person": {"citizenships": ["HN"], "stateless": False, "current_location": "us",
               "us_status": "pending_asylum", "canadian_status": "none",
               "marital_status": "single"},
    "plan": {"entry_mode": "land_port_of_entry", "entry_date": "2026-12-10",
             "claim_status": "planned"},
    "household": [{"name": "Quillon Testcase", "relationship": "son",
                   "date_of_birth": "2018-05-01"}],
    "relatives_in_canada": [{"relationship": "brother", "status": "permanent_resident",
                             "in_canada": True, "province": "QC", "age": 35}],
    "prior_claims": [{"country": "US", "date": "2025-06-01", "kind": "asylum_affirmative",
                      "outcome": "pending"}],
    "fear": {"grounds": ["particular_social_group"], "agents_of_harm": ["non_state"],
             "countries": ["HN"]},
    "economic": {"education": "secondary", "intended_province": "QC"},
    "detention_risk": "high", "urgency_notes": "Check-in with ICE next month",
}


def make_case(actor: User, *, status: str = CaseStatus.OPEN, **client_changes) -> Case:
    """A complete, opened case of a fictional client (data written directly: the intake's
    own tests cover how it gets there)."""
    case = case_create(actor=actor, given_name=CLIENT["given_name"],
                       family_name=CLIENT["family_name"],
                       date_of_birth=CLIENT["date_of_birth"])
    client = case.client
    for name, value in {**CLIENT, **client_changes}.items():
        setattr(client, name, value)
    client.save()
    for name, value in CASE_BLOCKS.items():
        setattr(case, name, value)
    case.status = status
    case.opened_at = timezone.now() if status != CaseStatus.DRAFT else None
    refresh_derived_fields(case)
    case.save()
    return case


@dataclass
class Partner:
    organisation: Organisation
    service: PartnerService
    user: User


def make_partner(service_type: str = "shelter", *, agreement: bool = True,
                 languages=("es", "fr"), provinces=("QC",), **service_fields) -> Partner:
    organisation = OrganisationFactory()
    service = PartnerServiceFactory(organisation=organisation, service_type=service_type,
                                    languages=list(languages), provinces=list(provinces),
                                    **service_fields)
    if agreement:
        DataSharingAgreementFactory(organisation=organisation)
    return Partner(organisation, service, UserFactory(partner=True, organisation=organisation))


def give_consent(case: Case, actor: User, *, partner: Partner | None = None,
                 service_type: str = "", purpose: str = "referral", **fields):
    return consent_record(actor=actor, case=case, purpose=purpose, method="verbal",
                          given_by="client", given_on=fields.pop("given_on", TODAY),
                          partner=partner.organisation if partner else None,
                          service_type=service_type, **fields)


def draft_for(case: Case, partner: Partner, actor: User, fields=()) -> Referral:
    return services.referral_create(actor=actor, case=case, service=partner.service,
                                    fields=list(fields))


def send(referral: Referral, actor: User) -> Referral:
    """Send as the view does: with the fingerprint of the preview."""
    fresh = Referral.objects.select_related("case", "case__client").get(pk=referral.pk)
    return services.referral_send(actor=actor, referral=fresh,
                                  preview_fingerprint=draft_preview(fresh)["fingerprint"])


# How to reach each status from a draft: (service function, needs a partner actor, kwargs).
PATHS = {
    ReferralStatus.DRAFT: [],
    ReferralStatus.SENT: ["send"],
    ReferralStatus.ACCEPTED: ["send", "accept"],
    ReferralStatus.DECLINED: ["send", "decline"],
    ReferralStatus.EXPIRED: ["send", "expire"],
    ReferralStatus.WITHDRAWN: ["send", "withdraw"],
    ReferralStatus.IN_PROGRESS: ["send", "accept", "start"],
    ReferralStatus.COMPLETED: ["send", "accept", "start", "complete"],
    ReferralStatus.HANDED_BACK: ["send", "accept", "hand_back"],
}


def walk_to(referral: Referral, status: str, *, coordinator: User, partner: User) -> Referral:
    """Move a draft to ``status`` through the real services."""
    steps = {
        "send": lambda r: send(r, coordinator),
        "accept": lambda r: services.referral_accept(actor=partner, referral=r),
        "decline": lambda r: services.referral_decline(actor=partner, referral=r,
                                                       reason="no_capacity"),
        "expire": lambda r: services.referral_expire(referral=r),
        "withdraw": lambda r: services.referral_withdraw(actor=coordinator, referral=r),
        "start": lambda r: services.referral_start(actor=partner, referral=r),
        "complete": lambda r: services.referral_complete(actor=partner, referral=r),
        "hand_back": lambda r: services.referral_hand_back(actor=partner, referral=r,
                                                           note="We cannot continue"),
    }
    for step in PATHS[status]:
        referral = steps[step](Referral.objects.get(pk=referral.pk))
    referral = Referral.objects.get(pk=referral.pk)
    assert referral.status == status
    return referral


@dataclass
class World:
    """A coordinator, the counsellor who owns the case, a partner with consent and agreement,
    and another partner organisation."""

    coordinator: User
    counsellor: User
    case: Case
    partner: Partner
    other_partner: Partner


def make_world(service_type: str = "shelter") -> World:
    coordinator = UserFactory(coordinator=True)
    counsellor = UserFactory(counsellor=True)
    case = make_case(counsellor)
    partner = make_partner(service_type)
    other = make_partner(service_type)
    give_consent(case, counsellor, partner=partner)
    give_consent(case, counsellor, partner=other)
    return World(coordinator, counsellor, case, partner, other)
