"""Plain records of a checked HSDS file (what ``reader`` produces and ``importer`` applies),
and ``Problem``, one thing wrong with the file, at a line."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Problem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass
class CapacityRecord:
    available: int
    maximum: int
    unit: str
    updated: datetime.datetime


@dataclass
class ContactRecord:
    line: int
    hsds_id: str
    name: str
    title: str
    email: str
    phone: str
    service_hsds_id: str | None = None


@dataclass
class ServiceRecord:
    line: int
    hsds_id: str
    name: str
    status: str
    service_type: str
    description: str
    eligibility_notes: str
    fees: str
    min_age: int | None
    max_age: int | None
    languages: list[str]
    provinces: list[str]
    accepting_referrals: bool | None
    capacity: CapacityRecord | None
    contacts: list[ContactRecord] = field(default_factory=list)


@dataclass
class LocationRecord:
    line: int
    hsds_id: str
    name: str
    location_type: str
    address_1: str
    address_2: str
    city: str
    province: str
    postal_code: str


@dataclass
class OrganisationRecord:
    line: int
    name_line: int
    hsds_id: str
    name: str
    alternate_name: str
    description: str
    email: str
    website: str
    services: list[ServiceRecord]
    locations: list[LocationRecord]
    contacts: list[ContactRecord]
