"""A synthetic, fictional network for the benchmark, written fast with COPY.

Every row is built in Python with the project's own field classes (``get_db_prep_save``), so
encrypted columns hold real AES-GCM tokens and client names their real blind index, then
streamed with PostgreSQL ``COPY`` (psycopg 3 ``cursor.copy``) with explicit ids; the id
sequences are moved past them at the end. Nobody here exists: clients are "Bench Client
000123", staff "Bench Counsellor 7", partners "Bench Partner 3".

Distributions (a network a few years old): cases spread over three years, more recent ones
denser; 8 % drafts, 42 % open, 25 % referred, 25 % closed; urgency mostly routine; about three
referrals per case on average, across the non-draft cases, most of them answered; a small
timeline per case; and ``audit_events`` audit events forming one valid, sealed hash chain.
"""

from __future__ import annotations

import copy
import datetime
import hmac
import json
import random
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import connection, models
from django.utils import timezone

from bench.engine_bench import corpus
from eligibility.engine import screen
from eligibility.models import Assessment
from eligibility.selectors import facts_fingerprint
from intake.models import (
    FACT_BLOCKS,
    Case,
    CaseEvent,
    CaseStatus,
    Client,
    ClientNameIndex,
    CloseReason,
    ContactMethod,
    Note,
)
from intake.name_index import name_index_values
from intake.services import age_band
from intake.urgency import urgency_for
from northstar.accounts.models import Organisation, User
from northstar.audit.chain import GENESIS, canonical_details, canonical_from_text
from northstar.audit.models import AuditEvent, AuditSeal
from northstar.security.fields import EncryptedFieldMixin
from northstar.security.keyring import get_audit_keys
from referrals.models import (
    PartnerService,
    Referral,
    ReferralEvent,
    ReferralStatus,
    ServiceType,
)

PREVIOUS_RULES_VERSION = "bench-previous"
PASSWORD = "Bench-only-password-2026"  # noqa: S105 — fictional accounts in a throwaway database
CASE_STATUSES = ((CaseStatus.DRAFT, 8), (CaseStatus.OPEN, 42), (CaseStatus.REFERRED, 25),
                 (CaseStatus.CLOSED, 25))
DETENTION_RISKS = (("", 10), ("none", 55), ("low", 22), ("high", 10), ("detained", 3))
REFERRAL_STATUSES = (
    (ReferralStatus.DRAFT, 3), (ReferralStatus.SENT, 10), (ReferralStatus.ACCEPTED, 12),
    (ReferralStatus.IN_PROGRESS, 15), (ReferralStatus.COMPLETED, 30),
    (ReferralStatus.DECLINED, 15), (ReferralStatus.EXPIRED, 6), (ReferralStatus.WITHDRAWN, 6),
    (ReferralStatus.HANDED_BACK, 3),
)
ANSWERED = {ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS, ReferralStatus.COMPLETED,
            ReferralStatus.DECLINED, ReferralStatus.HANDED_BACK}
PROVINCES = (("QC", 35), ("ON", 35), ("BC", 10), ("AB", 8), ("MB", 4), ("NS", 3), ("", 5))
US_PLACES = (("Plattsburgh", "NY"), ("Boston", "MA"), ("Burlington", "VT"), ("Buffalo", "NY"),
             ("Seattle", "WA"), ("Detroit", "MI"), ("New York", "NY"), ("Chicago", "IL"))
LANGUAGES = (("es", 45), ("fr", 15), ("ht", 12), ("en", 10), ("ar", 6), ("pt", 5), ("so", 4),
             ("ti", 3))
AUDIT_ACTIONS = (
    ("case.viewed", 55), ("case.screened", 15), ("case.step_saved", 10), ("auth.login", 6),
    ("referral.viewed", 6), ("referral.sent", 3), ("case.searched", 3), ("consent.recorded", 2),
)
PARTNER_COUNT = 12
BATCH = 20_000


def weighted(rng: random.Random, pairs) -> list:
    values, weights = zip(*pairs, strict=True)
    return values, weights


def pick(rng: random.Random, pairs):
    values, weights = weighted(rng, pairs)
    return rng.choices(values, weights)[0]


@dataclass
class Template:
    """One realistic facts document split into the case's blocks, with its screening."""

    blocks: dict
    date_of_birth: datetime.date
    result: dict
    outcomes: dict
    nationality: str


@dataclass
class Network:
    network: Organisation
    counsellors: list[User]
    coordinators: list[User]
    partners: list[Organisation]
    partner_users: list[User]
    services: dict  # (organisation id, service type) -> service id
    admin: User
    bench_counsellor: User  # counsellor and coordinator: sees every case
    bench_partner: User  # a user of the busiest partner organisation


# --- COPY ------------------------------------------------------------------------------------


def converter(field):
    """How one column's Python value becomes what COPY writes: encrypted fields through their
    own ``get_db_prep_value`` (real AES-GCM tokens), JSON as its text, anything else as is
    (psycopg adapts ints, strings, dates and aware datetimes itself)."""
    if isinstance(field, EncryptedFieldMixin):
        return lambda value: field.get_db_prep_value(value, connection)
    if isinstance(field, models.JSONField):
        return lambda value: None if value is None else json.dumps(value, cls=field.encoder)
    return None


def copy_rows(model, rows: Iterable[dict]) -> int:
    """COPY ``rows`` (dicts of attname → Python value) into ``model``'s table; every concrete
    field is written (absent ones with their default), encrypted fields encrypted.

    ``rows`` must not use the database connection while it is iterated (the COPY holds it)."""
    fields = model._meta.concrete_fields
    plan = []
    for field in fields:
        default = field.get_default() if field.has_default() or field.null else None
        plan.append((field.attname, converter(field), default,
                     isinstance(default, list | dict)))
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    statement = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
    count = 0
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as stream:
        for row in rows:
            values = []
            for attname, convert, default, mutable in plan:
                value = row[attname] if attname in row else \
                    (copy.copy(default) if mutable else default)
                values.append(convert(value) if convert is not None else value)
            stream.write_row(values)
            count += 1
    return count


def reset_sequences(models) -> None:
    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), "  # noqa: S608
                f"COALESCE((SELECT MAX(id) FROM {connection.ops.quote_name(table)}), 0) + 1, "
                "false)", [table])


# --- the network -----------------------------------------------------------------------------


def make_user(email: str, name: str, organisation: Organisation, **roles) -> User:
    user = User(email=email, full_name=name, organisation=organisation, **roles)
    user.set_password(PASSWORD)
    user.save()
    return user


def seed_network(cases: int) -> Network:
    network = Organisation.objects.create(name="Bench Network", kind=Organisation.Kind.NETWORK)
    counsellors = [make_user(f"counsellor{n}@bench.example", f"Bench Counsellor {n}", network,
                             is_counsellor=True)
                   for n in range(max(3, min(40, cases // 2500)))]
    coordinators = [make_user(f"coordinator{n}@bench.example", f"Bench Coordinator {n}",
                              network, is_coordinator=True) for n in range(5)]
    bench_counsellor = make_user("bench@bench.example", "Bench Counsellor Coordinator", network,
                                 is_counsellor=True, is_coordinator=True)
    admin = make_user("admin@bench.example", "Bench Admin", network, is_network_admin=True)
    partners, partner_users, services = [], [], {}
    for n in range(PARTNER_COUNT):
        organisation = Organisation.objects.create(name=f"Bench Partner {n}",
                                                   kind=Organisation.Kind.PARTNER)
        partners.append(organisation)
        for m in range(2):
            partner_users.append(make_user(f"partner{n}-{m}@bench.example",
                                           f"Bench Partner User {n}-{m}", organisation,
                                           is_partner=True))
        for kind in ServiceType.values[n % 3::2]:
            service = PartnerService.objects.create(organisation=organisation, service_type=kind,
                                                    name=f"Bench {kind} {n}")
            services[(organisation.pk, kind)] = service.pk
    return Network(network, counsellors, coordinators, partners, partner_users, services, admin,
                   bench_counsellor, partner_users[0])


def templates() -> list[Template]:
    """The engine benchmark's corpus (the contract's examples and variations), screened once
    each under the current rules; stored as if screened under the previous rules version."""
    found = []
    for facts in corpus():
        facts = copy.deepcopy(facts)
        facts.pop("screening_date", None)
        result = screen(facts)
        result["rules_version"] = PREVIOUS_RULES_VERSION
        person = dict(facts["person"])
        born = datetime.date.fromisoformat(person.pop("date_of_birth"))
        blocks = {"person": person, **{block: facts[block] for block in FACT_BLOCKS
                                       if block != "person" and block in facts}}
        outcomes = {name: pathway["outcome"] for name, pathway in result["pathways"].items()}
        outcomes["stca_applies"] = result["stca"]["applies"]
        citizenships = person.get("citizenships") or []
        found.append(Template(blocks, born, result, outcomes,
                              citizenships[0] if citizenships else ""))
    return found


# --- clients and cases -----------------------------------------------------------------------


@dataclass
class CaseRow:
    id: int
    status: str
    created_at: datetime.datetime
    stat: tuple[str, str, str]  # province, age band, nationality


def case_plan(count: int, rng: random.Random, now: datetime.datetime) -> list[CaseRow]:
    """Ids, statuses and creation times first (referrals and events refer to them)."""
    statuses, weights = weighted(rng, CASE_STATUSES)
    span = 3 * 365 * 86400
    plan = []
    for index in range(1, count + 1):
        # More recent cases are denser: the network grows.
        age = span * (1 - rng.random() ** 0.7)
        created = now - datetime.timedelta(seconds=age)
        plan.append(CaseRow(index, rng.choices(statuses, weights)[0], created, ("", "", "")))
    plan.sort(key=lambda row: row.created_at)
    for index, row in enumerate(plan, start=1):
        row.id = index
    return plan


def client_rows(plan: list[CaseRow], chosen: list[Template], rng: random.Random,
                births: list[datetime.date]) -> Iterator[dict]:
    languages, weights = weighted(rng, LANGUAGES)
    methods = ContactMethod.values
    for row, _template, born in zip(plan, chosen, births, strict=True):
        spoken = sorted(set(rng.choices(languages, weights, k=rng.randint(1, 2))))
        city, state = rng.choice(US_PLACES)
        yield {
            "id": row.id, "given_name": "Bench", "family_name": f"Client {row.id:06d}",
            "aliases": [f"B. Client {row.id:06d}"] if row.id % 9 == 0 else [],
            "date_of_birth": born, "languages": spoken, "preferred_language": spoken[0],
            "contact_method": rng.choice(methods),
            "contact_details": f"+1 555 01{row.id % 100:02d}",
            "safe_to_call": rng.random() < 0.6, "safe_to_leave_message": rng.random() < 0.3,
            "code_word": "", "contact_notes": "", "us_city": city, "us_state": state,
            "created_at": row.created_at, "purged_at": None,
        }


def name_index_rows(plan: list[CaseRow], births: list[datetime.date]) -> Iterator[dict]:
    next_id = 1
    for row, born in zip(plan, births, strict=True):
        names = [f"Bench Client {row.id:06d}"]
        if row.id % 9 == 0:
            names.append(f"B. Client {row.id:06d}")
        for value in sorted(name_index_values(names, born)):
            yield {"id": next_id, "client_id": row.id, "value": value}
            next_id += 1


def case_rows(plan: list[CaseRow], chosen: list[Template], births: list[datetime.date],
              network: Network, rng: random.Random, today: datetime.date,
              numbers: list[str]) -> Iterator[dict]:
    risks, risk_weights = weighted(rng, DETENTION_RISKS)
    provinces, province_weights = weighted(rng, PROVINCES)
    steps_all = ["identity", "contact", "urgency", "family", "relatives", "spouse", "history",
                 "plan", "safety", "economic"]
    for row, template, born, number in zip(plan, chosen, births, numbers, strict=True):
        risk = rng.choices(risks, risk_weights)[0]
        removal = today + datetime.timedelta(days=rng.randint(3, 200)) \
            if risk in {"high", "detained"} and rng.random() < 0.5 else None
        counsellor = rng.choice(network.counsellors)
        draft = row.status == CaseStatus.DRAFT
        closed = row.status == CaseStatus.CLOSED
        province = rng.choices(provinces, province_weights)[0]
        band = age_band(born, row.created_at.date())
        row.stat = (province, band, template.nationality)
        opened = None if draft else row.created_at + datetime.timedelta(hours=rng.randint(1, 72))
        yield {
            "id": row.id, "client_id": row.id, "number": number, "status": row.status,
            "urgency": int(urgency_for(risk or None, removal, today)),
            "assigned_to_id": None if rng.random() < 0.1 else counsellor.pk,
            "created_by_id": counsellor.pk, "created_at": row.created_at,
            "updated_at": opened or row.created_at, "opened_at": opened,
            "closed_at": row.created_at + datetime.timedelta(days=rng.randint(5, 200))
            if closed else None,
            "close_reason": pick(rng, ((CloseReason.REFERRED_AND_DONE, 50),
                                       (CloseReason.NOT_PURSUING, 20),
                                       (CloseReason.NO_CONTACT, 15),
                                       (CloseReason.INELIGIBLE, 10),
                                       (CloseReason.DUPLICATE, 5))) if closed else "",
            "purged_at": None,
            "last_step": "identity" if draft else "economic",
            "steps_done": steps_all[:rng.randint(1, 5)] if draft else steps_all,
            "detention_risk": risk or None, "removal_date": removal, "urgency_notes": "",
            "household": [],
            # Shared with the other cases of the template: only serialised, never changed.
            **{block: template.blocks.get(block) for block in FACT_BLOCKS},
            "screening_outcomes": template.outcomes,
            "screened_at": row.created_at + datetime.timedelta(minutes=5),
            "screening_rules_version": PREVIOUS_RULES_VERSION,
            "stat_age_band": band, "stat_nationality": template.nationality,
            "stat_province": province,
        }


def fill_defaults(rows: Iterator[dict]) -> Iterator[dict]:
    """Blocks absent from a template are stored as their field's default (None or {})."""
    for row in rows:
        for block in FACT_BLOCKS:
            if row[block] is None:
                del row[block]
        yield row


def assessment_rows(plan: list[CaseRow], chosen: list[Template],
                    births: list[datetime.date]) -> Iterator[dict]:
    fingerprints = {}
    for row, template, born in zip(plan, chosen, births, strict=True):
        key = (id(template), born)
        if key not in fingerprints:
            facts = {"schema": "northstar.eligibility.facts/1",
                     "person": {**template.blocks["person"], "date_of_birth": born.isoformat()},
                     **{k: v for k, v in template.blocks.items() if k != "person"}}
            fingerprints[key] = facts_fingerprint(facts)
        screened = row.created_at + datetime.timedelta(minutes=5)
        yield {
            "id": row.id, "case_id": row.id, "created_at": screened,
            "trigger": Assessment.Trigger.INTAKE, "rules_version": PREVIOUS_RULES_VERSION,
            "screening_date": screened.date(), "facts_fingerprint": fingerprints[key],
            "outcomes": template.outcomes, "changed": {}, "result": template.result,
        }


def case_event_rows(plan: list[CaseRow], network: Network, rng: random.Random) -> Iterator[dict]:
    next_id = 1
    for row in plan:
        actor = rng.choice(network.counsellors).pk
        events = [(CaseEvent.Kind.CREATED, row.created_at, {})]
        if row.status != CaseStatus.DRAFT:
            events.append((CaseEvent.Kind.OPENED, row.created_at + datetime.timedelta(hours=2),
                           {}))
        if row.status == CaseStatus.CLOSED:
            events.append((CaseEvent.Kind.CLOSED, row.created_at + datetime.timedelta(days=30),
                           {"reason": "done"}))
        for kind, when, details in events:
            yield {"id": next_id, "case_id": row.id, "kind": kind, "actor_id": actor,
                   "created_at": when, "details": details}
            next_id += 1


def note_rows(plan: list[CaseRow], network: Network, rng: random.Random) -> Iterator[dict]:
    next_id = 1
    for row in plan:
        for _ in range(rng.choice((0, 0, 1, 1, 2))):
            yield {"id": next_id, "case_id": row.id,
                   "author_id": rng.choice(network.counsellors).pk,
                   "body": "Bench note: called back, facts confirmed (fictional).",
                   "created_at": row.created_at + datetime.timedelta(days=1)}
            next_id += 1


# --- referrals -------------------------------------------------------------------------------


def referral_rows(plan: list[CaseRow], network: Network, rng: random.Random,
                  now: datetime.datetime) -> Iterator[dict]:
    """About three per case on average, on non-draft cases (referred and closed ones more)."""
    statuses, weights = weighted(rng, REFERRAL_STATUSES)
    per_status = {CaseStatus.DRAFT: 0, CaseStatus.OPEN: 2.2, CaseStatus.REFERRED: 5.0,
                  CaseStatus.CLOSED: 4.2}
    partners = network.partners
    # A few large partners get most referrals.
    partner_weights = [1.0 / (n + 1) for n in range(len(partners))]
    references = set()
    next_id = 1
    for row in plan:
        mean = per_status[row.status]
        count = min(12, int(rng.expovariate(1 / mean) + 0.5)) if mean else 0
        for _ in range(count):
            partner = rng.choices(partners, partner_weights)[0]
            kinds = [kind for (org, kind) in network.services if org == partner.pk]
            kind = rng.choice(kinds)
            status = rng.choices(statuses, weights)[0]
            created = row.created_at + datetime.timedelta(hours=rng.randint(3, 24 * 30))
            created = min(created, now - datetime.timedelta(minutes=5))
            sent = None if status == ReferralStatus.DRAFT else \
                created + datetime.timedelta(minutes=rng.randint(5, 600))
            answered = sent + datetime.timedelta(hours=rng.randint(2, 24 * 6)) \
                if status in ANSWERED else None
            completed = answered + datetime.timedelta(days=rng.randint(5, 60)) \
                if status == ReferralStatus.COMPLETED else None
            closed = completed or (answered if status in {ReferralStatus.DECLINED,
                                                          ReferralStatus.HANDED_BACK} else None)
            if status in {ReferralStatus.EXPIRED, ReferralStatus.WITHDRAWN}:
                closed = sent + datetime.timedelta(days=14)
            reference = new_unique_reference(references, rng)
            province, band, nationality = row.stat
            yield {
                "id": next_id, "reference": reference, "case_id": row.id,
                "partner_id": partner.pk,
                "service_id": network.services[(partner.pk, kind)], "service_type": kind,
                "status": status, "consent_id": None,
                "created_by_id": rng.choice(network.coordinators).pk, "created_at": created,
                "sent_at": sent, "answered_at": answered, "completed_at": completed,
                "closed_at": closed,
                "decline_reason": "no_capacity" if status == ReferralStatus.DECLINED else "",
                "coordinator_note": "", "answer_note": "",
                "packet": {"fields": [["preferred_language", "es"]]} if sent else None,
                "packet_fields": ["preferred_language"] if sent else [],
                "packet_revoked_at": None, "reminded_at": None, "escalated_at": None,
                "stat_province": province if sent else "",
                "stat_age_band": band if sent else "",
                "stat_nationality": nationality if sent else "",
            }
            next_id += 1


def new_unique_reference(taken: set[str], rng: random.Random) -> str:
    """The format of ``referrals.models.referral.new_reference``, from the seeded generator."""
    from referrals.models.referral import REFERENCE_ALPHABET

    while True:
        chars = "".join(rng.choices(REFERENCE_ALPHABET, k=8))
        reference = f"RF-{chars[:4]}-{chars[4:]}"
        if reference not in taken:
            taken.add(reference)
            return reference


def referral_event_rows(network: Network) -> Iterator[dict]:
    """One event per referral (its latest status), read back from the referrals just copied.

    The referrals are read *before* the COPY starts: a query on the connection while its COPY
    is open would wait for the COPY forever."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, status, created_at, sent_at FROM referrals_referral "
                       "ORDER BY id")
        rows = cursor.fetchall()
    actor = network.coordinators[0].pk
    return ({"id": next_id, "referral_id": referral_id, "from_status": "",
             "to_status": status, "kind": "transition", "actor_id": actor,
             "created_at": sent or created, "details": {}}
            for next_id, (referral_id, status, created, sent) in enumerate(rows, start=1))


# --- audit -----------------------------------------------------------------------------------


AUDIT_EVENT_COLUMNS = ("id", "occurred_at", "actor_id", "action", "object_type", "object_id",
                       "request_id", "details")
AUDIT_SEAL_COLUMNS = ("id", "position", "event_id", "prev_hash", "hash", "key_id", "sealed_at")


def audit_rows(count: int, network: Network, cases: int, rng: random.Random,
               now: datetime.datetime) -> Iterator[tuple[tuple, tuple]]:
    """``count`` events, oldest first, each with its seal (the chain computed as we go, with
    the audit app's own canonical encoding and key), as rows of AUDIT_EVENT_COLUMNS and
    AUDIT_SEAL_COLUMNS; the details as JSON text, each variant encoded once."""
    key_id, key = get_audit_keys()[0]  # the active key, as the sealer uses it
    actions, weights = weighted(rng, AUDIT_ACTIONS)
    staff = [user.pk for user in (*network.counsellors, *network.coordinators)]
    start = (now - datetime.timedelta(days=3 * 365)).astimezone(datetime.UTC)
    step = (now - datetime.timedelta(hours=1) - start) / max(count, 1)
    variants = {
        "login": {}, "referral": {"partner": 1}, "viewed": {"page": "case"},
        "other": {"trigger": "intake", "rules_version": PREVIOUS_RULES_VERSION, "changed": []},
    }
    encoded = {name: canonical_details(details) for name, details in variants.items()}
    last_case = max(cases, 1)
    prev_hash = GENESIS
    drawn = rng.choices(actions, weights, k=count)
    for event_id, action in enumerate(drawn, start=1):
        occurred = start + step * event_id
        if action == "auth.login":
            object_type, object_id, variant = "accounts.user", str(rng.choice(staff)), "login"
        elif action.startswith("referral."):
            object_type, object_id = "referrals.referral", str(rng.randint(1, last_case))
            variant = "referral"
        else:
            object_type, object_id = "intake.case", str(rng.randint(1, last_case))
            variant = "viewed" if action == "case.viewed" else "other"
        actor = rng.choice(staff)
        request_id = f"{rng.getrandbits(64):016x}"
        details = encoded[variant]
        message = canonical_from_text(occurred.isoformat(timespec="microseconds"), actor,
                                      action, object_type, object_id, request_id, details,
                                      prev_hash, event_id)
        digest = hmac.digest(key, message, "sha256").hex()
        yield ((event_id, occurred, actor, action, object_type, object_id, request_id, details),
               (event_id, event_id, event_id, prev_hash, digest, key_id, occurred))
        prev_hash = digest


def copy_tuples(table: str, columns: tuple[str, ...], rows: Iterable[tuple]) -> None:
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor, cursor.cursor.copy(
            f"COPY {connection.ops.quote_name(table)} ({names}) FROM STDIN") as stream:
        for row in rows:
            stream.write_row(row)


def seed_audit(count: int, network: Network, cases: int, rng: random.Random,
               now: datetime.datetime) -> None:
    stream = audit_rows(count, network, cases, rng, now)
    while True:
        batch = [pair for _, pair in zip(range(BATCH * 5), stream, strict=False)]
        if not batch:
            return
        copy_tuples(AuditEvent._meta.db_table, AUDIT_EVENT_COLUMNS,
                    (event for event, _ in batch))
        copy_tuples(AuditSeal._meta.db_table, AUDIT_SEAL_COLUMNS, (seal for _, seal in batch))


# --- all of it -------------------------------------------------------------------------------


@dataclass
class SeedResult:
    network: Network
    cases: int
    referrals: int
    audit_events: int
    seconds: float
    first_quarter: str
    last_quarter: str


def unique_case_numbers(count: int, rng: random.Random) -> list[str]:
    """The format of ``intake.case_numbers.new_case_number``, from the seeded generator."""
    from intake.case_numbers import ALPHABET

    numbers: set[str] = set()
    while len(numbers) < count:
        chars = "".join(rng.choices(ALPHABET, k=8))
        numbers.add(f"NS-{chars[:4]}-{chars[4:]}")
    ordered = sorted(numbers)
    rng.shuffle(ordered)
    return ordered


def seed(*, cases: int, audit_events: int, seed_value: int = 2026,
         log=print) -> SeedResult:
    """Write the whole data set (the database must be freshly migrated). Returns the counts
    and the wall time, encryption and hashing included."""
    from stats.periods import quarter_label

    rng = random.Random(seed_value)
    now = timezone.now()
    today = timezone.localdate()
    started = time.perf_counter()
    network = seed_network(cases)
    found = templates()
    plan = case_plan(cases, rng, now)
    chosen = [rng.choice(found) for _ in plan]
    births = [template.date_of_birth + datetime.timedelta(days=rng.randint(-700, 700))
              for template in chosen]
    numbers = unique_case_numbers(cases, rng)
    copy_rows(Client, client_rows(plan, chosen, rng, births))
    copy_rows(ClientNameIndex, name_index_rows(plan, births))
    copy_rows(Case, fill_defaults(case_rows(plan, chosen, births, network, rng, today, numbers)))
    log(f"  clients and cases: {time.perf_counter() - started:.1f} s")
    copy_rows(Assessment, assessment_rows(plan, chosen, births))
    copy_rows(CaseEvent, case_event_rows(plan, network, rng))
    copy_rows(Note, note_rows(plan, network, rng))
    log(f"  assessments, timelines, notes: {time.perf_counter() - started:.1f} s")
    referrals = copy_rows(Referral, referral_rows(plan, network, rng, now))
    copy_rows(ReferralEvent, referral_event_rows(network))
    log(f"  referrals ({referrals}): {time.perf_counter() - started:.1f} s")
    seed_audit(audit_events, network, cases, rng, now)
    log(f"  audit events ({audit_events}): {time.perf_counter() - started:.1f} s")
    reset_sequences([Client, ClientNameIndex, Case, Assessment, CaseEvent, Note, Referral,
                     ReferralEvent, AuditEvent, AuditSeal])
    seconds = time.perf_counter() - started
    first = plan[0].created_at if plan else now
    zone = timezone.get_current_timezone()
    first_local, last_local = first.astimezone(zone), now.astimezone(zone)
    return SeedResult(
        network=network, cases=cases, referrals=referrals, audit_events=audit_events,
        seconds=seconds,
        first_quarter=quarter_label(first_local.year, (first_local.month - 1) // 3 + 1),
        last_quarter=quarter_label(last_local.year, (last_local.month - 1) // 3 + 1))


def analyze() -> None:
    """Fresh planner statistics, as autovacuum would give a live database."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
