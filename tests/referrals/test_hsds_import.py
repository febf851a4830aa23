"""``manage.py hsds_import`` / ``hsds_export``: HSDS 3.x round trip, idempotence, and bad files
that are refused whole with line-precise errors."""

import datetime
import io
import json
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command, execute_from_command_line
from django.db import connections

from northstar.accounts.models import Organisation
from northstar.audit.models import AuditEvent
from referrals.directory import services
from referrals.models import (
    DataSharingAgreement,
    PartnerContact,
    PartnerLocation,
    PartnerProfile,
    PartnerService,
    PartnerServiceLanguage,
    PartnerServiceProvince,
)
from tests.factories import OrganisationFactory, UserFactory, network_organisation
from tests.referrals.factories import PartnerProfileFactory, PartnerServiceFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
GOOD = DATA / "hsds_good.json"
DIRECTORY_MODELS = (PartnerProfile, PartnerService, PartnerServiceLanguage,
                    PartnerServiceProvince, PartnerLocation, PartnerContact,
                    DataSharingAgreement)


def run(*args) -> tuple[int, str, str]:
    """Run ``manage.py ARGS`` as from a shell: (exit status, stdout, stderr). The command
    runner closes the database connections when done, which would end the test's
    transaction on PostgreSQL; that one call is neutralised."""
    out, err = io.StringIO(), io.StringIO()
    previous = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        with mock.patch.object(connections, "close_all"):
            execute_from_command_line(["manage.py", *args])
        status = 0
    except SystemExit as exit_:
        status = exit_.code
    finally:
        sys.stdout, sys.stderr = previous
    return status, out.getvalue(), err.getvalue()


def export(*args) -> dict:
    out = io.StringIO()
    call_command("hsds_export", *args, stdout=out)
    return json.loads(out.getvalue())


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in DIRECTORY_MODELS}


# --- the good file ------------------------------------------------------------------------------

def test_good_file_imports_everything_it_describes():
    status, out, err = run("hsds_import", str(GOOD))
    assert (status, err) == (0, "")
    assert out.splitlines() == [
        "Imported the directory file.",
        "  organizations: 2 created, 0 updated, 0 unchanged",
        "  services: 3 created, 0 updated, 0 unchanged",
        "  locations: 2 created, 0 updated, 0 unchanged",
        "  contacts: 2 created, 0 updated, 0 unchanged",
    ]
    aurore = Organisation.objects.get(name="Maison Aurore Shelter (test)")
    assert aurore.kind == Organisation.Kind.PARTNER
    assert aurore.partner_profile.hsds_id == "0b7c6a52-3f0e-4f53-9b43-8a1c2f6d7e01"
    assert aurore.partner_profile.website == "https://aurore.example"
    shelter = PartnerService.objects.get(hsds_id="svc-aurore-shelter")
    assert (shelter.service_type, shelter.status, shelter.fees, shelter.min_age,
            shelter.max_age) == ("shelter", "active", "Free", None, None)
    assert (shelter.language_codes, shelter.province_codes) == (["es", "fr"], ["QC"])
    assert (shelter.capacity_available, shelter.capacity_maximum, shelter.capacity_unit,
            shelter.capacity_updated_at, shelter.accepting_referrals) == (
        4, 24, "beds", datetime.datetime(2026, 1, 5, 10, 0, tzinfo=datetime.UTC), True)
    clinic = PartnerService.objects.get(hsds_id="svc-aurore-clinic")
    assert (clinic.status, clinic.fees, clinic.accepting_referrals, clinic.province_codes,
            clinic.has_capacity_figures) == ("temporarily closed", "Free", False,
                                             ["ON", "QC"], False)
    legal = PartnerService.objects.get(hsds_id="svc-rideau-legal")
    assert (legal.min_age, legal.max_age, legal.capacity_available, legal.capacity_updated_at) \
        == (16, 120, 0, datetime.datetime(2026, 1, 6, 14, 30, tzinfo=datetime.UTC))
    location = PartnerLocation.objects.get(hsds_id="loc-aurore-1")
    assert (location.city, location.province, location.postal_code) == (
        "Montréal", "QC", "H2X 1Y4")
    night = PartnerContact.objects.get(hsds_id="contact-aurore-2")
    assert (night.name, night.title, night.service) == ("Luc Fictif", "Night manager", shelter)
    lead = PartnerContact.objects.get(hsds_id="contact-aurore-1")
    assert (lead.name, lead.email, lead.phone, lead.service) == (
        "Jeanne Fictive", "jeanne@aurore.example", "+1 514 555 0101", None)
    event = AuditEvent.objects.get(action="directory.hsds_imported")
    assert event.details["services"] == {"created": 3}


def test_import_export_import_is_a_fixed_point(tmp_path):
    call_command("hsds_import", str(GOOD), stdout=io.StringIO())
    first = export()
    path = tmp_path / "export.json"
    path.write_text(json.dumps(first), encoding="utf-8")
    counts = row_counts()
    status, out, _ = run("hsds_import", str(path))
    assert status == 0
    assert out.splitlines()[1:] == [
        "  organizations: 0 created, 0 updated, 2 unchanged",
        "  services: 0 created, 0 updated, 3 unchanged",
        "  locations: 0 created, 0 updated, 2 unchanged",
        "  contacts: 0 created, 0 updated, 0 unchanged",
    ]
    assert row_counts() == counts
    assert export() == first


def test_reimporting_the_same_file_changes_nothing():
    call_command("hsds_import", str(GOOD), stdout=io.StringIO())
    before = export("--include-contacts")
    status, out, _ = run("hsds_import", str(GOOD))
    assert status == 0
    assert "  contacts: 0 created, 0 updated, 2 unchanged" in out.splitlines()
    assert "  services: 0 created, 0 updated, 3 unchanged" in out.splitlines()
    assert export("--include-contacts") == before
    assert PartnerService.objects.count() == 3


def test_export_is_hsds_shaped_and_leaves_contacts_out_by_default():
    call_command("hsds_import", str(GOOD), stdout=io.StringIO())
    document = export()
    assert (document["total_items"], document["first_page"], document["empty"]) == (2, True,
                                                                                   False)
    aurore = document["contents"][0]
    assert aurore["name"] == "Maison Aurore Shelter (test)"
    assert "contacts" not in aurore
    shelter = next(s for s in aurore["services"] if s["id"] == "svc-aurore-shelter")
    assert "contacts" not in shelter
    assert shelter["attributes"][0]["taxonomy_term"] | {"id": "-"} == {
        "id": "-", "code": "shelter", "name": "Shelter", "description": "Shelter",
        "taxonomy": "northstar-service-types"}
    assert [(lang["code"], lang["name"]) for lang in shelter["languages"]] == [
        ("es", "Spanish"), ("fr", "French")]
    assert [(area["name"], area["description"]) for area in shelter["service_areas"]] == [
        ("QC", "Quebec")]
    capacity = shelter["capacities"][0]
    assert (capacity["available"], capacity["maximum"], capacity["unit"]["name"],
            capacity["updated"]) == (4, 24, "beds", "2026-01-05T10:00:00+00:00")
    assert shelter["x_accepting_referrals"] is True
    text = json.dumps(document)
    for personal in ("Jeanne Fictive", "jeanne@aurore.example", "555 0101", "Luc Fictif"):
        assert personal not in text
    event = AuditEvent.objects.filter(action="directory.hsds_exported").first()
    assert event.details == {"organizations": 2, "contacts_included": False}


def test_export_with_contacts_on_request():
    call_command("hsds_import", str(GOOD), stdout=io.StringIO())
    document = export("--include-contacts")
    aurore = document["contents"][0]
    assert [(c["name"], c["email"], [p["number"] for p in c["phones"]])
            for c in aurore["contacts"]] == [
        ("Jeanne Fictive", "jeanne@aurore.example", ["+1 514 555 0101"])]
    shelter = next(s for s in aurore["services"] if s["id"] == "svc-aurore-shelter")
    assert [c["name"] for c in shelter["contacts"]] == ["Luc Fictif"]
    assert AuditEvent.objects.filter(action="directory.hsds_exported").first().details == {
        "organizations": 2, "contacts_included": True}


def test_export_to_a_file(tmp_path):
    PartnerServiceFactory(languages=["fr"], provinces=["QC"], with_capacity=True)
    target = tmp_path / "directory.json"
    status, out, err = run("hsds_export", "--output", str(target))
    assert (status, out) == (0, "")
    assert "Exported 1 organization(s)" in err
    assert json.loads(target.read_text(encoding="utf-8"))["total_items"] == 1


def test_newer_capacity_in_northstar_is_kept_and_reported():
    call_command("hsds_import", str(GOOD), stdout=io.StringIO())
    shelter = PartnerService.objects.get(hsds_id="svc-aurore-shelter")
    services.partner_service_capacity_update(actor=UserFactory(admin=True), service=shelter,
                                             available=1, maximum=24,
                                             accepting_referrals=False)
    status, out, _ = run("hsds_import", str(GOOD))
    assert status == 0
    assert ("  capacity kept for 1 service(s): Northstar's figures are more recent than the "
            "file's") in out.splitlines()
    shelter.refresh_from_db()
    assert shelter.capacity_available == 1
    assert shelter.accepting_referrals is True  # the file says so explicitly


def test_import_links_an_existing_partner_organisation_by_name():
    organisation = OrganisationFactory(name="Rideau Legal Clinic (test)")
    call_command("hsds_import", str(GOOD), stdout=io.StringIO())
    organisation.refresh_from_db()
    assert organisation.partner_profile.hsds_id == "org-rideau"
    assert list(organisation.partner_services.values_list("hsds_id", flat=True)) == [
        "svc-rideau-legal"]


def test_import_from_standard_input(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(GOOD.read_bytes())))
    status, out, _ = run("hsds_import", "-")
    assert status == 0
    assert "  services: 3 created, 0 updated, 0 unchanged" in out.splitlines()


def test_unreadable_file_exits_2_without_traceback(tmp_path):
    status, out, err = run("hsds_import", str(tmp_path / "missing.json"))
    assert (status, out) == (2, "")
    assert err.startswith("CommandError: cannot read ")
    assert "Traceback" not in err


# --- bad files: every problem with its line, exit 2, nothing imported -----------------------

BAD_FILES = {
    "malformed_json.json": [
        "line 5: invalid JSON: Expecting ',' delimiter (column 5)",
    ],
    "not_utf8.json": ["line 3: the file is not UTF-8 text"],
    "empty.json": ["line 1: the file is empty"],
    "top_level_object.json": [
        'line 1: expected a list of organizations, or an HSDS page with "contents"',
    ],
    "wrong_types.json": [
        "line 4: organization.name: must be a string, not a number",
        "line 11: service.minimum_age: must be a whole number, not a string",
        "line 12: service.maximum_age: must be a whole number",
        "line 13: service.languages: must be an array, not a string",
        "line 14: service.x_accepting_referrals: must be true or false, not a string",
        "line 20: organization.locations: must be an array, not an object",
    ],
    "unknown_service_type.json": [
        'line 14: service: unknown service type "housing" (expected one of shelter, legal_aid,'
        " work_permit, medical, settlement, interpretation, mental_health)",
        "line 20: service: no service type (an attribute whose taxonomy_term.taxonomy is "
        '"northstar-service-types")',
    ],
    "min_age_above_max.json": [
        "line 11: service.minimum_age: 25 is above maximum_age 16",
        "line 20: service.maximum_age: 200 is not between 0 and 130",
    ],
    "unknown_province.json": [
        'line 14: service_area.name: unknown Canadian province or territory "Ontari"',
        'line 26: address.state_province: unknown Canadian province or territory "Oregon"',
    ],
    "duplicate_ids.json": [
        'line 8: service: duplicate id "svc-1" (first on line 7)',
        'line 12: organization: duplicate id "org-1" (first on line 3)',
        'line 13: organization.name: "First Org (test)" is used twice (first on line 4)',
    ],
    "missing_required.json": [
        'line 2: organization: missing required field "description"',
        'line 2: organization: missing required field "name"',
        'line 5: service: missing required field "status"',
        'line 12: location: missing required field "location_type"',
        'line 14: address: missing required field "city"',
        'line 18: organization: missing required field "id"',
    ],
    "capacity_above_maximum.json": ["line 15: capacity.available: 25 is above maximum 20"],
    "capacity_incomplete.json": [
        'line 13: capacity: missing required field "maximum"',
        "line 15: capacity.available: -1 is not between 0 and 100000",
        "line 16: capacity.updated: needs a time zone (e.g. 2026-01-05T10:00:00Z)",
        "line 18: service.capacities: Northstar keeps one capacity per service; found 2",
    ],
    "unknown_language.json": [
        'line 14: language.code: unknown ISO 639-1 language code "spa"',
        'line 15: language: missing required field "code"',
    ],
    "bad_address.json": [
        'line 9: location.location_type: "virtual" is not supported (physical or postal)',
        'line 15: address.postal_code: "14201" is not a Canadian postal code',
        'line 16: address.country: "US" is not CA (the directory lists partners in Canada)',
        "line 18: location: needs exactly one address, found 2",
        "line 21: location: needs exactly one address, found 0",
    ],
    "duplicate_key_and_nan.json": [
        'line 5: organization: duplicate key "name"',
        'line 11: service.status: unknown status "closed" (expected active, inactive, '
        "defunct or temporarily closed)",
        "line 12: service.maximum_age: must be a whole number, not NaN or Infinity",
        "line 15: service: more than one service type",
    ],
    "bad_contact.json": [
        "line 6: organization.website: not a web address",
        "line 11: contact.email: not a valid e-mail address",
        "line 14: contact.phones: Northstar keeps one phone per contact; found 2",
    ],
}


@pytest.mark.parametrize(("name", "expected"), sorted(BAD_FILES.items()),
                         ids=sorted(BAD_FILES))
def test_bad_file_is_refused_whole_with_line_numbers(name, expected):
    PartnerServiceFactory()  # something already in the directory, which must stay as it is
    counts, organisations = row_counts(), Organisation.objects.count()
    status, out, err = run("hsds_import", str(DATA / "bad" / name))
    assert status == 2
    assert out == ""
    assert err.splitlines() == [
        *expected, f"CommandError: {len(expected)} problem(s) found; nothing was imported."]
    assert "Traceback" not in err
    assert row_counts() == counts
    assert Organisation.objects.count() == organisations
    assert not AuditEvent.objects.filter(action="directory.hsds_imported").exists()


def test_problem_messages_never_repeat_a_contacts_personal_data():
    _, _, err = run("hsds_import", str(DATA / "bad" / "bad_contact.json"))
    assert "Marker" not in err and "marker" not in err and "555" not in err


def test_a_good_file_with_one_bad_organisation_imports_nothing(tmp_path):
    document = json.loads(GOOD.read_text(encoding="utf-8"))
    document["contents"][1]["services"][0]["minimum_age"] = 130
    document["contents"][1]["services"][0]["maximum_age"] = 12
    path = tmp_path / "almost.json"
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    line = next(number for number, text in enumerate(path.read_text().splitlines(), 1)
                if '"minimum_age": 130' in text)
    status, _, err = run("hsds_import", str(path))
    assert status == 2
    assert err.splitlines()[0] == f"line {line}: service.minimum_age: 130 is above " \
                                  "maximum_age 12"
    assert sum(row_counts().values()) == 0
    assert not Organisation.objects.filter(name="Maison Aurore Shelter (test)").exists()


# --- conflicts with what is already in Northstar ---------------------------------------------

def test_ids_that_belong_to_another_organisation_are_refused():
    other = PartnerServiceFactory(hsds_id="svc-rideau-legal")
    counts = row_counts()
    status, _, err = run("hsds_import", str(GOOD))
    line = next(number for number, text in enumerate(GOOD.read_text().splitlines(), 1)
                if '"id": "svc-rideau-legal"' in text) - 1
    assert status == 2
    assert err.splitlines()[0] == (f'line {line}: service: id "svc-rideau-legal" belongs to '
                                   "another organisation in Northstar")
    assert row_counts() == counts
    other.refresh_from_db()
    assert other.organisation.name != "Rideau Legal Clinic (test)"


def test_the_network_organisation_cannot_become_a_partner(tmp_path):
    network = network_organisation()
    document = json.loads(GOOD.read_text(encoding="utf-8"))
    document["contents"][1]["name"] = network.name
    path = tmp_path / "network.json"
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    line = next(number for number, text in enumerate(path.read_text().splitlines(), 1)
                if f'"name": "{network.name}"' in text)
    status, _, err = run("hsds_import", str(path))
    assert status == 2
    assert err.splitlines()[0] == (f'line {line}: organization.name: "{network.name}" is the '
                                   "network's own organisation, not a partner")
    assert not PartnerProfile.objects.exists()


def test_a_name_already_in_the_directory_under_another_id_is_refused():
    PartnerProfileFactory(organisation=OrganisationFactory(name="Rideau Legal Clinic (test)"),
                          hsds_id="rideau-old-id")
    status, _, err = run("hsds_import", str(GOOD))
    assert status == 2
    assert err.splitlines()[0].endswith(
        'organization.name: "Rideau Legal Clinic (test)" is already in the directory with id '
        '"rideau-old-id"')
    assert PartnerService.objects.count() == 0


def test_nul_characters_are_refused_before_the_database_sees_them(tmp_path):
    path = tmp_path / "nul.json"
    path.write_text('[\n  {"id": "org-1", "name": "N\\u0000ul (test)", "description": ""}\n]\n',
                    encoding="utf-8")
    status, _, err = run("hsds_import", str(path))
    assert status == 2
    assert err.splitlines()[0] == "line 2: organization.name: contains a NUL character"
    assert not Organisation.objects.filter(name__startswith="N").exists()
