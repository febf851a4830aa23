"""The handoff packet: exactly what a partner receives about a client, and nothing else.

* ``PACKET_FIELDS`` is the catalogue of what can ever be shared, each with how to read it from
  the case and how to show it. Names of relatives and household members, notes, the case
  number, addresses and documents are not in it: they are never shared.
* ``share_profiles.json`` (data, beside this module) says, per service type, which fields are
  always sent (``minimum``) and which the coordinator may add (``optional``). A referral's
  ``packet_fields`` is always the minimum plus a subset of the optional ones.
* ``contact_details`` and ``code_word`` are also withheld unless a consent *to be contacted*
  (purpose ``contact``) covers the partner; the packet lists them under ``withheld``.
* ``build_packet`` reads the case at send time; the result is stored as a snapshot in the
  encrypted ``Referral.packet``. Later edits of the case do not change what was shared.
* ``packet_rows`` renders a packet in the active language; the coordinator's preview, the
  printable copy for the client and the partner portal all use it, so the preview is what the
  partner will see. ``packet_fingerprint`` (a keyed hash) lets the send refuse a packet that
  changed since the coordinator previewed it.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from intake.fact_labels import value_label
from intake.models import Case, ContactMethod, Urgency
from intake.step_forms import DETENTION_RISK
from referrals.directory.languages import language_name
from referrals.models import Province, ServiceType

PACKET_VERSION = 1
PROFILES_PATH = Path(__file__).with_name("share_profiles.json")
FINGERPRINT_SALT = "northstar.referrals.packet-preview"
# The languages a printable copy for the client is rendered in; anything else gets English.
CLIENT_LANGUAGES = ("en", "fr", "es", "ht")

CLAIM_STATUS = {"planned": gettext_lazy("Planned"), "made": gettext_lazy("Made"),
                "referred": gettext_lazy("Referred to the IRB")}
DETENTION_LABELS = dict(DETENTION_RISK)


def _iso(value) -> str | None:
    if value in (None, ""):
        return None
    return value.isoformat() if isinstance(value, datetime.date) else str(value)


def _age(date_of_birth, on: datetime.date) -> int | None:
    if isinstance(date_of_birth, str):
        try:
            date_of_birth = datetime.date.fromisoformat(date_of_birth)
        except ValueError:
            return None
    if not isinstance(date_of_birth, datetime.date):
        return None
    return on.year - date_of_birth.year - ((on.month, on.day) <
                                           (date_of_birth.month, date_of_birth.day))


def _none_if_empty(value):
    return None if value in (None, "", [], {}) else value


def _languages(case: Case) -> list[str] | None:
    client = case.client
    codes = list(client.languages or [])
    if client.preferred_language and client.preferred_language not in codes:
        codes.insert(0, client.preferred_language)
    elif client.preferred_language:
        codes.remove(client.preferred_language)
        codes.insert(0, client.preferred_language)
    return codes or None


def _household_members(case: Case, on: datetime.date) -> list[dict] | None:
    members = [{"relationship": member.get("relationship") or "",
                "age": _age(member.get("date_of_birth"), on)}
               for member in case.household or [] if isinstance(member, dict)]
    return members or None


def _relatives(case: Case) -> list[dict] | None:
    rows = [{"relationship": row.get("relationship") or "", "status": row.get("status") or "",
             "province": row.get("province") or ""}
            for row in case.relatives_in_canada or [] if isinstance(row, dict)]
    return rows or None


def _prior_claims(case: Case) -> list[dict] | None:
    rows = [{"country": row.get("country") or "", "kind": row.get("kind") or "",
             "outcome": row.get("outcome") or ""}
            for row in case.prior_claims or [] if isinstance(row, dict)]
    return rows or None


# --- how values are shown -------------------------------------------------------------------

def show_text(value) -> str:
    return str(value)


def show_texts(value) -> list[str]:
    return [str(item) for item in value]


def show_bool(value) -> str:
    return _("Yes") if value else _("No")


def show_languages(value) -> list[str]:
    return [language_name(code) for code in value]


def show_language(value) -> str:
    return language_name(value)


def show_countries(value) -> list[str]:
    return [str(countries.name(code) or code) for code in value]


def show_urgency(value) -> str:
    return str(Urgency(value).label) if value in Urgency.values else str(value)


def show_province(value) -> str:
    return str(Province(value).label) if value in Province.values else str(value)


def show_contact_method(value) -> str:
    return str(ContactMethod(value).label) if value in ContactMethod.values else str(value)


def show_choice(field_name: str) -> Callable[[Any], str]:
    return lambda value: str(value_label(field_name, value))


def show_choices(field_name: str) -> Callable[[Any], list[str]]:
    return lambda values: [str(value_label(field_name, value)) for value in values]


def show_household(value) -> list[str]:
    shown = []
    for member in value:
        relationship = member.get("relationship") or _("household member")
        age = member.get("age")
        shown.append(_("%(relationship)s, age %(age)s") % {
            "relationship": relationship, "age": age} if age is not None else relationship)
    return shown


def show_relatives(value) -> list[str]:
    return [" — ".join(part for part in (
        str(value_label("relationship", row["relationship"])),
        str(value_label("canadian_status", row["status"])) if row["status"] else "",
        show_province(row["province"]) if row["province"] else "") if part)
        for row in value]


def show_prior_claims(value) -> list[str]:
    return [" — ".join(part for part in (
        str(countries.name(row["country"]) or row["country"]) if row["country"] else "",
        str(value_label("kind", row["kind"])) if row["kind"] else "",
        str(value_label("outcome", row["outcome"])) if row["outcome"] else "") if part)
        for row in value]


@dataclass(frozen=True)
class PacketField:
    """One thing that can be shared: its label, how to read it, how to show it."""

    name: str
    label: Any
    read: Callable[[Case, datetime.date], Any]
    show: Callable[[Any], str | list[str]] = show_text
    needs_contact_consent: bool = False


def _fields(*fields: PacketField) -> dict[str, PacketField]:
    return {field.name: field for field in fields}


PACKET_FIELDS: dict[str, PacketField] = _fields(
    PacketField("first_name", gettext_lazy("First name"),
                lambda case, on: case.client.given_name or None),
    PacketField("family_name", gettext_lazy("Family name"),
                lambda case, on: case.client.family_name or None),
    PacketField("alias", gettext_lazy("Other names used"),
                lambda case, on: _none_if_empty(list(case.client.aliases or [])), show_texts),
    PacketField("date_of_birth", gettext_lazy("Date of birth"),
                lambda case, on: _iso(case.client.date_of_birth)),
    PacketField("age", gettext_lazy("Age"),
                lambda case, on: _age(case.client.date_of_birth, on)),
    PacketField("languages", gettext_lazy("Languages spoken"),
                lambda case, on: _languages(case), show_languages),
    PacketField("preferred_language", gettext_lazy("Preferred language"),
                lambda case, on: case.client.preferred_language or None, show_language),
    PacketField("household_size", gettext_lazy("People travelling together"),
                lambda case, on: 1 + len(case.household or [])),
    PacketField("household_members", gettext_lazy("Household members (no names)"),
                _household_members, show_household),
    PacketField("urgency", gettext_lazy("Urgency"), lambda case, on: case.urgency,
                show_urgency),
    PacketField("detention_risk", gettext_lazy("Detention risk"),
                lambda case, on: case.detention_risk or None,
                lambda value: str(DETENTION_LABELS.get(value, value))),
    PacketField("removal_date", gettext_lazy("Removal date"),
                lambda case, on: _iso(case.removal_date)),
    PacketField("arrival_date", gettext_lazy("Expected arrival in Canada"),
                lambda case, on: _iso((case.plan or {}).get("entry_date"))),
    PacketField("entry_mode", gettext_lazy("How they will enter Canada"),
                lambda case, on: (case.plan or {}).get("entry_mode"), show_choice("entry_mode")),
    PacketField("claim_status", gettext_lazy("Refugee claim"),
                lambda case, on: (case.plan or {}).get("claim_status"),
                lambda value: str(CLAIM_STATUS.get(value, value))),
    PacketField("current_location", gettext_lazy("Where the person is now"),
                lambda case, on: (case.person or {}).get("current_location"),
                show_choice("current_location")),
    PacketField("us_status", gettext_lazy("Status in the United States"),
                lambda case, on: (case.person or {}).get("us_status"),
                show_choice("us_status")),
    PacketField("canadian_status", gettext_lazy("Status in Canada"),
                lambda case, on: (case.person or {}).get("canadian_status"),
                show_choice("canadian_status")),
    PacketField("citizenships", gettext_lazy("Citizenships"),
                lambda case, on: _none_if_empty((case.person or {}).get("citizenships")),
                show_countries),
    PacketField("intended_province", gettext_lazy("Province of destination"),
                lambda case, on: (case.economic or {}).get("intended_province")
                or case.stat_province or None, show_province),
    PacketField("relatives_in_canada", gettext_lazy("Relatives in Canada (no names)"),
                lambda case, on: _relatives(case), show_relatives),
    PacketField("prior_claims", gettext_lazy("Earlier asylum or refugee claims"),
                lambda case, on: _prior_claims(case), show_prior_claims),
    PacketField("fear_grounds", gettext_lazy("Grounds of fear"),
                lambda case, on: _none_if_empty((case.fear or {}).get("grounds")),
                show_choices("grounds")),
    PacketField("education", gettext_lazy("Education"),
                lambda case, on: (case.economic or {}).get("education"),
                show_choice("education")),
    PacketField("contact_method", gettext_lazy("Safe way to make contact"),
                lambda case, on: case.client.contact_method or None, show_contact_method),
    PacketField("safe_to_call", gettext_lazy("Safe to call"),
                lambda case, on: case.client.safe_to_call, show_bool),
    PacketField("safe_to_leave_message", gettext_lazy("Safe to leave a message"),
                lambda case, on: case.client.safe_to_leave_message, show_bool),
    PacketField("contact_details", gettext_lazy("Contact details"),
                lambda case, on: case.client.contact_details or None,
                needs_contact_consent=True),
    PacketField("code_word", gettext_lazy("Code word"),
                lambda case, on: case.client.code_word or None, needs_contact_consent=True),
)


@dataclass(frozen=True)
class ShareProfile:
    service_type: str
    minimum: tuple[str, ...]
    optional: tuple[str, ...]

    @property
    def allowed(self) -> tuple[str, ...]:
        return self.minimum + self.optional


class ShareProfileError(ValueError):
    """``share_profiles.json`` does not fit the catalogue."""


@cache
def share_profiles() -> dict[str, ShareProfile]:
    """Every service type's profile, checked against the catalogue when first loaded."""
    data = json.loads(PROFILES_PATH.read_text(encoding="utf-8"))
    profiles = {}
    for service_type in ServiceType.values:
        entry = data.get(service_type)
        if entry is None:
            raise ShareProfileError(f"no share profile for {service_type}")
        profile = ShareProfile(service_type, tuple(entry["minimum"]), tuple(entry["optional"]))
        unknown = set(profile.allowed) - set(PACKET_FIELDS)
        if unknown or len(set(profile.allowed)) != len(profile.allowed):
            raise ShareProfileError(f"{service_type}: unknown or repeated fields {unknown}")
        if any(PACKET_FIELDS[name].needs_contact_consent for name in profile.minimum):
            raise ShareProfileError(f"{service_type}: contact fields cannot be minimum")
        profiles[service_type] = profile
    return profiles


def share_profile(service_type: str) -> ShareProfile:
    return share_profiles()[service_type]


def chosen_fields(service_type: str, requested: Iterable[str] = ()) -> list[str]:
    """The minimum plus the requested optional fields, in profile order (anything else
    requested is ignored)."""
    profile = share_profile(service_type)
    wanted = set(requested)
    return [*profile.minimum, *(name for name in profile.optional if name in wanted)]


def build_packet(case: Case, *, service_type: str, fields: Iterable[str],
                 contact_consented: bool, on: datetime.date | None = None) -> dict:
    """The packet for ``case``: the chosen fields (restricted to the profile) with their
    values now. Contact fields without a consent to be contacted are listed as withheld."""
    on = on or timezone.localdate()
    names = chosen_fields(service_type, fields)
    shared, withheld = [], []
    for name in names:
        field = PACKET_FIELDS[name]
        if field.needs_contact_consent and not contact_consented:
            withheld.append(name)
            continue
        shared.append([name, field.read(case, on)])
    return {"version": PACKET_VERSION, "service_type": service_type, "fields": shared,
            "withheld": withheld}


def packet_fingerprint(packet: dict) -> str:
    """A keyed hash of what a packet shares (not when it was built), for "unchanged since the
    preview" checks. Keyed, so it cannot be used to test guesses about the content."""
    canonical = json.dumps({"service_type": packet.get("service_type"),
                            "fields": packet.get("fields"),
                            "withheld": packet.get("withheld")},
                           sort_keys=True, separators=(",", ":"), default=str)
    return salted_hmac(FINGERPRINT_SALT, canonical, algorithm="sha256").hexdigest()


@dataclass(frozen=True)
class PacketRow:
    name: str
    label: str
    value: str
    values: tuple[str, ...] = ()
    known: bool = True


def packet_rows(packet: dict | None) -> list[PacketRow]:
    """The packet as labelled rows, in the active language."""
    rows = []
    for name, value in (packet or {}).get("fields", []):
        field = PACKET_FIELDS.get(name)
        if field is None:
            continue
        if value is None:
            rows.append(PacketRow(name, str(field.label), _("Not recorded"), known=False))
            continue
        shown = field.show(value)
        if isinstance(shown, list):
            rows.append(PacketRow(name, str(field.label), ", ".join(shown), tuple(shown)))
        else:
            rows.append(PacketRow(name, str(field.label), shown))
    return rows


def withheld_labels(packet: dict | None) -> list[str]:
    return [str(PACKET_FIELDS[name].label) for name in (packet or {}).get("withheld", [])
            if name in PACKET_FIELDS]


def field_label(name: str) -> str:
    return str(PACKET_FIELDS[name].label)


def client_language(case: Case) -> str:
    """The language for the client's printable copy: their preferred one if we print in it."""
    preferred = (case.client.preferred_language or "").lower()
    return preferred if preferred in CLIENT_LANGUAGES else settings.LANGUAGE_CODE
