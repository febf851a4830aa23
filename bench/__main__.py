"""``python -m bench`` (``make bench``): seed, serve, measure, print, write the JSON.

Environment:

* ``DATABASE_URL`` (PostgreSQL) and ``REDIS_URL``: required. The run works in a database of its
  own on that server, ``BENCH_DATABASE`` (default ``northstar_bench``), dropped and re-created
  at the start and dropped at the end (``BENCH_KEEP_DATABASE=1`` keeps it for profiling).
* ``BENCH_CASES`` (default 100000), ``BENCH_AUDIT_EVENTS`` (default 1000000),
  ``BENCH_REQUESTS`` (timed requests per page, default 400), ``BENCH_ENGINE_SECONDS`` (3),
  ``BENCH_RESCREEN_TIMEOUT`` (seconds, default 900), ``BENCH_OUTPUT`` (default
  ``bench/results/latest.json``), ``BENCH_LOG_DIR`` (the gunicorn and Celery logs; default a
  new directory under /tmp, printed at the start).

Every step logs its start and end with timestamps and has a deadline; gunicorn and the worker
run in process groups of their own and are stopped, and the database connections closed,
however the run ends (error, deadline, Ctrl-C, SIGTERM).
"""

from __future__ import annotations

import json
import os
import random
import sys
import tempfile
import time
import traceback
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.database import (  # noqa: E402
    DEFAULT_NAME,
    BenchConfigError,
    bench_database_url,
    check_redis_url,
    drop_database,
    recreate_database,
)
from bench.runtime import Log, step, terminate_on_sigterm  # noqa: E402

RESULT_KEYS = (
    "cases", "seed_s", "case_list_p50_ms", "case_list_p95_ms", "case_list_queries",
    "case_list_raw_sql_ms", "case_detail_p95_ms", "partner_queue_p95_ms",
    "engine_screenings_per_s", "rescreen_all_s", "stats_export_s", "stats_raw_sql_s",
    "audit_verify_events_per_s",
)
GOALS = {
    "case_list_p95_ms": "≤ 150 ms",
    "case_list_raw_sql_ms": "page ≤ 3× this",
    "engine_screenings_per_s": "≥ 10 000",
    "rescreen_all_s": "≤ 120 s at 100 000 cases",
    "stats_export_s": "≤ 3× raw SQL",
    "audit_verify_events_per_s": "≥ 50 000",
}


class Config:
    def __init__(self, environ: dict[str, str]):
        self.source_url = environ.get("DATABASE_URL", "")
        self.redis_url = check_redis_url(environ.get("REDIS_URL", ""))
        self.database = environ.get("BENCH_DATABASE", DEFAULT_NAME)
        self.database_url = bench_database_url(self.source_url, self.database)
        self.cases = positive_int(environ, "BENCH_CASES", 100_000)
        self.audit_events = positive_int(environ, "BENCH_AUDIT_EVENTS", 1_000_000)
        self.requests = positive_int(environ, "BENCH_REQUESTS", 400)
        self.engine_seconds = positive_float(environ, "BENCH_ENGINE_SECONDS", 3.0)
        self.rescreen_timeout = positive_float(environ, "BENCH_RESCREEN_TIMEOUT", 900.0)
        self.keep_database = environ.get("BENCH_KEEP_DATABASE") == "1"
        self.output = Path(environ.get("BENCH_OUTPUT", ROOT / "bench" / "results" / "latest.json"))
        self.log_dir = Path(environ["BENCH_LOG_DIR"]) if environ.get("BENCH_LOG_DIR") else None
        # Seeding 100 000 cases takes minutes; everything scales with the case count.
        self.seed_timeout = 600 + self.cases * 0.02 + self.audit_events * 0.002


def positive_int(environ: dict[str, str], name: str, default: int) -> int:
    raw = environ.get(name, str(default)).replace("_", "")
    if not raw.isdigit() or int(raw) < 1:
        raise BenchConfigError(f"{name} must be a positive whole number, got {raw!r}")
    return int(raw)


def positive_float(environ: dict[str, str], name: str, default: float) -> float:
    raw = environ.get(name, str(default))
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value > 0:
        raise BenchConfigError(f"{name} must be a positive number of seconds, got {raw!r}")
    return value


def child_env(config: Config) -> dict[str, str]:
    """Environment of the gunicorn and Celery processes: the bench settings and database."""
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DATABASE_URL": config.database_url, "REDIS_URL": config.redis_url,
            "PYTHONPATH": str(ROOT), "GUNICORN_WORKERS": os.environ.get("GUNICORN_WORKERS", "3"),
            "CELERY_QUEUE": os.environ["CELERY_QUEUE"]}


def setup_django(config: Config) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["DATABASE_URL"] = config.database_url
    os.environ["CELERY_QUEUE"] = os.environ.get("BENCH_QUEUE") or f"bench-{uuid.uuid4().hex[:8]}"
    import django

    django.setup()
    # Import every view (and what they import) now: the run takes many minutes, and modules
    # first imported half-way through must not come from a newer work tree than the rest.
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018


def run(config: Config, log: Log) -> dict:
    from django.core.management import call_command

    log(f"Benchmark database {config.database} (re-created); {config.cases} cases, "
        f"{config.audit_events} audit events")
    with step(log, "Re-creating the benchmark database", 120):
        recreate_database(config.source_url, config.database)
    try:
        setup_django(config)
        with step(log, "Migrating", 600):
            call_command("migrate", verbosity=0, interactive=False)
        return measure_all(config, log)
    finally:
        from django.db import connections

        connections.close_all()
        drop_queue(config)
        if not config.keep_database:
            log(f"Dropping {config.database}")
            drop_database(config.source_url, config.database)


def drop_queue(config: Config) -> None:
    """This run's queue (messages left after an error) and its bindings leave Redis."""
    queue = os.environ.get("CELERY_QUEUE")
    if not queue:
        return
    try:
        import redis

        client = redis.Redis.from_url(config.redis_url, socket_timeout=5,
                                      socket_connect_timeout=5)
        client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
    except Exception as error:  # cleanup only: say so and go on
        print(f"(could not delete the queue {queue}: {error})", file=sys.stderr)


def measure_all(config: Config, log: Log) -> dict:
    from bench import measures, seed, web
    from intake.models import Case
    from referrals.models import Referral
    from stats.periods import MAX_QUARTERS, Period, label_of_index, quarter_index

    results: dict = {"cases": config.cases}
    log_dir = config.log_dir or Path(tempfile.mkdtemp(prefix="northstar-bench-"))
    log_dir.mkdir(parents=True, exist_ok=True)
    log(f"gunicorn and Celery logs in {log_dir}")
    with step(log, "Seeding (COPY, encryption and hashing included)", config.seed_timeout):
        started = time.perf_counter()
        seeded = seed.seed(cases=config.cases, audit_events=config.audit_events, log=log)
        results["seed_s"] = round(time.perf_counter() - started, 1)
        log(f"  seeded in {results['seed_s']} s ({seeded.referrals} referrals)")
    with step(log, "VACUUM ANALYZE (not part of the seeding time)", 900):
        seed.analyze()
    network = seeded.network
    rng = random.Random(7)

    numbers = list(Case.objects.values_list("number", flat=True))
    sample = [rng.choice(numbers) for _ in range(config.requests)]
    partner_org = network.bench_partner.organisation_id
    queues = ["new", "accepted", "in_progress", "closed"]
    list_paths = [f"/cases/?page={1 + n % 10}" for n in range(config.requests)]
    detail_paths = [f"/cases/{number}/" for number in sample]
    queue_paths = [f"/portal/?queue={queues[n % 4]}&page={1 + (n // 4) % 3}"
                   for n in range(config.requests)]
    log(f"  partner queue of organisation {partner_org}: "
        f"{Referral.objects.filter(partner_id=partner_org).count()} referrals")

    with step(log, "Queries per request (Django test client)", 300):
        counsellor, partner_user = network.bench_counsellor, network.bench_partner
        results["case_list_queries"] = measures.queries_per_request(counsellor, "/cases/")
        log(f"  case list: {results['case_list_queries']} queries per page (page 5: "
            f"{measures.queries_per_request(counsellor, '/cases/?page=5')}, 50 a page: "
            f"{measures.queries_per_request(counsellor, '/cases/?per_page=50')}); case page: "
            f"{measures.queries_per_request(counsellor, detail_paths[0])}; partner queue: "
            f"{measures.queries_per_request(partner_user, '/portal/')}")

    env = child_env(config)
    with step(log, "HTTP: gunicorn (deploy/gunicorn.conf.py) on loopback, 4 clients", 1200), \
            web.Server(env, log_dir / "gunicorn.log") as server:
        log(f"  gunicorn ready on 127.0.0.1:{server.port} (pid {server.child.pid})")
        staff = [web.signed_in_cookie(network.bench_counsellor) for _ in range(4)]
        partner = [web.signed_in_cookie(network.bench_partner) for _ in range(4)]
        case_list = web.drive(server.port, list_paths, staff)
        results["case_list_p50_ms"] = case_list.p50_ms
        results["case_list_p95_ms"] = case_list.p95_ms
        log(f"  case list p50 {case_list.p50_ms} ms, p95 {case_list.p95_ms} ms")
        detail = web.drive(server.port, detail_paths, staff)
        results["case_detail_p95_ms"] = detail.p95_ms
        log(f"  case page p50 {detail.p50_ms} ms, p95 {detail.p95_ms} ms")
        queue = web.drive(server.port, queue_paths, partner)
        results["partner_queue_p95_ms"] = queue.p95_ms
        log(f"  partner queue p50 {queue.p50_ms} ms, p95 {queue.p95_ms} ms")
    with step(log, "Case list page as raw SQL", 300):
        results["case_list_raw_sql_ms"] = measures.case_list_raw_sql_ms()
        log(f"  {results['case_list_raw_sql_ms']} ms")

    with step(log, "Engine (one core, a fresh process)", config.engine_seconds * 4 + 60):
        results["engine_screenings_per_s"] = engine_screenings_per_s(config.engine_seconds)
        log(f"  {results['engine_screenings_per_s']:,} screenings/s")

    last = quarter_index(seeded.last_quarter)
    first = max(quarter_index(seeded.first_quarter), last - MAX_QUARTERS + 1)
    period = Period(label_of_index(first), label_of_index(last))
    with step(log, f"Statistics export {period.first} … {period.last}", 1200):
        measures.stats_raw_sql_s(period)  # warm the buffer cache for both sides alike
        results["stats_export_s"] = round(measures.stats_export_s(network.admin, period), 3)
        results["stats_raw_sql_s"] = round(measures.stats_raw_sql_s(period), 3)
        log(f"  export {results['stats_export_s']} s, raw SQL {results['stats_raw_sql_s']} s")

    with step(log, "Re-screen of every open case through Celery (a real worker)",
              config.rescreen_timeout + 180), \
            measures.Worker(env, log_dir / "celery.log") as worker:
        log(f"  worker ready (pid {worker.child.pid})")
        seconds, total = measures.rescreen_all_s(config.rescreen_timeout, worker, log)
        results["rescreen_all_s"] = round(seconds, 1)
        log(f"  {total} open cases re-screened in {seconds:.1f} s ({total / seconds:,.0f}/s)")

    with step(log, "Audit chain verification", 600):
        rate, checked = measures.audit_verify_events_per_s()
        results["audit_verify_events_per_s"] = round(rate)
        log(f"  {checked} events verified, {rate:,.0f} events/s")
    return {key: results[key] for key in RESULT_KEYS}


def engine_screenings_per_s(seconds: float) -> int:
    """``bench.engine_bench.measure`` in a process of its own: in this one, the garbage
    collector's passes over the seeded run's objects would be counted as the engine's time."""
    import subprocess

    code = ("import sys; from bench.engine_bench import measure; "
            f"print(round(measure({seconds!r})))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=seconds * 4 + 50, check=False,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    if done.returncode != 0:
        raise RuntimeError(f"engine benchmark failed: {done.stderr[-2000:]}")
    return int(done.stdout.strip().splitlines()[-1])


def table(results: dict) -> str:
    lines = [f"{'measure':<28} {'value':>14}  goal", "-" * 60]
    for key in RESULT_KEYS:
        value = results[key]
        shown = f"{value:,}" if isinstance(value, int) else f"{value:,.3f}".rstrip("0").rstrip(".")
        lines.append(f"{key:<28} {shown:>14}  {GOALS.get(key, '')}")
    raw, page = results["case_list_raw_sql_ms"], results["case_list_p50_ms"]
    if raw:
        lines.append(f"{'case list p50 / raw SQL':<28} {page / raw:>14.1f}  ≤ 3")
    if results["stats_raw_sql_s"]:
        ratio = results["stats_export_s"] / results["stats_raw_sql_s"]
        lines.append(f"{'stats export / raw SQL':<28} {ratio:>14.1f}  ≤ 3")
    return "\n".join(lines)


def load_average() -> str:
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    try:
        config = Config(dict(os.environ))
    except BenchConfigError as error:
        print(f"make bench: {error}", file=sys.stderr)
        return 2
    terminate_on_sigterm()
    log = Log()
    log(f"Load average before: {load_average()} ({os.cpu_count()} cores)")
    try:
        results = run(config, log)
    except KeyboardInterrupt:
        log("Interrupted; child processes stopped and the database dropped")
        return 130
    except Exception as error:
        traceback.print_exc()
        log(f"make bench failed: {type(error).__name__}: {error}")
        return 1
    log(f"Load average after: {load_average()}")
    print()
    print(table(results))
    config.output.parent.mkdir(parents=True, exist_ok=True)
    config.output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nWritten to {config.output}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
