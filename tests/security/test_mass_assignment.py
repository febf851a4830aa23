"""Mass assignment: extra fields in a form change nothing.

Every URL that takes a POST (derived from the access matrix: a new one fails
``test_every_post_url_has_a_form_entry``) is sent its page's own form data by the person who
uses it, then the same data plus attacker fields: ``owner``, ``organisation``, ``partner``,
``status``, ``is_staff``, ``is_superuser``, the role flags and ``roles``, ``consent*``,
``created_by``, ``case``, ``id``/``pk`` and more (``attack_fields``), each also under every
prefix the form uses (``client-status``, ``accept-partner``…), with values naming other
people's objects. Fields the form really has are never overridden.

The database after the attack must equal the database after the plain submission: the same
cells of existing rows changed, to the same values, and the same new rows. Each plain
submission runs twice first, so that what legitimately differs between two identical
submissions (time stamps, random references, ciphertexts) is compared only as "changed or
not". Each run is rolled back before the next.
"""

from __future__ import annotations

import datetime
import functools
import json
from contextlib import contextmanager

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import connection, transaction
from django.urls import reverse

from intake.steps import STEP_SLUGS
from tests.security.access_matrix import MATRIX
from tests.security.snapshot import compared_tables
from tests.security.targets import Target, target_for
from tests.security.world import (  # noqa: F401 (fixtures)
    World,
    keep_media_root,
    world_fixture,
)


def other_user(world: World) -> int:
    return world.users["other_counsellor"].pk


def partner_q(world: World) -> int:
    return world.partner_q.organisation.pk


# Each field an attacker might hope a form binds to a model, with a value naming someone
# else's object (or granting a privilege); a callable value is read from the world.
ATTACK_FIELDS: dict[str, object] = {
    "owner": other_user, "owner_id": other_user, "organisation": partner_q,
    "organisation_id": partner_q, "partner": partner_q, "partner_id": partner_q,
    "status": "closed", "is_staff": "on", "is_superuser": "on", "is_active": "on",
    "role": "admin", "roles": "admin", "is_admin": "on", "is_network_admin": "on",
    "is_coordinator": "on", "is_counsellor": "on", "is_partner": "on",
    "consent": "on", "consent_id": lambda w: w.consent_b.pk, "consent_given_at": "2000-01-01",
    "consent_withdrawn": "on", "withdrawn_at": "2000-01-01", "withdrawn_by": other_user,
    "created_by": other_user, "created_by_id": other_user, "requested_by": other_user,
    "recorded_by": other_user, "author": other_user, "uploaded_by": other_user,
    "handled_by": other_user, "assigned_to": other_user, "invited_by": other_user,
    "user": other_user, "user_id": other_user, "actor": other_user,
    "case": lambda w: w.case_b.pk, "case_id": lambda w: w.case_b.pk,
    "number": lambda w: w.case_b.number, "referral": lambda w: w.referral_b.pk,
    "reference": lambda w: w.referral_b.reference, "id": lambda w: w.case_b.pk,
    "pk": lambda w: w.case_b.pk, "email": "attacker@elsewhere.example",
    "purged_at": "2000-01-01", "approved": "on", "decided_by": other_user,
    "expires_at": "2099-01-01", "accepted_at": "2000-01-01", "language": "es",
}


def attack_fields(world: World) -> dict[str, object]:
    return {name: value(world) if callable(value) else value
            for name, value in ATTACK_FIELDS.items()}


def with_attack(data: dict, world: World) -> dict:
    extras = attack_fields(world)
    prefixes = {key.rsplit("-", 1)[0] for key in data if "-" in key}
    attacked = dict(data)
    for prefix in ("", *sorted(prefixes)):
        for name, value in extras.items():
            attacked.setdefault(f"{prefix}-{name}" if prefix else name, value)
    return attacked


# --- the forms ------------------------------------------------------------------------------

def takes_post(view_name: str) -> bool:
    return MATRIX[view_name].post != 405


POST_URLS = sorted(name for name in MATRIX if takes_post(name))
# The Django admin's forms are for operators, who may set any field there by design.
FORMS: list[tuple[str, str, dict]] = [
    *[(name, name, {}) for name in POST_URLS if name != "intake:step"],
    *[(f"intake:step[{slug}]", "intake:step", {"step": slug}) for slug in STEP_SLUGS],
]
# Plain submissions that store nothing: a search, a screening, the session's own pages, the
# login flow's steps and the pages with nothing to act on for these users (no authenticator).
WRITES_NOTHING = {
    "intake:case_search", "eligibility:screen_api", "accounts:session_keep_alive",
    "accounts:session_end", "account_logout", "account_reauthenticate", "account_signup",
    "account_set_password", "account_reset_password", "account_confirm_login_code",
    "mfa_authenticate", "mfa_reauthenticate", "mfa_deactivate_totp",
    "mfa_download_recovery_codes", "mfa_generate_recovery_codes", "account_email",
}
# The screening API's schema refuses unknown fields (400, with one error per field).
REFUSES_UNKNOWN_FIELDS = {"eligibility:screen_api": 400}


def step_data(slug: str):
    def data(world, client) -> dict:
        from tests.intake.intake_helpers import COMPLETE_CASE, step_post

        values, none = COMPLETE_CASE[slug]
        return step_post(slug, values, none, save=True)

    return data


def form_target(form_id: str, view_name: str, kwargs: dict) -> Target:
    target = target_for(view_name)
    if view_name != "intake:step":
        return target
    return Target(target.persona, lambda world: {**target.kwargs(world), **kwargs},
                  data=step_data(kwargs["step"]))


# --- what a run changed ---------------------------------------------------------------------

@functools.cache
def table_meta() -> dict[str, tuple[str, dict[str, str]]]:
    """table → (primary key column, {foreign key column: table it points to})."""
    meta, tables = {}, set(compared_tables())
    for model in apps.get_models(include_auto_created=True):
        if model._meta.db_table in tables:
            foreign = {field.column: field.related_model._meta.db_table
                       for field in model._meta.concrete_fields if field.is_relation}
            meta[model._meta.db_table] = (model._meta.pk.column, foreign)
    return meta


def dump() -> dict[str, dict[object, dict]]:
    """Every row of every compared table: table → primary key → {column: value}."""
    meta = table_meta()
    if connection.vendor == "postgresql":
        return postgresql_dump(meta)
    rows = {}
    with connection.cursor() as cursor:
        for table, (pk, _foreign) in meta.items():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            columns = [column[0] for column in cursor.description]
            rows[table] = {row[columns.index(pk)]: dict(zip(columns, row, strict=True))
                           for row in cursor.fetchall()}
    return rows


def postgresql_dump(meta) -> dict[str, dict[object, dict]]:
    """The same in one round trip (each table as JSON)."""
    quote = connection.ops.quote_name
    query = " UNION ALL ".join(
        f"SELECT %s, coalesce(json_agg(t), '[]')::text FROM {quote(table)} t"  # noqa: S608
        for table in meta)
    with connection.cursor() as cursor:
        cursor.execute(query, list(meta))
        tables = cursor.fetchall()
    return {table: {row[meta[table][0]]: row for row in json.loads(text)}
            for table, text in tables}


def plain(value):
    return value.isoformat() if isinstance(value, datetime.datetime | datetime.date) else value


def effect(before: dict, after: dict) -> dict:
    """Changed cells of existing rows, deleted rows, and new rows (each column's values,
    sorted; a key to a row that is new in this run reads "new")."""
    meta = table_meta()
    new_keys = {table: set(after[table]) - set(before[table]) for table in after}
    cells, deleted, created = {}, set(), {}
    for table, old_rows in before.items():
        for key, old in old_rows.items():
            if key not in after[table]:
                deleted.add((table, key))
                continue
            for column, value in after[table][key].items():
                if value != old[column]:
                    cells[(table, key, column)] = plain(value)
        pk, foreign = meta[table]
        fresh = [after[table][key] for key in new_keys[table]]
        if fresh:
            created[table] = {
                column: sorted(repr("new" if column in foreign and row[column] in
                                    new_keys[foreign[column]] else plain(row[column]))
                               for row in fresh)
                for column in fresh[0] if column != pk}
    return {"cells": cells, "deleted": deleted, "created": created}


def differences(first: dict, second: dict, attack: dict) -> list[str]:
    """How ``attack`` differs from the plain effect (``first``; ``second`` is the same plain
    submission again: what differs between those two is compared as changed-or-not only)."""
    found = []
    if attack["deleted"] != first["deleted"]:
        found.append(f"deleted rows {sorted(attack['deleted'] ^ first['deleted'])}")
    for cell in set(first["cells"]) ^ set(attack["cells"]):
        found.append(f"cell {cell} changed in only one of the plain and attacked runs")
    for cell, value in first["cells"].items():
        stable = second["cells"].get(cell) == value
        if stable and attack["cells"].get(cell, value) != value:
            found.append(f"cell {cell}: {value!r} → {attack['cells'][cell]!r}")
    for table in set(first["created"]) | set(attack["created"]):
        plain_rows, attacked_rows = first["created"].get(table), attack["created"].get(table)
        if plain_rows is None or attacked_rows is None:
            found.append(f"new rows in {table} in only one run")
            continue
        for column, values in plain_rows.items():
            stable = second["created"].get(table, {}).get(column) == values
            if len(attacked_rows[column]) != len(values) or (
                    stable and attacked_rows[column] != values):
                found.append(f"new {table}.{column}: {values} → {attacked_rows[column]}")
    return sorted(found)


@contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def submit(target: Target, world: World, url: str, before: dict,
           attacked: bool) -> tuple[int, dict]:
    cache.clear()  # rate limits and one-time codes start afresh in each run
    with rolled_back():
        client = target.client(world)
        data = target.data(world, client)
        response = target.post(client, url, world, with_attack(data, world) if attacked
                               else data)
        return response.status_code, effect(before, dump())




def test_every_post_url_has_a_form_entry():
    """Every URL that takes a POST is tried (a new one is picked up from the access matrix
    and needs its page's form data in ``tests/security/targets.TARGETS``)."""
    assert sorted({view_name for _, view_name, _ in FORMS}) == POST_URLS
    assert all(target_for(name) for name in POST_URLS)
    assert set(WRITES_NOTHING) <= set(POST_URLS)


@pytest.mark.django_db
@pytest.mark.parametrize(("form_id", "view_name", "kwargs"), FORMS,
                         ids=[form_id for form_id, _, _ in FORMS])
def test_extra_fields_change_nothing(form_id, view_name, kwargs, world):
    target = form_target(form_id, view_name, kwargs)
    url = reverse(view_name, kwargs=target.kwargs(world))
    before = dump()
    status, first = submit(target, world, url, before, attacked=False)
    _status, second = submit(target, world, url, before, attacked=False)
    attacked_status, attack = submit(target, world, url, before, attacked=True)
    assert status < 500
    assert attacked_status == REFUSES_UNKNOWN_FIELDS.get(view_name, status)
    wrote = bool(first["cells"] or first["created"] or first["deleted"])
    assert wrote == (view_name not in WRITES_NOTHING), \
        f"{form_id}: the plain submission {'wrote' if wrote else 'did not write'} ({status})"
    assert differences(first, second, attack) == []

