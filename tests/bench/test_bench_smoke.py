"""The benchmark's pure pieces (``make bench`` itself is not a test and nothing here times
anything): its configuration refuses what it cannot or must not use, its result has exactly
the issue's keys, and a tiny seed writes a consistent, encrypted, fictional network whose
audit chain verifies."""

from __future__ import annotations

import json
import re

import pytest
from django.db import connection

import bench.__main__ as bench_main
from bench.database import BenchConfigError

SOURCE = "postgres://postgres@127.0.0.1:5432/northstar"
REDIS = "redis://127.0.0.1:6379/9"
ISSUE_KEYS = [
    "cases", "seed_s", "case_list_p50_ms", "case_list_p95_ms", "case_list_queries",
    "case_list_raw_sql_ms", "case_detail_p95_ms", "partner_queue_p95_ms",
    "engine_screenings_per_s", "rescreen_all_s", "stats_export_s", "stats_raw_sql_s",
    "audit_verify_events_per_s",
]


def config(**environ):
    return bench_main.Config({"DATABASE_URL": SOURCE, "REDIS_URL": REDIS, **environ})


@pytest.mark.parametrize(("environ", "message"), [
    ({"DATABASE_URL": ""}, "DATABASE_URL is not set"),
    ({"DATABASE_URL": "sqlite:///db.sqlite3"}, "SQLite is not supported"),
    ({"REDIS_URL": ""}, "REDIS_URL is not set"),
    ({"REDIS_URL": "http://127.0.0.1:6379/0"}, "REDIS_URL must be a redis:// URL"),
    ({"BENCH_DATABASE": "postgres"}, "'postgres' is not a safe benchmark database name"),
    ({"BENCH_DATABASE": "test_northstar"}, "'test_northstar' is not a safe"),
    ({"BENCH_DATABASE": "bench; DROP"}, "'bench; DROP' is not a safe"),
    ({"BENCH_DATABASE": "template1"}, "'template1' is not a safe"),
    ({"BENCH_DATABASE": "northstar"}, "DATABASE_URL already names 'northstar'"),
    ({"BENCH_CASES": "0"}, "BENCH_CASES must be a positive whole number, got '0'"),
    ({"BENCH_AUDIT_EVENTS": "many"}, "BENCH_AUDIT_EVENTS must be a positive whole number"),
    ({"BENCH_RESCREEN_TIMEOUT": "-5"}, "BENCH_RESCREEN_TIMEOUT must be a positive number"),
])
def test_configuration_errors_say_what_is_wrong(environ, message):
    with pytest.raises(BenchConfigError, match=re.escape(message)):
        config(**environ)


def test_main_refuses_a_bad_configuration_with_exit_2_and_touches_nothing(monkeypatch, capsys,
                                                                          tmp_path):
    output = tmp_path / "latest.json"
    monkeypatch.setenv("DATABASE_URL", "sqlite:///db.sqlite3")
    monkeypatch.setenv("REDIS_URL", REDIS)
    monkeypatch.setenv("BENCH_OUTPUT", str(output))
    assert bench_main.main([]) == 2
    assert "make bench: DATABASE_URL uses 'sqlite'" in capsys.readouterr().err
    assert not output.exists()


def test_the_benchmark_database_is_a_sibling_of_the_configured_one():
    built = config(BENCH_CASES="1_000", BENCH_DATABASE="northstar_bench_x")
    assert built.database_url == "postgres://postgres@127.0.0.1:5432/northstar_bench_x"
    assert (built.cases, built.audit_events, built.requests) == (1000, 1_000_000, 400)


def test_the_result_has_exactly_the_issues_keys_and_prints_as_a_table():
    assert list(bench_main.RESULT_KEYS) == ISSUE_KEYS
    results = dict.fromkeys(ISSUE_KEYS, 1)
    results.update(case_list_p50_ms=30.0, case_list_raw_sql_ms=10.0, stats_export_s=0.6,
                   stats_raw_sql_s=0.3)
    lines = bench_main.table(results).splitlines()
    assert [line.split()[0] for line in lines[2:2 + len(ISSUE_KEYS)]] == ISSUE_KEYS
    assert lines[-2].startswith("case list p50 / raw SQL") and lines[-2].endswith("3.0  ≤ 3")
    assert lines[-1].endswith("2.0  ≤ 3")
    json.dumps(results)  # what is written to bench/results/latest.json


def test_the_committed_results_have_exactly_the_issues_keys():
    committed = bench_main.ROOT / "bench" / "results" / "latest.json"
    assert list(json.loads(committed.read_text(encoding="utf-8"))) == ISSUE_KEYS


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_tiny_seed_is_consistent_encrypted_and_its_audit_chain_verifies(require_postgres):
    from bench import seed
    from eligibility.models import Assessment
    from intake.models import Case, Client, ClientNameIndex
    from intake.selectors import case_search
    from northstar.audit.models import AuditEvent, AuditSeal
    from northstar.audit.selectors import audit_chain_verify
    from referrals.models import Referral, ReferralEvent

    result = seed.seed(cases=30, audit_events=300, log=lambda message: None)

    assert (Case.objects.count(), Client.objects.count(), Assessment.objects.count()) == (
        30, 30, 30)
    assert Referral.objects.count() == ReferralEvent.objects.count() == result.referrals > 0
    assert AuditEvent.objects.count() == AuditSeal.objects.count() == 300
    statuses = set(Case.objects.values_list("status", flat=True))
    assert statuses <= {"draft", "open", "referred", "closed"} and len(statuses) >= 2
    # Encrypted at rest with the real field encryption, readable through the ORM.
    client = Client.objects.get(pk=7)
    assert (client.given_name, client.family_name) == ("Bench", "Client 000007")
    with connection.cursor() as cursor:
        cursor.execute("SELECT given_name, family_name, date_of_birth FROM intake_client "
                       "WHERE id = 7")
        raw = cursor.fetchone()
        cursor.execute("SELECT person FROM intake_case WHERE client_id = 7")
        person = cursor.fetchone()[0]
    assert all(value.startswith("ns1:") for value in raw) and person.startswith("ns1:")
    assert "Bench" not in "".join(raw)
    case = Case.objects.get(client_id=7)
    assert isinstance(case.person, dict) and case.person
    assert case.screening_outcomes and case.screening_rules_version == seed.PREVIOUS_RULES_VERSION
    # The blind index finds the fictional client by name and birth date.
    coordinator = result.network.bench_counsellor
    assert [found.pk for found in case_search(coordinator, full_name="Bench Client 000007",
                                              date_of_birth=client.date_of_birth)] == [case.pk]
    verified = audit_chain_verify()
    assert verified.ok and verified.checked == 300
    assert verified.head == AuditSeal.objects.order_by("-position").first().hash
    # The id sequences were moved past the copied rows: the application can add more.
    assert Case.objects.order_by("-pk").first().pk == 30
    assert Client.objects.create(given_name="Next").pk == 31
    assert ClientNameIndex.objects.filter(client_id=7).exists()
