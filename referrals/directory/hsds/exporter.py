"""Export the directory as an HSDS 3.x organization list page (see ``format``).

Contacts are left out by default: a partner's staff names, phones and e-mails are personal
data, and an export travels further than the database. ``include_contacts=True`` puts them
in (for moving a directory between Northstar installations); the export is audited either way.
"""

from __future__ import annotations

import uuid

from django.db.models import Prefetch
from django.utils import translation

from northstar.audit.services import audit_record
from referrals.directory.hsds.format import (
    ACCEPTING_FIELD,
    HSDS_VERSION,
    ID_NAMESPACE,
    SERVICE_TYPE_TAXONOMY,
)
from referrals.directory.languages import language_name
from referrals.models import (
    PartnerContact,
    PartnerLocation,
    PartnerProfile,
    PartnerService,
    Province,
    ServiceType,
)

NAMESPACE = uuid.UUID(ID_NAMESPACE)


def derived_id(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


def directory_hsds_export(*, actor=None, include_contacts: bool = False) -> dict:
    """The whole directory as an HSDS page object (``json.dumps``-ready). Audited."""
    document = hsds_document(include_contacts=include_contacts)
    audit_record("directory.hsds_exported", actor=actor, object_type="referrals.directory",
                 details={"organizations": document["total_items"],
                          "contacts_included": include_contacts})
    return document


def hsds_document(*, include_contacts: bool = False) -> dict:
    """Read the directory into an HSDS page (five queries, six with contacts)."""
    services = PartnerService.objects.prefetch_related("languages", "provinces_served") \
        .order_by("name", "hsds_id")
    prefetches = [
        Prefetch("organisation__partner_services", queryset=services),
        Prefetch("organisation__partner_locations",
                 queryset=PartnerLocation.objects.order_by("name", "hsds_id")),
    ]
    if include_contacts:
        prefetches.append(Prefetch("organisation__partner_contacts",
                                   queryset=PartnerContact.objects.select_related("service")
                                   .order_by("hsds_id")))
    profiles = PartnerProfile.objects.select_related("organisation") \
        .prefetch_related(*prefetches).order_by("organisation__name", "hsds_id")
    with translation.override("en"):
        contents = [organisation_json(profile, include_contacts) for profile in profiles]
    return {"hsds_version": HSDS_VERSION, "total_items": len(contents), "total_pages": 1,
            "page_number": 1, "size": len(contents), "first_page": True, "last_page": True,
            "empty": not contents, "contents": contents}


def organisation_json(profile: PartnerProfile, include_contacts: bool) -> dict:
    organisation = profile.organisation
    contacts = list(organisation.partner_contacts.all()) if include_contacts else []
    by_service: dict[int | None, list[PartnerContact]] = {}
    for contact in contacts:
        by_service.setdefault(contact.service_id, []).append(contact)
    data = {
        "id": profile.hsds_id, "name": organisation.name,
        "alternate_name": profile.alternate_name, "description": profile.description,
        "email": profile.email, "website": profile.website,
        "services": [service_json(service, profile.hsds_id, by_service.get(service.pk, []),
                                  include_contacts)
                     for service in organisation.partner_services.all()],
        "locations": [location_json(location, profile.hsds_id)
                      for location in organisation.partner_locations.all()],
    }
    if include_contacts:
        data["contacts"] = [contact_json(contact, profile.hsds_id)
                            for contact in by_service.get(None, [])]
    return data


def service_json(service: PartnerService, organisation_id: str,
                 contacts: list[PartnerContact], include_contacts: bool) -> dict:
    sid = service.hsds_id
    term_id = derived_id("service-type", service.service_type)
    label = str(ServiceType(service.service_type).label)
    data = {
        "id": sid, "organization_id": organisation_id, "name": service.name,
        "status": service.status, "description": service.description,
        "eligibility_description": service.eligibility_notes,
        "fees_description": service.fees,
        "minimum_age": service.min_age, "maximum_age": service.max_age,
        "attributes": [{
            "id": derived_id(sid, "attribute", "service-type"), "link_id": sid,
            "link_type": "service_type", "link_entity": "service",
            "taxonomy_term_id": term_id,
            "taxonomy_term": {"id": term_id, "code": service.service_type, "name": label,
                              "description": label, "taxonomy": SERVICE_TYPE_TAXONOMY},
        }],
        "languages": [{"id": derived_id(sid, "language", code), "service_id": sid,
                       "name": language_name(code), "code": code}
                      for code in service.language_codes],
        "service_areas": [{"id": derived_id(sid, "service-area", code), "service_id": sid,
                           "name": code, "description": str(Province(code).label),
                           "extent_type": "text"}
                          for code in service.province_codes],
        "capacities": [capacity_json(service)] if service.has_capacity_figures else [],
        ACCEPTING_FIELD: service.accepting_referrals,
    }
    if include_contacts:
        data["contacts"] = [contact_json(contact, organisation_id) for contact in contacts]
    return data


def capacity_json(service: PartnerService) -> dict:
    sid = service.hsds_id
    return {
        "id": derived_id(sid, "capacity"), "service_id": sid,
        "unit": {"id": derived_id("unit", service.capacity_unit), "name": service.capacity_unit,
                 "scheme": "northstar"},
        "available": service.capacity_available, "maximum": service.capacity_maximum,
        "updated": service.capacity_updated_at.isoformat(),
    }


def location_json(location: PartnerLocation, organisation_id: str) -> dict:
    lid = location.hsds_id
    return {
        "id": lid, "organization_id": organisation_id, "location_type": location.location_type,
        "name": location.name,
        "addresses": [{
            "id": derived_id(lid, "address"), "location_id": lid,
            "address_1": location.address_1, "address_2": location.address_2,
            "city": location.city, "state_province": location.province,
            "postal_code": location.postal_code, "country": "CA",
            "address_type": location.location_type,
        }],
    }


def contact_json(contact: PartnerContact, organisation_id: str) -> dict:
    data = {"id": contact.hsds_id, "organization_id": organisation_id, "name": contact.name,
            "title": contact.title, "email": contact.email}
    if contact.service_id is not None:
        data["service_id"] = contact.service.hsds_id
    data["phones"] = [{"id": derived_id(contact.hsds_id, "phone"), "number": contact.phone}] \
        if contact.phone else []
    return data
