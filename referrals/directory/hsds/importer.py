"""Import an HSDS file into the directory: all or nothing, idempotent.

1. ``Reader`` checks the whole file; any problem and nothing is written.
2. The ids and names are checked against the database (an HSDS id already used by another
   organisation's row, an organisation name taken by another organisation).
3. In one transaction, rows are created or updated, keyed on their HSDS ids. Importing the same
   file again changes nothing.

Rules worth knowing:

* An organization is matched by its HSDS id; failing that, by name to a partner organisation
  not yet in the directory (so an admin can create the organisation for its users first).
* Import only adds and updates: services, locations and contacts missing from the file are
  kept (referrals may point at a service). Remove them through the admin if needed.
* Capacity in the file replaces Northstar's only when it is at least as recent
  (``capacities[0].updated`` ≥ ``capacity_updated_at``): a partner's own newer report wins.
* ``x_accepting_referrals`` absent: new services accept referrals, existing ones keep their
  switch.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from northstar.accounts.models import Organisation
from northstar.audit.services import audit_record
from referrals.directory.hsds.reader import Reader
from referrals.directory.hsds.records import (
    ContactRecord,
    LocationRecord,
    OrganisationRecord,
    Problem,
    ServiceRecord,
)
from referrals.directory.services import set_reach
from referrals.models import (
    PartnerContact,
    PartnerLocation,
    PartnerProfile,
    PartnerService,
)

KINDS = ("organizations", "services", "locations", "contacts")


@dataclass
class ImportResult:
    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, Counter] = field(default_factory=lambda: {kind: Counter() for kind in KINDS})
    capacity_kept: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def errors(self) -> list[str]:
        return [str(problem) for problem in self.problems]

    def summary_lines(self) -> list[str]:
        lines = []
        for kind in KINDS:
            count = self.counts[kind]
            lines.append(f"{kind}: {count['created']} created, {count['updated']} updated, "
                         f"{count['unchanged']} unchanged")
        if self.capacity_kept:
            lines.append(f"capacity kept for {self.capacity_kept} service(s): Northstar's "
                         "figures are more recent than the file's")
        return lines

    def audit_details(self) -> dict:
        return {kind: dict(self.counts[kind]) for kind in KINDS} | {
            "capacity_kept": self.capacity_kept}


def directory_hsds_import(*, actor=None, source: bytes | str) -> ImportResult:
    """Import an HSDS organization list (see ``referrals.directory.hsds.format``). Returns the
    problems (``line N: …``; nothing imported) or the counts of what changed."""
    reader = Reader()
    records = reader.read(source)
    if records is None:
        return ImportResult(problems=reader.problems)
    with transaction.atomic():
        existing = Existing.load(records)
        problems = existing.conflicts(records)
        if problems:
            return ImportResult(problems=sorted(problems))
        result = ImportResult()
        for record in records:
            Applier(existing, result).organisation(record)
        audit_record("directory.hsds_imported", actor=actor, object_type="referrals.directory",
                     details=result.audit_details())
    return result


@dataclass
class Existing:
    """The rows the file's ids and names refer to, loaded in five queries."""

    profiles: dict[str, PartnerProfile]
    organisations_by_name: dict[str, Organisation]
    services: dict[str, PartnerService]
    locations: dict[str, PartnerLocation]
    contacts: dict[str, PartnerContact]

    @classmethod
    def load(cls, records: list[OrganisationRecord]) -> Existing:
        services = [s for r in records for s in r.services]
        contacts = [*(c for r in records for c in r.contacts),
                    *(c for s in services for c in s.contacts)]
        return cls(
            profiles={p.hsds_id: p for p in PartnerProfile.objects.select_related(
                "organisation").filter(hsds_id__in=[r.hsds_id for r in records])},
            organisations_by_name={o.name: o for o in Organisation.objects.select_related(
                "partner_profile").filter(name__in=[r.name for r in records])},
            services={s.hsds_id: s for s in PartnerService.objects.prefetch_related(
                "languages", "provinces_served").filter(
                hsds_id__in=[s.hsds_id for s in services])},
            locations={loc.hsds_id: loc for loc in PartnerLocation.objects.filter(
                hsds_id__in=[loc.hsds_id for r in records for loc in r.locations])},
            contacts={c.hsds_id: c for c in PartnerContact.objects.filter(
                hsds_id__in=[c.hsds_id for c in contacts])},
        )

    def organisation_for(self, record: OrganisationRecord) -> Organisation | None:
        profile = self.profiles.get(record.hsds_id)
        if profile is not None:
            return profile.organisation
        return self.organisations_by_name.get(record.name)

    def conflicts(self, records: list[OrganisationRecord]) -> list[Problem]:
        problems = []
        for record in records:
            problems.extend(self.organisation_conflicts(record))
            organisation = self.organisation_for(record)
            owner = organisation.pk if organisation is not None else None
            children = [("service", s.line, s.hsds_id, self.services) for s in record.services]
            children += [("location", loc.line, loc.hsds_id, self.locations)
                         for loc in record.locations]
            children += [("contact", c.line, c.hsds_id, self.contacts)
                         for c in all_contacts(record)]
            for kind, line, hsds_id, rows in children:
                row = rows.get(hsds_id)
                if row is not None and row.organisation_id != owner:
                    problems.append(Problem(line, f'{kind}: id "{hsds_id}" belongs to another '
                                                  "organisation in Northstar"))
        return problems

    def organisation_conflicts(self, record: OrganisationRecord) -> list[Problem]:
        by_name = self.organisations_by_name.get(record.name)
        profile = self.profiles.get(record.hsds_id)
        line = record.name_line
        if profile is not None:
            if by_name is not None and by_name.pk != profile.organisation_id:
                return [Problem(line, f'organization.name: "{record.name}" is the name of '
                                      "another organisation in Northstar")]
            return []
        if by_name is None:
            return []
        if by_name.kind != Organisation.Kind.PARTNER:
            return [Problem(line, f'organization.name: "{record.name}" is the network\'s own '
                                  "organisation, not a partner")]
        other = getattr(by_name, "partner_profile", None)
        if other is not None:
            return [Problem(line, f'organization.name: "{record.name}" is already in the '
                                  f'directory with id "{other.hsds_id}"')]
        return []


def all_contacts(record: OrganisationRecord) -> list[ContactRecord]:
    return [*record.contacts, *(c for s in record.services for c in s.contacts)]


def save_changes(instance, values: dict) -> str:
    """Create or update ``instance`` with ``values``; 'created', 'updated' or 'unchanged'."""
    if instance.pk is None:
        for name, value in values.items():
            setattr(instance, name, value)
        instance.save()
        return "created"
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, values[name])
    if changed:
        instance.save(update_fields=changed)
        return "updated"
    return "unchanged"


class Applier:
    def __init__(self, existing: Existing, result: ImportResult):
        self.existing = existing
        self.result = result

    def count(self, kind: str, outcome: str) -> None:
        self.result.counts[kind][outcome] += 1

    def organisation(self, record: OrganisationRecord) -> None:
        organisation = self.existing.organisation_for(record)
        outcome = "unchanged"
        if organisation is None:
            organisation = Organisation.objects.create(name=record.name,
                                                       kind=Organisation.Kind.PARTNER)
            outcome = "created"
        elif organisation.name != record.name:
            organisation.name = record.name
            organisation.save(update_fields=["name"])
            outcome = "updated"
        profile = PartnerProfile.objects.filter(organisation=organisation).first() \
            or PartnerProfile(organisation=organisation)
        profile_outcome = save_changes(profile, {
            "hsds_id": record.hsds_id, "alternate_name": record.alternate_name,
            "description": record.description, "email": record.email,
            "website": record.website})
        if outcome == "unchanged" and profile_outcome != "unchanged":
            outcome = "updated"
            PartnerProfile.objects.filter(pk=profile.pk).update(updated_at=timezone.now())
        self.count("organizations", outcome)
        services = {s.hsds_id: self.service(organisation, s) for s in record.services}
        for location in record.locations:
            self.location(organisation, location)
        for contact in all_contacts(record):
            self.contact(organisation, contact, services.get(contact.service_hsds_id))

    def service(self, organisation: Organisation, record: ServiceRecord) -> PartnerService:
        service = self.existing.services.get(record.hsds_id) or PartnerService(
            organisation=organisation, hsds_id=record.hsds_id)
        is_new = service.pk is None
        values = {
            "service_type": record.service_type, "name": record.name, "status": record.status,
            "description": record.description, "eligibility_notes": record.eligibility_notes,
            "fees": record.fees, "min_age": record.min_age, "max_age": record.max_age,
        }
        if record.accepting_referrals is not None:
            values["accepting_referrals"] = record.accepting_referrals
        values.update(self.capacity_values(service, record))
        outcome = save_changes(service, values)
        old_reach = ([], []) if is_new else (service.language_codes, service.province_codes)
        if old_reach != (record.languages, record.provinces):
            set_reach(service, record.languages, record.provinces)
            outcome = "updated" if outcome == "unchanged" else outcome
        if outcome == "updated":
            PartnerService.objects.filter(pk=service.pk).update(updated_at=timezone.now())
        self.count("services", outcome)
        return service

    def capacity_values(self, service: PartnerService, record: ServiceRecord) -> dict:
        capacity = record.capacity
        if capacity is None:
            return {}
        current = service.capacity_updated_at
        if current is not None and capacity.updated < current:
            self.result.capacity_kept += 1
            return {}
        return {"capacity_available": capacity.available,
                "capacity_maximum": capacity.maximum, "capacity_unit": capacity.unit,
                "capacity_updated_at": capacity.updated}

    def location(self, organisation: Organisation, record: LocationRecord) -> None:
        location = self.existing.locations.get(record.hsds_id) or PartnerLocation(
            organisation=organisation, hsds_id=record.hsds_id)
        self.count("locations", save_changes(location, {
            "name": record.name, "location_type": record.location_type,
            "address_1": record.address_1, "address_2": record.address_2,
            "city": record.city, "province": record.province,
            "postal_code": record.postal_code}))

    def contact(self, organisation: Organisation, record: ContactRecord,
                service: PartnerService | None) -> None:
        contact = self.existing.contacts.get(record.hsds_id) or PartnerContact(
            organisation=organisation, hsds_id=record.hsds_id)
        self.count("contacts", save_changes(contact, {
            "service_id": service.pk if service is not None else None, "name": record.name,
            "title": record.title, "phone": record.phone, "email": record.email}))
