"""Read and check a whole HSDS file into plain records, collecting every problem with the
line it is on. Nothing here touches the database (``importer`` checks ids and names against
it). Messages never repeat a contact's name, phone or e-mail: they may end up in logs.
"""

from __future__ import annotations

import datetime
import json

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email

from referrals.directory.hsds.format import ACCEPTING_FIELD, SERVICE_TYPE_TAXONOMY
from referrals.directory.hsds.linejson import NON_FINITE, LineDict, LineList, loads_with_lines
from referrals.directory.hsds.records import (
    CapacityRecord,
    ContactRecord,
    LocationRecord,
    OrganisationRecord,
    Problem,
    ServiceRecord,
)
from referrals.directory.languages import LANGUAGE_CODES
from referrals.directory.validation import normalise_postal_code, province_code
from referrals.models import MAXIMUM_AGE, ServiceStatus, ServiceType

MAXIMUM_CAPACITY = 100_000
ID_LENGTH = 100
EMPTY_ADDRESS = {"address_1": "", "address_2": "", "city": "", "province": "",
                 "postal_code": ""}


def json_type(value) -> str:
    if value is None:
        return "null"
    if value is NON_FINITE:
        return "NaN or Infinity"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "an array" if isinstance(value, list) else "an object"


class Reader:
    """``Reader().read(source)`` returns the organisation records, or None when
    ``problems`` is not empty."""

    def __init__(self):
        self.problems: list[Problem] = []
        self.ids: dict[str, dict[str, int]] = {}
        self.names: dict[str, int] = {}

    def error(self, line: int, message: str) -> None:
        self.problems.append(Problem(line, message))

    # --- entry point --------------------------------------------------------------------

    def read(self, source: bytes | str) -> list[OrganisationRecord] | None:
        document = self.decode(source)
        if document is None:
            return None
        items = self.top_level(document)
        records = [self.organisation(item) for item in items]
        if self.problems:
            self.problems.sort()
            return None
        return [record for record in records if record is not None]

    def decode(self, source: bytes | str):
        if isinstance(source, bytes):
            try:
                source = source.decode("utf-8-sig")
            except UnicodeDecodeError as error:
                line = source[:error.start].count(b"\n") + 1
                self.error(line, "the file is not UTF-8 text")
                return None
        if not source.strip():
            self.error(1, "the file is empty")
            return None
        try:
            return loads_with_lines(source)
        except json.JSONDecodeError as error:
            self.error(error.lineno, f"invalid JSON: {error.msg} (column {error.colno})")
            return None
        except RecursionError:
            self.error(1, "invalid JSON: nested too deeply")
            return None

    def top_level(self, document) -> list:
        if isinstance(document, LineDict) and isinstance(document.get("contents"), LineList):
            self.check_keys(document, "page")
            return self.items(document["contents"], "organization")
        if isinstance(document, LineList):
            return self.items(document, "organization")
        line = getattr(document, "line", 1)
        self.error(line, 'expected a list of organizations, or an HSDS page with "contents"')
        return []

    # --- field helpers ------------------------------------------------------------------

    def check_keys(self, obj: LineDict, kind: str) -> None:
        for key, line in obj.duplicate_keys:
            self.error(line, f'{kind}: duplicate key "{key}"')

    def items(self, array: LineList, kind: str) -> list[LineDict]:
        objects = []
        for index, item in enumerate(array):
            if isinstance(item, LineDict):
                self.check_keys(item, kind)
                objects.append(item)
            else:
                self.error(array.line_of(index), f"{kind}: must be an object, not "
                                                 f"{json_type(item)}")
        return objects

    def children(self, obj: LineDict, kind: str, key: str, item_kind: str) -> list[LineDict]:
        value = obj.get(key)
        if value is None:
            return []
        if not isinstance(value, LineList):
            self.error(obj.line_of(key), f"{kind}.{key}: must be an array, not "
                                         f"{json_type(value)}")
            return []
        return self.items(value, item_kind)

    def text(self, obj: LineDict, kind: str, key: str, *, required: bool = False,
             blank: bool = True, max_length: int | None = None) -> str:
        value = obj.get(key)
        if value is None:
            if required:
                self.error(obj.line, f'{kind}: missing required field "{key}"')
            return ""
        line = obj.line_of(key)
        if not isinstance(value, str):
            self.error(line, f"{kind}.{key}: must be a string, not {json_type(value)}")
            return ""
        if "\x00" in value:
            self.error(line, f"{kind}.{key}: contains a NUL character")
            return ""
        if not blank and not value.strip():
            self.error(line, f"{kind}.{key}: must not be empty")
        if max_length is not None and len(value) > max_length:
            self.error(line, f"{kind}.{key}: longer than {max_length} characters")
        return value.strip()

    def identifier(self, obj: LineDict, kind: str) -> str:
        value = self.text(obj, kind, "id", required=True, blank=False, max_length=ID_LENGTH)
        if value:
            seen = self.ids.setdefault(kind, {})
            if value in seen:
                self.error(obj.line_of("id"), f'{kind}: duplicate id "{value}" '
                                              f"(first on line {seen[value]})")
            else:
                seen[value] = obj.line_of("id")
        return value

    def whole_number(self, obj: LineDict, kind: str, key: str, *, maximum: int,
                     required: bool = False) -> int | None:
        value = obj.get(key)
        if value is None:
            if required:
                self.error(obj.line, f'{kind}: missing required field "{key}"')
            return None
        line = obj.line_of(key)
        is_number = isinstance(value, int | float) and not isinstance(value, bool)
        if not is_number or (isinstance(value, float) and not value.is_integer()):
            self.error(line, f"{kind}.{key}: must be a whole number, not {json_type(value)}"
                       if not is_number else f"{kind}.{key}: must be a whole number")
            return None
        if not 0 <= value <= maximum:
            self.error(line, f"{kind}.{key}: {int(value)} is not between 0 and {maximum}")
            return None
        return int(value)

    def boolean(self, obj: LineDict, kind: str, key: str) -> bool | None:
        value = obj.get(key)
        if value is None:
            return None
        if not isinstance(value, bool):
            self.error(obj.line_of(key), f"{kind}.{key}: must be true or false, not "
                                         f"{json_type(value)}")
            return None
        return value

    def date_time(self, obj: LineDict, kind: str, key: str) -> datetime.datetime | None:
        text = self.text(obj, kind, key, required=True)
        if not text:
            return None
        line = obj.line_of(key)
        try:
            value = datetime.datetime.fromisoformat(text)
        except ValueError:
            self.error(line, f"{kind}.{key}: not an ISO 8601 date-time")
            return None
        if value.tzinfo is None:
            self.error(line, f"{kind}.{key}: needs a time zone (e.g. 2026-01-05T10:00:00Z)")
            return None
        return value

    def email(self, obj: LineDict, kind: str) -> str:
        value = self.text(obj, kind, "email", max_length=254)
        if value:
            try:
                validate_email(value)
            except ValidationError:
                self.error(obj.line_of("email"), f"{kind}.email: not a valid e-mail address")
        return value

    # --- objects ------------------------------------------------------------------------

    def organisation(self, obj: LineDict) -> OrganisationRecord | None:
        kind = "organization"
        hsds_id = self.identifier(obj, kind)
        name = self.text(obj, kind, "name", required=True, blank=False, max_length=200)
        if name:
            if name in self.names:
                self.error(obj.line_of("name"), f'organization.name: "{name}" is used twice '
                                                f"(first on line {self.names[name]})")
            self.names.setdefault(name, obj.line_of("name"))
        website = self.text(obj, kind, "website", max_length=200)
        if website:
            try:
                URLValidator(schemes=["http", "https"])(website)
            except ValidationError:
                self.error(obj.line_of("website"), "organization.website: not a web address")
        return OrganisationRecord(
            line=obj.line, name_line=obj.line_of("name"), hsds_id=hsds_id, name=name,
            alternate_name=self.text(obj, kind, "alternate_name", max_length=200),
            description=self.text(obj, kind, "description", required=True),
            email=self.email(obj, kind), website=website,
            services=[self.service(item, hsds_id)
                      for item in self.children(obj, kind, "services", "service")],
            locations=[self.location(item)
                       for item in self.children(obj, kind, "locations", "location")],
            contacts=[self.contact(item, None)
                      for item in self.children(obj, kind, "contacts", "contact")],
        )

    def service(self, obj: LineDict, organisation_id: str) -> ServiceRecord:
        kind = "service"
        hsds_id = self.identifier(obj, kind)
        parent = obj.get("organization_id")
        if parent is not None and parent != organisation_id:
            self.error(obj.line_of("organization_id"), "service.organization_id: not the id "
                                                       "of the enclosing organization")
        status = self.text(obj, kind, "status", required=True)
        if status and status not in ServiceStatus.values:
            self.error(obj.line_of("status"), f'service.status: unknown status "{status}" '
                       "(expected active, inactive, defunct or temporarily closed)")
        min_age = self.whole_number(obj, kind, "minimum_age", maximum=MAXIMUM_AGE)
        max_age = self.whole_number(obj, kind, "maximum_age", maximum=MAXIMUM_AGE)
        if min_age is not None and max_age is not None and min_age > max_age:
            self.error(obj.line_of("minimum_age"),
                       f"service.minimum_age: {min_age} is above maximum_age {max_age}")
        fees = self.text(obj, kind, "fees_description") or self.text(obj, kind, "fees")
        return ServiceRecord(
            line=obj.line, hsds_id=hsds_id,
            name=self.text(obj, kind, "name", required=True, blank=False, max_length=200),
            status=status, service_type=self.service_type(obj),
            description=self.text(obj, kind, "description"),
            eligibility_notes=self.text(obj, kind, "eligibility_description"),
            fees=fees, min_age=min_age, max_age=max_age,
            languages=self.languages(obj), provinces=self.provinces(obj),
            accepting_referrals=self.boolean(obj, kind, ACCEPTING_FIELD),
            capacity=self.capacity(obj),
            contacts=[self.contact(item, hsds_id)
                      for item in self.children(obj, kind, "contacts", "contact")],
        )

    def service_type(self, obj: LineDict) -> str:
        found: list[tuple[str, int]] = []
        for attribute in self.children(obj, "service", "attributes", "attribute"):
            term = attribute.get("taxonomy_term")
            if not isinstance(term, LineDict) or term.get("taxonomy") != SERVICE_TYPE_TAXONOMY:
                continue
            code, line = term.get("code"), term.line_of("code")
            if not isinstance(code, str) or code not in ServiceType.values:
                shown = f'"{code}"' if isinstance(code, str) else json_type(code)
                self.error(line, f"service: unknown service type {shown} (expected one of "
                                 f"{', '.join(ServiceType.values)})")
            found.append((code, line))
        if not found:
            self.error(obj.line, "service: no service type (an attribute whose "
                                 f'taxonomy_term.taxonomy is "{SERVICE_TYPE_TAXONOMY}")')
            return ""
        if len(found) > 1:
            self.error(found[1][1], "service: more than one service type")
        return found[0][0] if isinstance(found[0][0], str) else ""

    def languages(self, obj: LineDict) -> list[str]:
        codes = []
        for item in self.children(obj, "service", "languages", "language"):
            code = self.text(item, "language", "code", required=True, blank=False).lower()
            if code and code not in LANGUAGE_CODES:
                self.error(item.line_of("code"),
                           f'language.code: unknown ISO 639-1 language code "{code}"')
            elif code:
                codes.append(code)
        return sorted(set(codes))

    def provinces(self, obj: LineDict) -> list[str]:
        codes = []
        for item in self.children(obj, "service", "service_areas", "service_area"):
            name = self.text(item, "service_area", "name", required=True, blank=False)
            code = province_code(name) if name else None
            if name and code is None:
                self.error(item.line_of("name"), "service_area.name: unknown Canadian province "
                                                 f'or territory "{name}"')
            elif code:
                codes.append(code)
        return sorted(set(codes))

    def capacity(self, obj: LineDict) -> CapacityRecord | None:
        items = self.children(obj, "service", "capacities", "capacity")
        if not items:
            return None
        if len(items) > 1:
            self.error(items[1].line, "service.capacities: Northstar keeps one capacity per "
                                      f"service; found {len(items)}")
        item = items[0]
        available = self.whole_number(item, "capacity", "available", maximum=MAXIMUM_CAPACITY,
                                      required=True)
        maximum = self.whole_number(item, "capacity", "maximum", maximum=MAXIMUM_CAPACITY,
                                    required=True)
        if available is not None and maximum is not None and available > maximum:
            self.error(item.line_of("available"),
                       f"capacity.available: {available} is above maximum {maximum}")
        updated = self.date_time(item, "capacity", "updated")
        unit = item.get("unit")
        unit_name = ""
        if isinstance(unit, LineDict):
            unit_name = self.text(unit, "unit", "name", max_length=50)
        elif unit is not None:
            self.error(item.line_of("unit"), f"capacity.unit: must be an object, not "
                                             f"{json_type(unit)}")
        if available is None or maximum is None or updated is None:
            return None
        return CapacityRecord(available, maximum, unit_name, updated)

    def location(self, obj: LineDict) -> LocationRecord:
        kind = "location"
        hsds_id = self.identifier(obj, kind)
        location_type = self.text(obj, kind, "location_type", required=True)
        if location_type and location_type not in ("physical", "postal"):
            self.error(obj.line_of("location_type"), f'location.location_type: "{location_type}"'
                                                     " is not supported (physical or postal)")
        addresses = self.children(obj, kind, "addresses", "address")
        if len(addresses) != 1:
            line = addresses[1].line if len(addresses) > 1 else obj.line
            self.error(line, f"location: needs exactly one address, found {len(addresses)}")
        fields = self.address(addresses[0]) if addresses else EMPTY_ADDRESS
        return LocationRecord(line=obj.line, hsds_id=hsds_id, location_type=location_type,
                              name=self.text(obj, kind, "name", max_length=200), **fields)

    def address(self, obj: LineDict) -> dict:
        kind = "address"
        state = self.text(obj, kind, "state_province", required=True, blank=False)
        province = province_code(state) if state else None
        if state and province is None:
            self.error(obj.line_of("state_province"), "address.state_province: unknown Canadian "
                                                      f'province or territory "{state}"')
        postal = self.text(obj, kind, "postal_code", required=True, blank=False)
        normalised = normalise_postal_code(postal) if postal else None
        if postal and normalised is None:
            self.error(obj.line_of("postal_code"),
                       f'address.postal_code: "{postal}" is not a Canadian postal code')
        country = self.text(obj, kind, "country", required=True, blank=False)
        if country and country.upper() != "CA":
            self.error(obj.line_of("country"), f'address.country: "{country}" is not CA (the '
                                               "directory lists partners in Canada)")
        return {
            "address_1": self.text(obj, kind, "address_1", required=True, blank=False,
                                   max_length=200),
            "address_2": self.text(obj, kind, "address_2", max_length=200),
            "city": self.text(obj, kind, "city", required=True, blank=False, max_length=100),
            "province": province or "", "postal_code": normalised or "",
        }

    def contact(self, obj: LineDict, service_hsds_id: str | None) -> ContactRecord:
        kind = "contact"
        hsds_id = self.identifier(obj, kind)
        phones = self.children(obj, kind, "phones", "phone")
        if len(phones) > 1:
            self.error(phones[1].line, "contact.phones: Northstar keeps one phone per contact; "
                                       f"found {len(phones)}")
        phone = self.text(phones[0], "phone", "number", required=True, blank=False,
                          max_length=40) if phones else ""
        return ContactRecord(
            line=obj.line, hsds_id=hsds_id,
            name=self.text(obj, kind, "name", max_length=150),
            title=self.text(obj, kind, "title", max_length=150),
            email=self.email(obj, kind), phone=phone, service_hsds_id=service_hsds_id)
