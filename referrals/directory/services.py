"""Writes on the partner directory. Every function is atomic and audited: the audit row is
written last, in the same transaction. Audit details hold ids, field names and numbers only
(never a contact's name, phone or e-mail)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from northstar.accounts.models import Organisation
from northstar.audit.services import audit_record
from referrals.directory.validation import (
    check_ages,
    check_capacity,
    check_codes,
    normalise_postal_code,
    require_partner,
)
from referrals.models import (
    DataSharingAgreement,
    PartnerContact,
    PartnerLocation,
    PartnerProfile,
    PartnerService,
    PartnerServiceLanguage,
    PartnerServiceProvince,
    Province,
    ServiceStatus,
    ServiceType,
)

PROFILE_FIELDS = ("alternate_name", "description", "email", "website")
SERVICE_FIELDS = ("service_type", "name", "status", "description", "eligibility_notes",
                  "min_age", "max_age", "fees", "accepting_referrals", "capacity_available",
                  "capacity_maximum", "capacity_unit")


@transaction.atomic
def partner_create(*, actor, name: str, description: str = "", alternate_name: str = "",
                   email: str = "", website: str = "", hsds_id: str | None = None
                   ) -> Organisation:
    """Create a partner organisation and its directory profile."""
    if Organisation.objects.filter(name=name).exists():
        raise ValidationError({"name": _("An organisation with this name exists.")},
                              code="duplicate_name")
    organisation = Organisation.objects.create(name=name, kind=Organisation.Kind.PARTNER)
    profile = PartnerProfile(organisation=organisation, description=description,
                             alternate_name=alternate_name, email=email, website=website)
    if hsds_id:
        profile.hsds_id = hsds_id
    profile.full_clean()
    profile.save()
    audit_record("directory.partner_created", actor=actor, target=organisation,
                 details={"profile": profile.pk})
    return organisation


@transaction.atomic
def partner_profile_ensure(*, actor, organisation: Organisation, **values) -> PartnerProfile:
    """Put an existing partner organisation in the directory (or update its profile)."""
    require_partner(organisation)
    profile, created = PartnerProfile.objects.select_for_update().get_or_create(
        organisation=organisation)
    changed = [field for field in PROFILE_FIELDS
               if field in values and getattr(profile, field) != values[field]]
    for field in changed:
        setattr(profile, field, values[field])
    if changed or created:
        profile.updated_at = timezone.now()
        profile.full_clean()
        profile.save()
        audit_record("directory.partner_profile_saved", actor=actor, target=organisation,
                     details={"created": created, "fields": changed})
    return profile


def set_reach(service: PartnerService, languages: Sequence[str],
              provinces: Sequence[str]) -> None:
    """Replace the service's languages and provinces (codes already checked)."""
    service.languages.all().delete()
    service.provinces_served.all().delete()
    PartnerServiceLanguage.objects.bulk_create(
        PartnerServiceLanguage(service=service, code=code) for code in languages)
    PartnerServiceProvince.objects.bulk_create(
        PartnerServiceProvince(service=service, province=code) for code in provinces)


def check_service(values: dict) -> None:
    if values.get("service_type") not in ServiceType.values:
        raise ValidationError({"service_type": _("Unknown service type.")}, code="service_type")
    if values.get("status", ServiceStatus.ACTIVE) not in ServiceStatus.values:
        raise ValidationError({"status": _("Unknown status.")}, code="status")
    check_ages(values.get("min_age"), values.get("max_age"))
    check_capacity(values.get("capacity_available"), values.get("capacity_maximum"))


@transaction.atomic
def partner_service_create(*, actor, organisation: Organisation, service_type: str, name: str,
                           languages: Sequence[str] = (), provinces: Sequence[str] = (),
                           hsds_id: str | None = None, **values) -> PartnerService:
    """Add a service to a partner in the directory. ``values``: any of ``SERVICE_FIELDS``.
    ``capacity_updated_at`` is set when capacity figures are given."""
    require_partner(organisation)
    unknown = set(values) - set(SERVICE_FIELDS)
    if unknown:
        raise TypeError(f"unknown service fields: {sorted(unknown)}")
    values = {**values, "service_type": service_type, "name": name}
    check_service(values)
    languages, provinces = check_codes(languages, provinces)
    PartnerProfile.objects.get_or_create(organisation=organisation)
    service = PartnerService(organisation=organisation, **values)
    if hsds_id:
        service.hsds_id = hsds_id
    if service.has_capacity_figures:
        service.capacity_updated_at = timezone.now()
    service.save()
    set_reach(service, languages, provinces)
    audit_record("directory.service_created", actor=actor, target=service,
                 details={"organisation": organisation.pk, "service_type": service_type})
    return service


@transaction.atomic
def partner_service_update(*, actor, service: PartnerService,
                           languages: Sequence[str] | None = None,
                           provinces: Sequence[str] | None = None, **values) -> PartnerService:
    """Change a service's description, eligibility, reach or capacity. Only the given fields
    change; ``languages``/``provinces`` replace the current sets when given."""
    unknown = set(values) - set(SERVICE_FIELDS)
    if unknown:
        raise TypeError(f"unknown service fields: {sorted(unknown)}")
    service = PartnerService.objects.select_for_update().get(pk=service.pk)
    check_service({**{field: getattr(service, field) for field in SERVICE_FIELDS}, **values})
    changed = [field for field, value in values.items() if getattr(service, field) != value]
    for field in changed:
        setattr(service, field, values[field])
    if {"capacity_available", "capacity_maximum"} & set(changed):
        service.capacity_updated_at = timezone.now()
        changed.append("capacity_updated_at")
    reach_changed = update_reach(service, languages, provinces)
    if changed or reach_changed:
        service.updated_at = timezone.now()
        service.save(update_fields=[*changed, "updated_at"])
        audit_record("directory.service_updated", actor=actor, target=service,
                     details={"fields": sorted({*changed, *reach_changed})})
    return service


def update_reach(service: PartnerService, languages, provinces) -> list[str]:
    current_languages = sorted(service.languages.values_list("code", flat=True))
    current_provinces = sorted(service.provinces_served.values_list("province", flat=True))
    new_languages, new_provinces = check_codes(
        current_languages if languages is None else languages,
        current_provinces if provinces is None else provinces)
    changed = [name for name, old, new in (("languages", current_languages, new_languages),
                                           ("provinces", current_provinces, new_provinces))
               if old != new]
    if changed:
        set_reach(service, new_languages, new_provinces)
    return changed


@transaction.atomic
def partner_service_capacity_update(*, actor, service: PartnerService, available: int | None,
                                    maximum: int | None,
                                    accepting_referrals: bool | None = None) -> PartnerService:
    """Report current capacity (and optionally flip the accepting switch). Always stamps
    ``capacity_updated_at``: confirming unchanged numbers is news too."""
    check_capacity(available, maximum)
    service = PartnerService.objects.select_for_update().get(pk=service.pk)
    before = {"available": service.capacity_available, "maximum": service.capacity_maximum,
              "accepting": service.accepting_referrals}
    service.capacity_available, service.capacity_maximum = available, maximum
    service.capacity_updated_at = timezone.now()
    fields = ["capacity_available", "capacity_maximum", "capacity_updated_at"]
    if accepting_referrals is not None:
        service.accepting_referrals = accepting_referrals
        fields.append("accepting_referrals")
    service.save(update_fields=fields)
    after = {"available": service.capacity_available, "maximum": service.capacity_maximum,
             "accepting": service.accepting_referrals}
    audit_record("directory.capacity_updated", actor=actor, target=service,
                 details={"organisation": service.organisation_id, "before": before,
                          "after": after})
    return service


@transaction.atomic
def partner_service_accepting_set(*, actor, service: PartnerService,
                                  accepting: bool) -> PartnerService:
    """Open or close a service to new referrals."""
    service = PartnerService.objects.select_for_update().get(pk=service.pk)
    if service.accepting_referrals != accepting:
        service.accepting_referrals = accepting
        service.save(update_fields=["accepting_referrals"])
        audit_record("directory.accepting_changed", actor=actor, target=service,
                     details={"organisation": service.organisation_id, "accepting": accepting})
    return service


@transaction.atomic
def partner_location_add(*, actor, organisation: Organisation, address_1: str, city: str,
                         province: str, postal_code: str, name: str = "",
                         address_2: str = "", location_type: str = "physical",
                         hsds_id: str | None = None) -> PartnerLocation:
    require_partner(organisation)
    postal = normalise_postal_code(postal_code)
    if postal is None:
        raise ValidationError({"postal_code": _("Enter a Canadian postal code (A1A 1A1).")},
                              code="postal_code")
    if province not in Province.values:
        raise ValidationError({"province": _("Unknown province.")}, code="province")
    location = PartnerLocation(organisation=organisation, name=name, address_1=address_1,
                               address_2=address_2, city=city, province=province,
                               postal_code=postal, location_type=location_type)
    if hsds_id:
        location.hsds_id = hsds_id
    location.full_clean()
    location.save()
    audit_record("directory.location_added", actor=actor, target=location,
                 details={"organisation": organisation.pk})
    return location


@transaction.atomic
def partner_contact_add(*, actor, organisation: Organisation, name: str = "", title: str = "",
                        phone: str = "", email: str = "", service: PartnerService | None = None,
                        hsds_id: str | None = None) -> PartnerContact:
    """Record a contact person (name, phone and e-mail are stored encrypted)."""
    require_partner(organisation)
    if email:
        validate_email(email)
    if service is not None and service.organisation_id != organisation.pk:
        raise ValidationError(_("The service belongs to another organisation."),
                              code="service_organisation")
    contact = PartnerContact(organisation=organisation, service=service, name=name,
                             title=title, phone=phone, email=email)
    if hsds_id:
        contact.hsds_id = hsds_id
    contact.save()
    audit_record("directory.contact_added", actor=actor, target=contact,
                 details={"organisation": organisation.pk})
    return contact


@transaction.atomic
def data_sharing_agreement_record(*, actor, organisation: Organisation,
                                  signed_on: datetime.date, expires_on: datetime.date,
                                  document_reference: str) -> DataSharingAgreement:
    """Record a signed data-sharing agreement with a partner."""
    require_partner(organisation)
    if expires_on < signed_on:
        raise ValidationError({"expires_on": _("The agreement expires before it is signed.")},
                              code="agreement_dates")
    agreement = DataSharingAgreement.objects.create(
        organisation=organisation, signed_on=signed_on, expires_on=expires_on,
        document_reference=document_reference)
    audit_record("directory.agreement_recorded", actor=actor, target=agreement,
                 details={"organisation": organisation.pk, "signed_on": signed_on.isoformat(),
                          "expires_on": expires_on.isoformat()})
    return agreement


# --- demo data --------------------------------------------------------------------------------

DEMO_SERVICES = [
    # (service type, name, min age, max age, languages, provinces, available, maximum, unit)
    [(ServiceType.SHELTER, "Emergency family shelter", None, None, ["fr", "en", "es"], ["QC"],
      4, 24, "beds"),
     (ServiceType.MEDICAL, "Walk-in clinic for uninsured people", None, None, ["fr", "en"],
      ["QC"], 10, 30, "appointments per week")],
    [(ServiceType.LEGAL_AID, "Refugee claim legal aid", 16, None, ["en", "fr", "es", "ht"],
      ["ON"], 6, 15, "new files per month"),
     (ServiceType.WORK_PERMIT, "Work permit clinic", 18, None, ["en", "es"], ["ON"], 12, 20,
      "appointments per week")],
    [(ServiceType.SETTLEMENT, "Newcomer settlement support", None, None, ["en", "ar", "so"],
      ["MB", "SK", "AB"], 20, 40, "clients"),
     (ServiceType.INTERPRETATION, "Community interpreters", None, None,
      ["en", "ar", "so", "ti", "am", "es"], ["MB", "SK"], 5, 8, "interpreters"),
     (ServiceType.MENTAL_HEALTH, "Trauma counselling", 12, 25, ["en", "fr"], ["MB"], 0, 6,
      "places")],
]
DEMO_LOCATIONS = [
    ("Maison principale", "1200 rue Fictive", "Montréal", "QC", "H2X 1Y4"),
    ("Clinic office", "45 Example Street, Suite 3", "Ottawa", "ON", "K1P 5J2"),
    ("Welcome centre", "300 Sample Avenue", "Winnipeg", "MB", "R3C 0A1"),
]


@transaction.atomic
def seed_demo_directory(organisations: Iterable[Organisation], *, actor=None
                        ) -> list[PartnerService]:
    """Give each partner organisation a fictional directory entry: a profile, a location,
    two or three services with capacity, and an agreement valid for a year. Cycles through
    three templates. Idempotent: organisations that already have services are skipped."""
    created = []
    today = timezone.localdate()
    for index, organisation in enumerate(org for org in organisations if org.is_partner):
        if organisation.partner_services.exists():
            continue
        partner_profile_ensure(actor=actor, organisation=organisation,
                               description=_("A fictional partner for trying Northstar."))
        name, street, city, province, postal = DEMO_LOCATIONS[index % len(DEMO_LOCATIONS)]
        partner_location_add(actor=actor, organisation=organisation, name=name,
                             address_1=street, city=city, province=province,
                             postal_code=postal)
        for (kind, title, low, high, languages, provinces, available, maximum,
             unit) in DEMO_SERVICES[index % len(DEMO_SERVICES)]:
            created.append(partner_service_create(
                actor=actor, organisation=organisation, service_type=kind, name=title,
                min_age=low, max_age=high, languages=languages, provinces=provinces,
                capacity_available=available, capacity_maximum=maximum, capacity_unit=unit,
                description=_("Fictional demo service."), fees=_("Free")))
        data_sharing_agreement_record(
            actor=actor, organisation=organisation, signed_on=today - datetime.timedelta(days=30),
            expires_on=today + datetime.timedelta(days=335),
            document_reference=f"DEMO-DSA-{organisation.pk:04d}")
    return created
