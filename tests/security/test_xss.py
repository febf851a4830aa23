"""Output escaping: every payload of the XSS corpus, stored in every free-text field through the
real forms and services, then every page that shows the field parsed → 0 live injections.

``FIELDS`` is the table of every free-text model field (CharField, TextField and their
subclasses, encrypted text and JSON fields) of the app models: how each one is covered, or why
it holds no free text. ``test_every_free_text_field_is_in_the_table`` derives the list from the
model registry, so a new field fails the suite until someone adds its row.

Each scenario stores payload ``(i + j) mod N`` in field ``j`` of object ``i`` for N objects
(N = the corpus size): every field receives every payload, and one page shows the payloads of
several fields at once, each field a different one. On every page the detector must find no
live element or attribute (``xss_corpus.find_live``) and each stored value must be shown, as
text, exactly as it is stored (so escaping did not mangle it either: no double decoding).

Also checked: the download's Content-Disposition, the invitation e-mails (plain text only),
the statistics exports (CSV cells and XLSX strings that a spreadsheet would run are
neutralised), query parameters put back into pages (filters, pagination, the login's "next")
and the JSON answers (always JSON, ``nosniff``).

``pytest -s tests/security/test_xss.py`` prints the figures (payloads, fields, values stored,
pages parsed, and which pages) for each scenario.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import quote

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.utils import timezone

from intake.models import Case, Document, Note
from northstar.security.fields import EncryptedDateField, EncryptedJSONField, EncryptedTextField
from tests.factories import UserFactory
from tests.helpers import sign_in
from tests.intake.document_helpers import make_pdf
from tests.intake.intake_helpers import step_post
from tests.security.xss_corpus import MARKER, PAYLOADS, inspect, payload

OUR_APPS = ("accounts", "audit", "intake", "eligibility", "referrals", "stats")
N = len(PAYLOADS)


@dataclass(frozen=True)
class Covered:
    """Stored with payloads by ``scenario`` and checked on ``pages``: there the stored value
    must be shown as text (``shown_on``), everywhere only as text."""

    scenario: str
    shown_on: tuple[str, ...]


@dataclass(frozen=True)
class Hidden:
    """Stored with payloads by ``scenario`` but shown on no page (by design); the pages that
    could show it are parsed all the same and must not carry its marker at all."""

    scenario: str
    checked_on: tuple[str, ...]


@dataclass(frozen=True)
class NotFreeText:
    reason: str


SYSTEM = NotFreeText("written by the code (generated identifiers, hashes, codes), never typed")
LISTED = NotFreeText("the form offers a fixed list; anything else is refused")
FACTS = NotFreeText("facts checked against the screening contract (enums, dates, numbers): "
                    "tests/intake/test_fuzz_steps.py")

CASE_PAGES = ("case", "intake:identity")
PACKET_PAGES = ("referral:draft", "referral:sent", "referral:print", "portal:referral")

FIELDS: dict[str, Covered | Hidden | NotFreeText] = {
    # --- accounts, audit ---------------------------------------------------------------------
    "accounts.Organisation.name": Covered("referrals", (
        "intake:consent_form", "case", "referral:sent", "referral:dashboard", "portal:queue",
        "portal:referral", "home:partner")),
    "accounts.User.password": NotFreeText("a password hash"),
    "accounts.User.email": Covered("accounts", ("users", "user_edit", "audit")),
    "accounts.User.full_name": Covered("accounts", ("users", "case")),
    "accounts.Invitation.email": Covered("accounts", ("users", "invitation:accept")),
    "accounts.Invitation.token_hash": SYSTEM,
    "accounts.Invitation.roles": LISTED,
    "audit.AuditEvent.action": SYSTEM,
    "audit.AuditEvent.object_type": SYSTEM,
    "audit.AuditEvent.object_id": SYSTEM,
    "audit.AuditEvent.request_id": SYSTEM,
    "audit.AuditEvent.details": NotFreeText("ids, counts and codes, never personal data "
                                            "(tests/test_log_privacy.py); shown on the audit "
                                            "log, parsed by the accounts scenario"),
    "audit.AuditSeal.prev_hash": SYSTEM,
    "audit.AuditSeal.hash": SYSTEM,
    "audit.AuditSeal.key_id": SYSTEM,
    # --- intake --------------------------------------------------------------------------------
    "intake.Client.given_name": Covered("intake", (*CASE_PAGES, "cases", "search")),
    "intake.Client.family_name": Covered("intake", (*CASE_PAGES, "cases", "search")),
    "intake.Client.aliases": Covered("intake", ("intake:identity",)),
    "intake.Client.languages": LISTED,
    "intake.Client.preferred_language": LISTED,
    "intake.Client.contact_method": LISTED,
    "intake.Client.contact_details": Covered("intake", ("intake:contact",)),
    "intake.Client.safe_to_call": NotFreeText("yes, no or unknown"),
    "intake.Client.safe_to_leave_message": NotFreeText("yes, no or unknown"),
    "intake.Client.code_word": Covered("intake", ("intake:contact",)),
    "intake.Client.contact_notes": Covered("intake", ("intake:contact",)),
    "intake.Client.us_city": Covered("intake", ("intake:contact",)),
    "intake.Client.us_state": LISTED,
    "intake.ClientNameIndex.value": NotFreeText("a keyed hash (blind index)"),
    "intake.Case.number": SYSTEM,
    "intake.Case.last_step": NotFreeText("a step slug, only the known ones are stored"),
    "intake.Case.steps_done": NotFreeText("step slugs, only the known ones are stored"),
    "intake.Case.detention_risk": LISTED,
    "intake.Case.urgency_notes": Covered("intake", ("intake:urgency",)),
    "intake.Case.household": Covered("intake", ("intake:urgency",)),
    "intake.Case.person": FACTS,
    "intake.Case.parents": FACTS,
    "intake.Case.plan": FACTS,
    "intake.Case.relatives_in_canada": FACTS,
    "intake.Case.spouse": FACTS,
    "intake.Case.prior_claims": FACTS,
    "intake.Case.canadian_history": FACTS,
    "intake.Case.canadian_documents": FACTS,
    "intake.Case.recognized_refugee_elsewhere": FACTS,
    "intake.Case.criminality": FACTS,
    "intake.Case.fear": FACTS,
    "intake.Case.economic": FACTS,
    "intake.Case.screening_outcomes": SYSTEM,
    "intake.Case.screening_rules_version": SYSTEM,
    "intake.Case.stat_age_band": SYSTEM,
    "intake.Case.stat_nationality": SYSTEM,
    "intake.Case.stat_province": SYSTEM,
    "intake.CaseEvent.details": NotFreeText("step slugs, statuses and ids written by the code"),
    "intake.Note.body": Covered("intake", ("case",)),
    "intake.ErasureRequest.reason": Hidden("intake", ("case", "erasures", "home:admin")),
    "intake.Consent.notes": Hidden("intake", ("case",)),
    "intake.Document.original_name": Covered("intake", ("case", "download")),
    "intake.Document.storage_name": SYSTEM,
    "intake.Document.key_id": SYSTEM,
    "intake.HelpRequest.name": Covered("help", ("help:form", "triage", "triage:detail")),
    "intake.HelpRequest.contact_method": LISTED,
    "intake.HelpRequest.contact_details": Covered("help", ("help:form", "triage:detail")),
    "intake.HelpRequest.message": Covered("help", ("help:form", "triage:detail")),
    # --- eligibility -------------------------------------------------------------------------
    "eligibility.Assessment.rules_version": SYSTEM,
    "eligibility.Assessment.facts_fingerprint": SYSTEM,
    "eligibility.Assessment.result": NotFreeText("the engine's output: codes, citations and "
                                                 "questions written in the rules"),
    "eligibility.Assessment.outcomes": SYSTEM,
    "eligibility.Assessment.changed": SYSTEM,
    "eligibility.RescreenRun.rules_version": SYSTEM,
    "eligibility.RescreenRun.chunks_finished": SYSTEM,
    # --- referrals: directory ------------------------------------------------------------------
    "referrals.PartnerProfile.hsds_id": Hidden("directory", ("partner",)),
    "referrals.PartnerProfile.alternate_name": Covered("directory", ("partner",)),
    "referrals.PartnerProfile.description": Covered("directory", ("partner",)),
    "referrals.PartnerProfile.email": Covered("directory", ("partner",)),
    "referrals.PartnerProfile.website": Covered("directory", ("partner",)),
    "referrals.PartnerService.hsds_id": Hidden("directory", ("partner",)),
    "referrals.PartnerService.name": Covered("directory", ("partner", "partners")),
    "referrals.PartnerService.description": Covered("directory", ("partner",)),
    "referrals.PartnerService.eligibility_notes": Covered("directory", ("partner",)),
    "referrals.PartnerService.fees": Covered("directory", ("partner",)),
    "referrals.PartnerService.capacity_unit": Covered("directory", ("partner",)),
    "referrals.PartnerServiceLanguage.code": NotFreeText("an ISO 639-1 code, validated"),
    "referrals.PartnerLocation.hsds_id": Hidden("directory", ("partner",)),
    "referrals.PartnerLocation.name": Covered("directory", ("partner",)),
    "referrals.PartnerLocation.address_1": Covered("directory", ("partner",)),
    "referrals.PartnerLocation.address_2": Covered("directory", ("partner",)),
    "referrals.PartnerLocation.city": Covered("directory", ("partner",)),
    "referrals.PartnerLocation.postal_code": NotFreeText("a Canadian postal code: the import "
                                                         "refuses anything else"),
    "referrals.PartnerContact.hsds_id": Hidden("directory", ("partner",)),
    "referrals.PartnerContact.name": Covered("directory", ("partner",)),
    "referrals.PartnerContact.title": Covered("directory", ("partner",)),
    "referrals.PartnerContact.phone": Covered("directory", ("partner",)),
    "referrals.PartnerContact.email": Covered("directory", ("partner",)),
    "referrals.DataSharingAgreement.document_reference": Covered("directory", ("partner",)),
    # --- referrals -----------------------------------------------------------------------------
    "referrals.Referral.reference": SYSTEM,
    "referrals.Referral.coordinator_note": Covered("referrals", (
        "referral:draft", "referral:sent", "portal:referral")),
    "referrals.Referral.answer_note": Covered("referrals", ("referral:sent", "portal:referral")),
    "referrals.Referral.packet": Covered("referrals", PACKET_PAGES),
    "referrals.Referral.packet_fields": NotFreeText("field names of the share profile, "
                                                    "checked against it"),
    "referrals.Referral.stat_province": SYSTEM,
    "referrals.Referral.stat_age_band": SYSTEM,
    "referrals.Referral.stat_nationality": SYSTEM,
    "referrals.ReferralEvent.details": NotFreeText("statuses and ids written by the code"),
    "referrals.ReferralMessage.body": Covered("referrals", ("referral:sent", "portal:referral")),
    "referrals.OutboxMessage.idempotency_key": SYSTEM,
    "referrals.OutboxMessage.last_error": NotFreeText("an exception class name or a fixed "
                                                      "message"),
    "referrals.OutboxMessage.message_id": SYSTEM,
    # --- statistics ----------------------------------------------------------------------------
    "stats.ExportJob.first_quarter": LISTED,
    "stats.ExportJob.last_quarter": LISTED,
    "stats.ExportJob.storage_name": SYSTEM,
    "stats.ExportJob.parameters": NotFreeText("the period and format chosen in the form"),
}


def free_text_fields() -> list[str]:
    """Every CharField/TextField (and subclass), encrypted text or JSON field without choices,
    on the models of our apps."""
    found = []
    for model in apps.get_models():
        if model._meta.app_label not in OUR_APPS:
            continue
        for model_field in model._meta.concrete_fields:
            texty = isinstance(model_field, models.CharField | models.TextField |
                               models.JSONField | EncryptedTextField | EncryptedJSONField)
            dated = isinstance(model_field, EncryptedDateField)
            if texty and not dated and not model_field.choices:
                found.append(f"{model._meta.label}.{model_field.name}")
    return sorted(found)


def test_every_free_text_field_is_in_the_table():
    derived = free_text_fields()
    assert sorted(set(derived) - set(FIELDS)) == [], "free-text fields without a row in FIELDS"
    assert sorted(set(FIELDS) - set(derived)) == [], "rows in FIELDS for no field"


def test_corpus_is_at_least_fifty_payloads_each_with_its_own_marker():
    markers = [item.marker for item in PAYLOADS]
    assert len(PAYLOADS) >= 50
    assert len(set(markers)) == len(markers)
    for item in PAYLOADS:
        assert MARKER.findall(item.text) and set(MARKER.findall(item.text)) == {item.marker}
        assert item.text == item.text.strip() and len(item.text) <= 60


# --- checking pages ----------------------------------------------------------------------------


@dataclass
class Report:
    """Pages parsed, problems found (live injections, stored values not shown)."""

    scenario: str
    pages: int = 0
    stored: int = 0
    problems: list[str] = field(default_factory=list)
    fields: set[str] = field(default_factory=set)
    kinds: set[str] = field(default_factory=set)

    def check(self, page: str, response, shown: dict[str, list[str]] | None = None,
              hidden: dict[str, list[str]] | None = None) -> None:
        """``shown``: field → stored values that must be shown; ``hidden``: field → stored
        values whose marker must not be on the page at all."""
        assert response.status_code == 200, (page, response.status_code)
        assert response["Content-Type"].startswith("text/html"), page
        inspection = inspect(response.content)
        self.pages += 1
        self.kinds.add(page)
        self.problems += [f"{page}: {line}" for line in inspection.live]
        for name, values in (shown or {}).items():
            self.fields.add(name)
            for value in values:
                if not inspection.shows(value):
                    self.problems.append(f"{page}: {name} not shown as stored: {value!r}")
        for name, values in (hidden or {}).items():
            self.fields.add(name)
            for value in values:
                for marker in MARKER.findall(value):
                    if marker.encode() in response.content:
                        self.problems.append(f"{page}: {name} ({marker}) is on the page")

    def stored_value(self, name: str, value: str, expected_marker: str) -> str:
        """Count a stored value, and fail when the payload did not reach the database."""
        self.fields.add(name)
        self.stored += 1
        if expected_marker not in value:
            self.problems.append(f"{name}: payload {expected_marker} not stored ({value!r})")
        return value

    def finish(self) -> None:
        print(f"\nxss[{self.scenario}]: {N} payloads, {len(self.fields)} fields, "
              f"{self.stored} values stored, {self.pages} pages parsed "
              f"({', '.join(sorted(self.kinds))}), {len(self.problems)} problems")
        covered = {name for name, entry in FIELDS.items()
                   if isinstance(entry, Covered | Hidden) and entry.scenario == self.scenario}
        assert covered <= self.fields, f"table rows not exercised: {covered - self.fields}"
        assert self.problems == []


def value_of(index: int, column: int):
    return payload(index + column)


def location_path(response) -> str:
    return response["Location"]


def client_for(user) -> Client:
    return sign_in(Client(), user)


@pytest.fixture
def fast_client(monkeypatch):
    """The test client without its per-template context copies (not the subject here)."""
    monkeypatch.setattr("django.test.client.store_rendered_templates",
                        lambda *args, **kwargs: None)


# --- scenario: intake -------------------------------------------------------------------------

INTAKE_COLUMNS = ("given_name", "family_name", "alias_1", "alias_2", "contact_details",
                  "code_word", "contact_notes", "us_city", "urgency_notes", "household_name",
                  "household_relationship", "note", "consent_notes", "erasure_reason",
                  "document_name")


def multipart_file(field_name: str, filename: str, content: bytes, extra: dict[str, str]):
    """A multipart body with the file name escaped the way browsers do (HTML standard:
    ``"`` → %22, CR → %0D, LF → %0A), so that any name reaches the server."""
    boundary = "----northstar-xss-boundary"
    escaped = filename.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")
    lines = []
    for name, value in extra.items():
        lines += [f"--{boundary}", f'Content-Disposition: form-data; name="{name}"', "",
                  value]
    head = "\r\n".join([*lines, f"--{boundary}",
                        f'Content-Disposition: form-data; name="{field_name}"; '
                        f'filename="{escaped}"', "Content-Type: application/pdf", "", ""])
    body = head.encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def intake_case(client, index: int) -> str:
    """A case through the counsellor's forms with payloads in every free-text field."""
    item = {name: value_of(index, column).text for column, name in enumerate(INTAKE_COLUMNS)}
    response = client.post("/cases/new/", {"given_name": item["given_name"],
                                            "family_name": item["family_name"]})
    assert response.status_code == 302, response.content[:300]
    number = location_path(response).split("/")[2]
    steps = {
        "identity": step_post("identity", {"client": {
            "given_name": item["given_name"], "family_name": item["family_name"],
            "aliases": f"{item['alias_1']}\n{item['alias_2']}",
            "date_of_birth": "1990-01-01"}}, save=True),
        "contact": step_post("contact", {"client": {
            "contact_details": item["contact_details"], "code_word": item["code_word"],
            "contact_notes": item["contact_notes"], "us_city": item["us_city"]}}, save=True),
        "urgency": step_post("urgency", {
            "case": {"urgency_notes": item["urgency_notes"]},
            "household": [{"name": item["household_name"],
                           "relationship": item["household_relationship"]}]}, save=True),
    }
    for slug, data in steps.items():
        response = client.post(f"/cases/{number}/intake/{slug}/", data)
        assert response.status_code == 302, (slug, response.content[:2000])
    response = client.post(f"/cases/{number}/notes/", {"body": item["note"]})
    assert response.status_code == 302
    response = client.post(f"/cases/{number}/consents/new/", {
        "purpose": "referral", "service_type": "shelter", "method": "verbal",
        "given_by": "client", "given_on": timezone.localdate().isoformat(),
        "notes": item["consent_notes"]})
    assert response.status_code == 302, response.content[:2000]
    name = item["document_name"].replace("/", "").replace("\\", "") + ".pdf"
    body, content_type = multipart_file("file", name, make_pdf(), {"kind": "other"})
    response = client.post(f"/cases/{number}/documents/new/", body, content_type=content_type)
    assert response.status_code in (200, 302), response.status_code
    return number


@pytest.mark.django_db
def test_intake_fields_are_escaped_on_every_page(fast_client):
    report = Report("intake")
    counsellor = UserFactory(counsellor=True, coordinator=True, full_name="Casey Counsellor")
    admin = UserFactory(admin=True)
    client, admin_client = client_for(counsellor), client_for(admin)
    numbers = [intake_case(client, index) for index in range(N)]
    cases = Case.objects.select_related("client").in_bulk(field_name="number")
    for index, number in enumerate(numbers):
        marker = {name: value_of(index, column).marker
                  for column, name in enumerate(INTAKE_COLUMNS)}
        case = cases[number]
        response = client.post(f"/cases/{number}/erasure/", {
            "reason": value_of(index, INTAKE_COLUMNS.index("erasure_reason")).text,
            "confirm": "on"})
        assert response.status_code == 302
        client_row = case.client
        names = {"intake.Client.given_name": [report.stored_value(
                     "intake.Client.given_name", client_row.given_name, marker["given_name"])],
                 "intake.Client.family_name": [report.stored_value(
                     "intake.Client.family_name", client_row.family_name,
                     marker["family_name"])]}
        aliases = client_row.aliases
        for alias_marker in (marker["alias_1"], marker["alias_2"]):
            report.stored_value("intake.Client.aliases", " ".join(aliases), alias_marker)
        contact = {f"intake.Client.{name}": [report.stored_value(
            f"intake.Client.{name}", getattr(client_row, name), marker[name])]
            for name in ("contact_details", "code_word", "contact_notes", "us_city")}
        household = case.household[0]
        urgency = {
            "intake.Case.urgency_notes": [report.stored_value(
                "intake.Case.urgency_notes", case.urgency_notes, marker["urgency_notes"])],
            "intake.Case.household": [
                report.stored_value("intake.Case.household", household["name"],
                                    marker["household_name"]),
                report.stored_value("intake.Case.household", household["relationship"],
                                    marker["household_relationship"])]}
        note = Note.objects.get(case=case).body
        consent_notes = case.consents.get().notes
        erasure_reason = case.erasure_requests.get().reason
        documents = list(Document.objects.filter(case=case))
        report.stored_value("intake.Note.body", note, marker["note"])
        report.stored_value("intake.Consent.notes", consent_notes, marker["consent_notes"])
        report.stored_value("intake.ErasureRequest.reason", erasure_reason,
                            marker["erasure_reason"])
        document_names = [report.stored_value("intake.Document.original_name",
                                              document.original_name, marker["document_name"])
                          for document in documents]
        if not documents:
            report.problems.append(f"{number}: document {marker['document_name']} refused")

        report.check("case", client.get(f"/cases/{number}/"), shown={
            **names, "intake.Note.body": [note],
            "intake.Document.original_name": document_names,
            "accounts.User.full_name": [counsellor.full_name]},
            hidden={"intake.Consent.notes": [consent_notes],
                    "intake.ErasureRequest.reason": [erasure_reason]})
        report.check("intake:identity", client.get(f"/cases/{number}/intake/identity/"),
                     shown={**names, "intake.Client.aliases": aliases})
        report.check("intake:contact", client.get(f"/cases/{number}/intake/contact/"),
                     shown=contact)
        report.check("intake:urgency", client.get(f"/cases/{number}/intake/urgency/"),
                     shown=urgency)
        report.check("search", client.post("/cases/search/", {
            "full_name": client_row.display_name, "date_of_birth": "1990-01-01"}),
            shown={"intake.Client.given_name": [client_row.display_name]})
        for document in documents:
            check_download(report, client, number, document)
        if index % 10 == 0:
            report.check("home", client.get("/"))
            report.check("referral:dashboard", client.get("/referrals/"))
    listed = b""
    for page in (1, 2):
        response = client.get(f"/cases/?per_page=50&page={page}")
        report.check("cases", response)
        listed += response.content
    shown = inspect(listed)
    for case in cases.values():
        if not shown.shows(case.client.display_name):
            report.problems.append(f"cases: {case.client.display_name!r} not listed")
    reasons = [request.reason for case in cases.values()
               for request in case.erasure_requests.all()]
    report.check("erasures", admin_client.get("/manage/erasures/"),
                 hidden={"intake.ErasureRequest.reason": reasons})
    report.check("home:admin", admin_client.get("/"),
                 hidden={"intake.ErasureRequest.reason": reasons})
    report.finish()


ASCII_FALLBACK = re.compile(
    r'^attachment; filename="[A-Za-z0-9._-]+"; filename\*=UTF-8\'\'[^\s";]+$')


def check_download(report: Report, client, number: str, document: Document) -> None:
    """The download's Content-Disposition: one header line, a plain-ASCII ``filename`` and
    the exact name percent-encoded in ``filename*``; the body is never a page."""
    response = client.get(f"/cases/{number}/documents/{document.pk}/download/")
    report.pages += 1
    report.kinds.add("download")
    header = response["Content-Disposition"]
    if not ASCII_FALLBACK.match(header):
        report.problems.append(f"download: unsafe Content-Disposition {header!r}")
    if not header.endswith("''" + quote(document.original_name, safe="")):
        report.problems.append(f"download: name not kept in {header!r}")
    if response["Content-Type"] != "application/pdf" or \
            response["X-Content-Type-Options"] != "nosniff":
        report.problems.append(f"download: served as {response['Content-Type']}")


# --- scenario: referrals and the partner portal ------------------------------------------------

REFERRAL_COLUMNS = ("organisation", "given_name", "family_name", "alias", "contact_details",
                    "code_word", "household_relationship", "coordinator_note", "answer_note",
                    "partner_message", "coordinator_message")
ANSWERS = ("accept", "decline", "hand_back", "complete")


@dataclass
class ReferralSetup:
    case: Case
    partner_user: object
    organisation: object
    service: object


def referral_world(coordinator, index: int) -> ReferralSetup:
    """A partner organisation named with a payload (service, agreement, user) and an open case
    whose client fields are payloads, with consent to refer and to be contacted."""
    from tests.factories import OrganisationFactory
    from tests.referrals.factories import DataSharingAgreementFactory, PartnerServiceFactory
    from tests.referrals.referral_helpers import give_consent, make_case

    item = {name: value_of(index, column).text for column, name in enumerate(REFERRAL_COLUMNS)}
    organisation = OrganisationFactory(name=item["organisation"])
    service = PartnerServiceFactory(organisation=organisation, service_type="legal_aid",
                                    name=f"Legal clinic {index}", languages=["es"],
                                    provinces=["QC"])
    DataSharingAgreementFactory(organisation=organisation)
    partner_user = UserFactory(partner=True, organisation=organisation)
    case = make_case(coordinator, given_name=item["given_name"],
                     family_name=item["family_name"], aliases=[item["alias"]],
                     contact_details=item["contact_details"], code_word=item["code_word"])
    case.household = [{"name": "Not shared", "relationship": item["household_relationship"]}]
    case.save(update_fields=["household"])
    give_consent(case, coordinator, partner=_Partner(organisation))
    give_consent(case, coordinator, partner=_Partner(organisation), purpose="contact")
    return ReferralSetup(case, partner_user, organisation, service)


@dataclass
class _Partner:
    organisation: object


def packet_texts(referral) -> list[str]:
    """The free text of a packet snapshot (the client's fields), as stored."""
    texts = []

    def walk(value):
        if isinstance(value, dict):
            for inner in value.values():
                walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)
        elif isinstance(value, str) and MARKER.search(value):
            texts.append(value)

    walk(referral.packet)
    return texts


@pytest.mark.django_db
def test_referral_and_portal_fields_are_escaped_on_every_page(fast_client):
    from referrals.models import Referral, ReferralMessage
    from referrals.packets import share_profile
    from referrals.selectors import draft_preview

    report = Report("referrals")
    coordinator = UserFactory(coordinator=True, counsellor=True, full_name="Kim Coordinator")
    client = client_for(coordinator)
    optional = share_profile("legal_aid").optional
    setups = [referral_world(coordinator, index) for index in range(N)]
    for index, setup in enumerate(setups):
        marker = {name: value_of(index, column).marker
                  for column, name in enumerate(REFERRAL_COLUMNS)}
        item = {name: value_of(index, column).text
                for column, name in enumerate(REFERRAL_COLUMNS)}
        number = setup.case.number
        response = client.post(f"/cases/{number}/referrals/new/",
                               {"service": setup.service.pk})
        assert response.status_code == 302, response.content[:3000]
        reference = location_path(response).split("/")[2]
        detail = f"/referrals/{reference}/"
        response = client.post(f"{detail}fields/", {"fields": list(optional),
                                                    "coordinator_note": item["coordinator_note"]})
        assert response.status_code == 302, response.content[:3000]
        referral = Referral.objects.get(reference=reference)
        note = report.stored_value("referrals.Referral.coordinator_note",
                                   referral.coordinator_note, marker["coordinator_note"])
        client_values = [item[name] for name in ("given_name", "family_name", "alias",
                                                 "contact_details", "code_word",
                                                 "household_relationship")]
        report.check("referral:draft", client.get(detail), shown={
            "referrals.Referral.coordinator_note": [note],
            "referrals.Referral.packet": client_values,
            "accounts.Organisation.name": [setup.organisation.name]})
        response = client.post(f"{detail}send/", {
            "fingerprint": draft_preview(Referral.objects.get(pk=referral.pk))["fingerprint"]})
        assert response.status_code == 302, response.content[:3000]
        referral = Referral.objects.get(pk=referral.pk)
        packet = packet_texts(referral)
        for value in client_values:
            report.stored_value("referrals.Referral.packet", " ".join(packet),
                                MARKER.search(value).group())
        partner = client_for(setup.partner_user)
        portal = f"/portal/referrals/{reference}/"
        report.check("portal:referral", partner.get(portal), shown={
            "referrals.Referral.packet": packet,
            "referrals.Referral.coordinator_note": [note]})
        assert partner.post(f"{portal}messages/", {
            "body": item["partner_message"],
            **({"is_progress_update": "on"} if index % 2 else {})}).status_code == 302
        assert client.post(f"{detail}messages/",
                           {"body": item["coordinator_message"]}).status_code == 302
        answer(partner, portal, ANSWERS[index % len(ANSWERS)], item["answer_note"])
        referral = Referral.objects.get(pk=referral.pk)
        answer_note = report.stored_value("referrals.Referral.answer_note", referral.answer_note,
                                          marker["answer_note"])
        bodies = [report.stored_value("referrals.ReferralMessage.body", message.body,
                                      marker[name])
                  for message, name in zip(
                      ReferralMessage.objects.filter(referral=referral).order_by("pk"),
                      ("partner_message", "coordinator_message"), strict=True)]
        report.check("referral:sent", client.get(detail), shown={
            "referrals.Referral.packet": packet,
            "referrals.Referral.coordinator_note": [note],
            "referrals.Referral.answer_note": [answer_note],
            "referrals.ReferralMessage.body": bodies,
            "accounts.Organisation.name": [setup.organisation.name]})
        report.check("referral:print", client.get(f"{detail}preview/"),
                     shown={"referrals.Referral.packet": packet})
        report.check("portal:referral", partner.get(portal), shown={
            "referrals.Referral.answer_note": [answer_note],
            "referrals.ReferralMessage.body": bodies})
        if index < 8:
            report.check("portal:queue", partner.get("/portal/?queue=closed"),
                         shown={"accounts.Organisation.name": [setup.organisation.name]})
            report.check("home:partner", partner.get("/"),
                         shown={"accounts.Organisation.name": [setup.organisation.name]})
            report.check("case", client.get(f"/cases/{number}/"),
                         shown={"accounts.Organisation.name": [setup.organisation.name]})
    names = [setup.organisation.name for setup in setups]
    report.check("intake:consent_form",
                 client.get(f"/cases/{setups[0].case.number}/consents/new/"),
                 shown={"accounts.Organisation.name": names})
    report.check("referral:dashboard", client.get("/referrals/"))
    report.check("referral:new", client.get(
        f"/cases/{setups[0].case.number}/referrals/new/?needs=legal_aid"))
    report.finish()


def answer(partner, portal: str, how: str, note: str) -> None:
    """The partner's answer through the portal's forms, with ``note`` in the last one."""
    posts = {
        "accept": [("accept/", {"accept-note": note})],
        "decline": [("decline/", {"reason": "no_capacity", "note": note})],
        "hand_back": [("accept/", {}), ("hand-back/", {"hand_back-note": note})],
        "complete": [("accept/", {}), ("start/", {}), ("complete/", {"complete-note": note})],
    }[how]
    for path, data in posts:
        response = partner.post(f"{portal}{path}", data)
        assert response.status_code == 302, (how, path, response.status_code)


def test_a_packet_shows_each_alias_as_typed_not_as_a_python_list():
    """Found by the referrals scenario: aliases were shown as ``['Mari T.']``, with quotes
    and backslash escapes (a partner read ``[\\'O\\\\'Neil\\']`` for O'Neil)."""
    from referrals.packets import packet_rows

    (row,) = packet_rows({"fields": [["alias", ["Mari T.", "O'Neil \\ x\u2028y"]]]})
    assert row.values == ("Mari T.", "O'Neil \\ x\u2028y")
    assert row.value == "Mari T., O'Neil \\ x\u2028y"


# --- scenario: the public help form and the triage queue -------------------------------------

HELP_COLUMNS = ("name", "contact_details", "message")


@pytest.mark.django_db
def test_help_request_fields_are_escaped_on_every_page(fast_client, settings):
    from intake.models import HelpRequest

    settings.HELP_REQUEST_RATE_LIMIT = 10 * N
    report = Report("help")
    public = Client()
    for index in range(N):
        item = {name: value_of(index, column).text for column, name in enumerate(HELP_COLUMNS)}
        form = {"contact_method": "phone", "preferred_language": "es", **item}
        language = ("", "es/", "fr/", "ht/")[index % 4]
        # Without consent: the form comes back with every value as typed.
        report.check("help:form", public.post(f"/help/{language}", form), shown={
            f"intake.HelpRequest.{name}": [item[name]] for name in HELP_COLUMNS})
        response = public.post(f"/help/{language}", {**form, "consent": "on"})
        assert response.status_code == 302, response.content[:2000]
    counsellor = UserFactory(counsellor=True)
    staff = client_for(counsellor)
    requests = list(HelpRequest.objects.order_by("created_at", "pk"))
    assert len(requests) == N
    for index, help_request in enumerate(requests):
        values = {f"intake.HelpRequest.{name}": [report.stored_value(
            f"intake.HelpRequest.{name}", getattr(help_request, name),
            value_of(index, column).marker)] for column, name in enumerate(HELP_COLUMNS)}
        report.check("triage:detail", staff.get(f"/triage/{help_request.pk}/"), shown=values)
    listed = b""
    for page in range(1, N // 25 + 2):
        response = staff.get(f"/triage/?status=new&page={page}")
        report.check("triage", response)
        listed += response.content
    shown = inspect(listed)
    for help_request in requests:
        if not shown.shows(help_request.name):
            report.problems.append(f"triage: {help_request.name!r} not listed")
    # A request turned into a case: the first intake step shows the name and contact.
    response = staff.post(f"/triage/{requests[0].pk}/convert/")
    assert response.status_code == 302
    report.check("intake:identity", staff.get(location_path(response)),
                 shown={"intake.HelpRequest.name": [requests[0].name]})
    report.finish()


# --- scenario: the partner directory (HSDS import, data-sharing agreements) ------------------

DIRECTORY_COLUMNS = ("name", "alternate_name", "description", "email", "website", "hsds_id",
                     "service_name", "service_description", "eligibility", "fees", "unit",
                     "service_hsds_id", "location_name", "address_1", "address_2", "city",
                     "location_hsds_id", "contact_name", "contact_title", "phone",
                     "contact_email", "contact_hsds_id", "document_reference")


def email_variant(text: str) -> str:
    """The payload as the local part of an e-mail address (quoted, as RFC 5321 allows), the
    form in which a payload gets past e-mail validation."""
    local = "".join(char for char in text if char not in '"\\' and 32 < ord(char) < 127)
    return f'"{local}"@evil.example'


def url_variant(text: str) -> str:
    """The payload in the query of a web address (what gets past http/https validation)."""
    return "https://evil.example/?q=" + quote(text, safe="<>\"'`()=;:/{}$#|!@*+,&")


def fits(text: str, length: int, index: int, column: int) -> str:
    """``text`` if it fits in ``length`` characters, else the next payload that does."""
    step = 0
    while len(text) > length:
        step += 1
        text = value_of(index, column + step * 7).text
    return text


def hsds_organisation(index: int) -> dict:
    item = {name: value_of(index, column).text
            for column, name in enumerate(DIRECTORY_COLUMNS)}
    return {
        "id": f"org-{index}-{item['hsds_id']}", "name": item["name"],
        "alternate_name": item["alternate_name"], "description": item["description"],
        "email": email_variant(item["email"]), "website": url_variant(item["website"]),
        "services": [{
            "id": f"svc-{index}-{item['service_hsds_id']}", "name": item["service_name"],
            "status": "active", "description": item["service_description"],
            "eligibility_description": item["eligibility"], "fees_description": item["fees"],
            "attributes": [{"id": f"attr-{index}", "taxonomy_term": {
                "id": "term-legal", "code": "legal_aid", "name": "Legal aid",
                "taxonomy": "northstar-service-types"}}],
            "languages": [{"id": f"lang-{index}", "name": "Spanish", "code": "es"}],
            "service_areas": [{"id": f"area-{index}", "name": "Quebec"}],
            "capacities": [{"id": f"cap-{index}", "available": 1, "maximum": 5,
                            "updated": "2026-01-05T10:00:00Z",
                            "unit": {"id": f"unit-{index}",
                                     "name": fits(item["unit"], 50, index, 10)}}],
        }],
        "locations": [{
            "id": f"loc-{index}-{item['location_hsds_id']}", "location_type": "physical",
            "name": item["location_name"],
            "addresses": [{"id": f"addr-{index}", "address_1": item["address_1"],
                           "address_2": item["address_2"], "city": item["city"],
                           "state_province": "Quebec", "postal_code": "H2X 1Y4",
                           "country": "CA", "address_type": "physical"}],
        }],
        "contacts": [{
            "id": f"contact-{index}-{item['contact_hsds_id']}", "name": item["contact_name"],
            "title": item["contact_title"], "email": email_variant(item["contact_email"]),
            "phones": [{"id": f"phone-{index}",
                        "number": fits(item["phone"], 40, index, 19)}]}],
    }


@pytest.mark.django_db
def test_directory_fields_are_escaped_on_every_page(fast_client, tmp_path):
    import datetime
    import json

    from django.core.management import call_command

    from northstar.accounts.models import Organisation
    from referrals.directory.services import data_sharing_agreement_record
    from referrals.models import PartnerService

    report = Report("directory")
    path = tmp_path / "directory.json"
    path.write_text(json.dumps({"contents": [hsds_organisation(index) for index in range(N)]}))
    call_command("hsds_import", str(path), stdout=open(tmp_path / "out.txt", "w"))  # noqa: SIM115
    admin = UserFactory(admin=True)
    staff = client_for(admin)
    organisations = {organisation.partner_profile.hsds_id: organisation for organisation in
                     Organisation.objects.select_related("partner_profile").filter(
                         partner_profile__isnull=False)}
    assert len(organisations) == N
    reference_column = DIRECTORY_COLUMNS.index("document_reference")
    for index in range(N):
        marker = {name: value_of(index, column).marker
                  for column, name in enumerate(DIRECTORY_COLUMNS)}
        hsds_id = hsds_organisation(index)["id"]
        organisation = organisations[hsds_id]
        data_sharing_agreement_record(
            actor=admin, organisation=organisation,
            signed_on=timezone.localdate() - datetime.timedelta(days=1),
            expires_on=timezone.localdate() + datetime.timedelta(days=300),
            document_reference=value_of(index, reference_column).text)
        profile = organisation.partner_profile
        service = organisation.partner_services.get()
        location = organisation.partner_locations.get()
        contact = organisation.partner_contacts.get()
        agreement = organisation.data_sharing_agreements.get()

        def stored(name, obj, attribute, column, expected_marker=None, marker=marker):
            return [report.stored_value(name, getattr(obj, attribute),
                                        expected_marker or marker[column])]

        shown = {
            "accounts.Organisation.name": stored("accounts.Organisation.name", organisation,
                                                 "name", "name"),
            "referrals.PartnerProfile.alternate_name": stored(
                "referrals.PartnerProfile.alternate_name", profile, "alternate_name",
                "alternate_name"),
            "referrals.PartnerProfile.description": stored(
                "referrals.PartnerProfile.description", profile, "description", "description"),
            "referrals.PartnerProfile.website": stored(
                "referrals.PartnerProfile.website", profile, "website", "website",
                quote(value_of(index, 4).marker)),
            "referrals.PartnerService.name": stored(
                "referrals.PartnerService.name", service, "name", "service_name"),
            "referrals.PartnerService.description": stored(
                "referrals.PartnerService.description", service, "description",
                "service_description"),
            "referrals.PartnerService.eligibility_notes": stored(
                "referrals.PartnerService.eligibility_notes", service, "eligibility_notes",
                "eligibility"),
            "referrals.PartnerService.fees": stored(
                "referrals.PartnerService.fees", service, "fees", "fees"),
            "referrals.PartnerLocation.name": stored(
                "referrals.PartnerLocation.name", location, "name", "location_name"),
            "referrals.PartnerLocation.address_1": stored(
                "referrals.PartnerLocation.address_1", location, "address_1", "address_1"),
            "referrals.PartnerLocation.address_2": stored(
                "referrals.PartnerLocation.address_2", location, "address_2", "address_2"),
            "referrals.PartnerLocation.city": stored(
                "referrals.PartnerLocation.city", location, "city", "city"),
            "referrals.PartnerContact.name": stored(
                "referrals.PartnerContact.name", contact, "name", "contact_name"),
            "referrals.PartnerContact.title": stored(
                "referrals.PartnerContact.title", contact, "title", "contact_title"),
            "referrals.DataSharingAgreement.document_reference": stored(
                "referrals.DataSharingAgreement.document_reference", agreement,
                "document_reference", "document_reference"),
        }
        for name, obj, attribute in (
                ("referrals.PartnerProfile.email", profile, "email"),
                ("referrals.PartnerContact.email", contact, "email"),
                ("referrals.PartnerContact.phone", contact, "phone"),
                ("referrals.PartnerService.capacity_unit", service, "capacity_unit")):
            value = getattr(obj, attribute)  # e-mail shaped, or the payload that fits
            report.stored_value(name, value, MARKER.search(value).group() if
                                MARKER.search(value) else "xqz")
            shown[name] = [value]
        hidden = {name: [report.stored_value(name, obj.hsds_id, marker[column])]
                  for name, obj, column in (
                      ("referrals.PartnerProfile.hsds_id", profile, "hsds_id"),
                      ("referrals.PartnerService.hsds_id", service, "service_hsds_id"),
                      ("referrals.PartnerLocation.hsds_id", location, "location_hsds_id"),
                      ("referrals.PartnerContact.hsds_id", contact, "contact_hsds_id"))}
        report.check("partner", staff.get(f"/directory/partners/{organisation.pk}/"),
                     shown=shown, hidden=hidden)
        if index < 5:
            report.check("service_capacity",
                         staff.get(f"/directory/services/{service.pk}/capacity/"),
                         shown={"referrals.PartnerService.name": [service.name]})
            partner = client_for(UserFactory(partner=True, organisation=organisation))
            report.check("own_services", partner.get("/directory/my-services/"),
                         shown={"referrals.PartnerService.name": [service.name]})
    listed = b""
    for page in range(1, N // 25 + 2):
        response = staff.get(f"/directory/?page={page}")
        report.check("partners", response)
        listed += response.content
    shown = inspect(listed)
    for service in PartnerService.objects.all():
        if not shown.shows(service.name):
            report.problems.append(f"partners: {service.name!r} not listed")
    report.finish()


# --- scenario: accounts (invitations, names, e-mail) ----------------------------------------

ACCOUNT_COLUMNS = ("email", "full_name", "organisation")
LINK = re.compile(r"https?://\S+/invitations/(?P<token>[\w-]+)/")


@pytest.mark.django_db
def test_account_fields_are_escaped_on_every_page(fast_client, mailoutbox,
                                                   django_capture_on_commit_callbacks):
    from intake.services import case_create, note_add
    from northstar.accounts.models import Invitation, User
    from northstar.accounts.selectors import pending_invitations
    from tests.factories import OrganisationFactory, network_organisation

    report = Report("accounts")
    admin = UserFactory(admin=True)
    staff = client_for(admin)
    network = network_organisation()
    for index in range(N):
        item = {name: value_of(index, column).text
                for column, name in enumerate(ACCOUNT_COLUMNS)}
        partner = index % 2 == 1
        organisation = OrganisationFactory(name=item["organisation"]) if partner else network
        with django_capture_on_commit_callbacks(execute=True):
            response = staff.post("/manage/invitations/new/", {
                "email": email_variant(item["email"]), "organisation": organisation.pk,
                "roles": ["partner"] if partner else ["counsellor"]})
        assert response.status_code == 302, response.content[:3000]
    invitations = list(Invitation.objects.order_by("pk"))
    emails = [report.stored_value("accounts.Invitation.email", invitation.email,
                                  value_of(index, 0).marker)
              for index, invitation in enumerate(invitations)]
    listed_first = [invitation.email for invitation in pending_invitations()[:50]]
    assert len(listed_first) == 50 and set(listed_first) <= set(emails)
    report.check("users", staff.get("/manage/users/"),
                 shown={"accounts.Invitation.email": listed_first})
    check_invitation_mails(report, mailoutbox, invitations)
    shared_cases = [case_create(actor=admin_counsellor(), given_name="Shared", family_name=str(n))
                    for n in range(2)]
    for index, (invitation, message) in enumerate(zip(invitations, mailoutbox, strict=True)):
        invitee = Client()
        token = LINK.search(message.body)["token"]
        assert invitee.get(f"/invitations/{token}/").status_code == 302
        report.check("invitation:accept", invitee.get("/invitations/accept/"), shown={
            "accounts.Invitation.email": [invitation.email],
            "accounts.Organisation.name": [invitation.organisation.name]})
        response = invitee.post("/invitations/accept/", {
            "full_name": value_of(index, 1).text, "password1": "Fictional-pass-2026!",
            "password2": "Fictional-pass-2026!"})
        assert response.status_code == 302, response.content[:3000]
        user = User.objects.get(email=invitation.email)
        report.stored_value("accounts.User.full_name", user.full_name, value_of(index, 1).marker)
        report.stored_value("accounts.User.email", user.email, value_of(index, 0).marker)
        if user.is_counsellor:
            note_add(actor=user, case=shared_cases[index % 2], body="Fictional note.")
        report.check("user_edit", staff.get(f"/manage/users/{user.pk}/"),
                     shown={"accounts.User.email": [user.email]})
    users = User.objects.exclude(pk=admin.pk).exclude(full_name__startswith="Staff")
    listed = b""
    for page in (1, 2, 3):
        response = staff.get(f"/manage/users/?page={page}")
        report.check("users", response)
        listed += response.content
    shown = inspect(listed)
    for user in users:
        for value in (user.full_name, user.email):
            if not shown.shows(value):
                report.problems.append(f"users: {value!r} not listed")
    audited = b""
    for page in (1, 2):
        response = staff.get(f"/audit/?action=invitation.accepted&page={page}")
        report.check("audit", response)
        audited += response.content
    shown = inspect(audited)
    for user in users:
        if not shown.shows(user.email):
            report.problems.append(f"audit: {user.email!r} not listed")
    counsellor = client_for(UserFactory(counsellor=True, coordinator=True))
    for case in shared_cases:
        authors = [note.author.full_name for note in case.notes.select_related("author")]
        report.check("case", counsellor.get(f"/cases/{case.number}/"),
                     shown={"accounts.User.full_name": authors})
    report.check("home:admin", staff.get("/"))
    report.finish()


def admin_counsellor():
    return UserFactory(counsellor=True, coordinator=True)


def check_invitation_mails(report: Report, outbox, invitations) -> None:
    """Plain-text e-mails only (no HTML part to inject into); the organisation's name as
    typed, no header broken by a line break."""
    assert len(outbox) == len(invitations)
    for message, invitation in zip(outbox, invitations, strict=True):
        report.pages += 1
        report.kinds.add("e-mail")
        if message.content_subtype != "plain" or getattr(message, "alternatives", []):
            report.problems.append(f"mail to {message.to}: not plain text")
        if "\n" in message.subject or "\r" in message.subject:
            report.problems.append(f"mail to {message.to}: broken subject")
        if message.to != [invitation.email]:
            report.problems.append(f"mail: sent to {message.to}, not {invitation.email!r}")
        if invitation.organisation.name not in message.body:
            report.problems.append(f"mail: {invitation.organisation.name!r} not in the body")
        report.fields.add("accounts.Organisation.name")


# --- scenario: statistics (dashboard and exports) --------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@pytest.mark.django_db
def test_statistics_pages_and_exports_neutralise_every_payload(
        fast_client, django_capture_on_commit_callbacks):
    import csv
    import io
    import zipfile

    from openpyxl import load_workbook

    from stats.models import ExportJob
    from tests.factories import OrganisationFactory

    report = Report("stats")
    names = [report.stored_value("accounts.Organisation.name",
                                 OrganisationFactory(name=item.text).name, item.marker)
             for item in PAYLOADS]
    staff = client_for(UserFactory(admin=True))
    period = {"from_quarter": "2026-Q1", "to_quarter": "2026-Q2"}
    report.check("stats", staff.get("/stats/?from_quarter=2026-Q1&to_quarter=2026-Q2"),
                 shown={"accounts.Organisation.name": names})
    files = {}
    for export_format in ("csv", "xlsx", "json"):
        with django_capture_on_commit_callbacks(execute=True):
            response = staff.post("/stats/exports/", {**period, "format": export_format})
        assert response.status_code == 302
        job = ExportJob.objects.order_by("-created_at").first()
        report.check("stats:export_job", staff.get(f"/stats/exports/{job.pk}/"))
        download = staff.get(f"/stats/exports/{job.pk}/download/")
        assert download.status_code == 200
        assert download["X-Content-Type-Options"] == "nosniff"
        files[export_format] = download
        report.pages += 1
        report.kinds.add(f"export:{export_format}")
    assert files["json"]["Content-Type"] == "application/json"
    rows = list(csv.reader(io.StringIO(files["csv"].content.decode("utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    for cell in cells:
        if cell.startswith(FORMULA_STARTS):
            report.problems.append(f"csv: a cell a spreadsheet would run: {cell!r}")
    for name in names:
        expected = "'" + name if name.startswith(FORMULA_STARTS) else name
        if expected not in cells:
            report.problems.append(f"csv: {name!r} missing")
    workbook = load_workbook(io.BytesIO(files["xlsx"].content))
    strings = {}
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    strings[cell.value] = cell.data_type
    with zipfile.ZipFile(io.BytesIO(files["xlsx"].content)) as archive:
        if any(b"<f>" in archive.read(part) or b"<f " in archive.read(part)
               for part in archive.namelist()):
            report.problems.append("xlsx: a formula is stored")
    for name in names:
        # XML cannot hold C0 controls but tab, CR and LF: they come out as U+FFFD (and XML
        # reads a CR LF as LF).
        shown = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "\ufffd", name).replace("\r\n", "\n")
        if strings.get(shown) != "s":
            report.problems.append(f"xlsx: {shown!r} not stored as text ({strings.get(shown)})")
    document = files["json"].json()
    labels = {row["label"] for table in document["tables"] for row in table["rows"]}
    for name in names:
        if name not in labels:
            report.problems.append(f"json: {name!r} missing")
    report.fields.add("accounts.Organisation.name")
    report.finish()


# --- reflected: query parameters of every list page, and the JSON API ------------------------

# The pages that put their query parameters back into the page (filter forms, pagination
# links, the login's "next"). The other list pages read only a page number or a value they
# check against a fixed list (tests/security/test_parameters.py sends them odd ones).
REFLECTING_PAGES = {
    # page: (persona, path, query parameters)
    "cases": ("counsellor", "/cases/", ("status", "urgency", "pathway", "outcome", "assigned",
                                        "created_after", "created_before", "per_page", "page")),
    "partners": ("counsellor", "/directory/", ("service_type", "province", "language",
                                               "accepting_only", "page")),
    "audit": ("admin", "/audit/", ("action", "actor", "object_type", "object_id", "since",
                                   "until", "page")),
    "stats": ("admin", "/stats/", ("from_quarter", "to_quarter")),
    "login": ("anonymous", "/accounts/login/", ("next",)),
}


@pytest.mark.django_db
def test_query_parameters_are_never_reflected_live(fast_client):
    report = Report("reflected")
    clients = {"anonymous": Client(),
               "counsellor": client_for(UserFactory(counsellor=True, coordinator=True)),
               "admin": client_for(UserFactory(admin=True))}
    for page, (persona, path, parameters) in REFLECTING_PAGES.items():
        for index in range(N):
            values = {name: value_of(index, column).text
                      for column, name in enumerate(parameters)}
            query = "&".join(f"{name}={quote(value, safe='')}" for name, value in values.items())
            response = clients[persona].get(f"{path}?{query}")
            # Where the page puts a value back (a text or date input), it is shown as typed.
            echoed = {f"{page}?{name}": [values[name]] for name in ECHOED.get(page, ())}
            report.check(page, response, shown=echoed)
    report.finish()


ECHOED = {"cases": ("created_after", "created_before"),
          "audit": ("action", "object_type", "object_id", "since", "until")}


@pytest.mark.django_db
def test_json_answers_are_json_whatever_the_input(fast_client):
    """The screening API echoes field names and values in its errors: always as JSON
    (application/json, nosniff), never as a page."""
    import json

    report = Report("json")
    client = client_for(UserFactory(counsellor=True))
    for index in range(N):
        text = value_of(index, 0).text
        body = json.dumps({text: text, "person": {"citizenships": [text], "us_status": text}})
        response = client.post("/api/eligibility/screen/", body,
                               content_type="application/json")
        report.pages += 1
        report.kinds.add("screen api")
        if response.status_code != 400 or response["Content-Type"] != "application/json" \
                or response["X-Content-Type-Options"] != "nosniff":
            report.problems.append(f"screen api: {response.status_code} "
                                   f"{response['Content-Type']}")
        errors = response.json()["errors"]
        if not errors or not all({"path", "message"} <= set(error) for error in errors):
            report.problems.append(f"screen api: errors {errors!r}")
    response = client.post("/session/keep-alive/")
    report.pages += 1
    report.kinds.add("keep-alive")
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"idle_seconds", "absolute_seconds_left"}
    report.finish()


def test_a_capacity_unit_is_escaped_in_the_form_help_text():
    """Found by the directory scenario: the unit (from a partner's HSDS file) went into a help
    text, which Django's and crispy's templates render as HTML."""
    from crispy_forms.utils import render_crispy_form

    from referrals.forms_directory import CapacityForm

    form = CapacityForm(unit='<img src=x onerror=xqz999()>"beds"')
    html = render_crispy_form(form)
    assert inspect(html).live == []
    assert "Counted in: &lt;img src=x onerror=xqz999()&gt;&quot;beds&quot;" in html
